import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sitegroup.workdays.calendar import add_working_days
from sites.interaction.kinds import ChannelKind, Status
from sites.interaction.models import InteractionSettings, Message

from .conftest import host_of, make_channel, message_data, post_message

pytestmark = pytest.mark.django_db


def test_form_works_without_javascript_and_is_never_cached(client, channel):
    response = client.get(channel.url + "write/", HTTP_HOST=host_of(channel))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'method="post"' in html and 'enctype="multipart/form-data"' in html
    assert 'name="captcha_1"' in html and "/captcha/image/" in html
    assert "no-store" in response["Cache-Control"]
    image = client.get(re.search(r'src="(/captcha/image/[^"]+)"', html).group(1))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_message_is_received_with_a_code_and_a_working_day_deadline(client, channel):
    response = post_message(client, channel)
    assert response.status_code == 200, response.content.decode()[:3000]
    message = Message.objects.get()
    assert message.code in response.content.decode()
    assert message.status == Status.PENDING
    assert message.due_on == add_working_days(message.received_on, 10)
    assert message.site.site.root_page.path == channel.path[:8]
    assert message.address == "10.0.0.9"
    assert list(message.events.values_list("action", flat=True)) == ["received"]


def test_wrong_challenge_keeps_what_was_typed(client, channel):
    response = post_message(client, channel, captcha_1="WRONG", content="这是我认真写下的一段很长的留言内容。")
    html = response.content.decode()
    assert response.status_code == 400
    assert "验证码不正确" in html
    assert "这是我认真写下的一段很长的留言内容。" in html
    assert not Message.objects.exists()


def test_missing_fields_are_named_in_chinese(client, channel):
    response = post_message(client, channel, title="", phone="12345", category="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写标题" in html and "联系电话格式不正确" in html and "请选择分类" in html


def test_hostile_markup_is_stored_as_text_and_never_rendered(client, channel):
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    response = post_message(client, channel, title="测试" + evil, content="内容内容内容内容" + evil)
    assert response.status_code == 200
    message = Message.objects.get()
    query = client.get(channel.url + f"query/?code={message.code}", HTTP_HOST=host_of(channel))
    html = query.content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_honeypot_filled_is_refused(client, channel):
    response = post_message(client, channel, website="http://spam.example")
    assert response.status_code == 400 and not Message.objects.exists()


def test_duplicate_is_refused_without_revealing_the_first_code(client, channel):
    assert post_message(client, channel).status_code == 200
    first = Message.objects.get()
    response = post_message(client, channel)
    html = response.content.decode()
    assert response.status_code == 400
    assert "请勿重复提交" in html and first.code not in html
    assert Message.objects.count() == 1


def test_flood_from_one_address_is_slowed_not_stored(client, channel):
    rules = InteractionSettings.load()
    rules.hourly_limit = 2
    rules.save()
    for n in range(2):
        assert post_message(client, channel, title=f"第{n}条留言标题").status_code == 200
    response = post_message(client, channel, title="第三条留言标题")
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Message.objects.count() == 2
    # Another address is not affected.
    data = message_data(client, channel, title="另一个地址的留言")
    response = client.post(channel.url + "write/", data, HTTP_HOST=host_of(channel), REMOTE_ADDR="10.0.0.10")
    assert response.status_code == 200


def test_failed_attempts_count_too(client, channel):
    rules = InteractionSettings.load()
    rules.attempt_limit = 3
    rules.save()
    statuses = [post_message(client, channel, captcha_1="WRONG").status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 429, 429]


def pdf(name="证明.pdf", size=None):
    content = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + (b"0" * (size or 100))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_attachment_is_stored_privately(client, channel):
    response = post_message(client, channel, files=[pdf()])
    assert response.status_code == 200
    attachment = Message.objects.get().attachments.get()
    assert attachment.original_name == "证明.pdf"
    assert "证明" not in attachment.file.name
    # Not reachable from the public web.
    public = client.get("/media/" + attachment.file.name, HTTP_HOST=host_of(channel))
    assert public.status_code in (403, 404)


@pytest.mark.parametrize("upload, text", [
    (SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200), "内容与扩展名不符"),
    (SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "类型不允许"),
    (SimpleUploadedFile("note.txt", b"\x00\x01binary"), "不是文本文件"),
])
def test_disguised_or_forbidden_attachments_are_refused(client, channel, upload, text):
    response = post_message(client, channel, files=[upload])
    assert response.status_code == 400 and text in response.content.decode()
    assert not Message.objects.exists()


def test_oversized_and_too_many_attachments_are_refused(client, channel):
    rules = InteractionSettings.load()
    rules.max_attachment_mb = 1
    rules.max_attachments = 2
    rules.save()
    response = post_message(client, channel, files=[pdf(size=1024 * 1024 + 10)])
    assert response.status_code == 400 and "超过 1 MB" in response.content.decode()
    response = post_message(client, channel, files=[pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")])
    assert response.status_code == 400 and "附件最多 2 个" in response.content.decode()
    assert not Message.objects.exists()


def test_error_report_goes_to_the_site_of_the_page(client, portal, county):
    errors = make_channel(portal, kind=ChannelKind.ERROR_REPORT, title="我为政府网站找错", slug="zhaocuo")
    assert errors.reply_limit == 3
    page_url = f"http://{county.site.hostname}/ywdt/some-page/"
    form = client.get(errors.url + f"write/?url={page_url}", HTTP_HOST=host_of(errors))
    assert page_url in form.content.decode()
    response = post_message(client, errors, page_url=page_url, category="错别字")
    assert response.status_code == 200
    message = Message.objects.get()
    assert message.site == county and message.received_site == portal
    assert message.due_on == add_working_days(message.received_on, 3)


def test_query_unknown_code_and_masking(client, channel):
    response = client.post(channel.url + "query/", {"code": "NOTACODE2345"}, HTTP_HOST=host_of(channel))
    assert response.status_code == 404 and "没有找到" in response.content.decode()
    post_message(client, channel, content="我的电话 13912345678，身份证 36042119900101123X，请联系。")
    message = Message.objects.get()
    response = client.post(channel.url + "query/", {"code": message.code.lower()}, HTTP_HOST=host_of(channel))
    html = response.content.decode()
    assert response.status_code == 200
    assert "张**" in html and "张三丰" not in html
    assert "13912345678" not in html and "36042119900101123X" not in html
    assert "139****5678" in html
