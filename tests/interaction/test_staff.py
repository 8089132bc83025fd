import datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text

from sitegroup.registry.roles import ensure_office_group
from sitegroup.workdays.calendar import add_working_days
from sites.interaction.kinds import Event, Status
from sites.interaction.models import LetterReplyPage, Message
from tests.factories import make_user
from tests.helpers import refused
from tests.review.conftest import act

from .conftest import host_of, make_channel, post_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(client, channel):
    assert post_message(client, channel, content="我的电话13912345678，小区路灯坏了很久。").status_code == 200
    client.logout()
    return Message.objects.get()


@pytest.fixture
def officer(county):
    return make_user("xs_officer", county, "officer")


@pytest.fixture
def outsider(department):
    return make_user("jyj_editor", department, "editor")


def test_inbox_shows_own_site_only(client, message, officer, outsider, people):
    client.force_login(officer)
    response = client.get(reverse("interaction_inbox"))
    assert response.status_code == 200 and message.code in response.content.decode()
    assert client.get(reverse("interaction_message", args=[message.pk])).status_code == 200
    client.force_login(outsider)
    response = client.get(reverse("interaction_inbox"))
    assert response.status_code == 200 and message.code not in response.content.decode()
    # Guessing the id of another site's message finds nothing.
    assert client.get(reverse("interaction_message", args=[message.pk])).status_code == 404
    assert client.post(reverse("interaction_act", args=[message.pk]), {"action": "accept"}).status_code == 404
    # A reviewer reviews replies; the inbox is for the people who answer.
    client.force_login(people["reviewer"])
    assert refused(client.get(reverse("interaction_inbox"))) or \
        client.get(reverse("interaction_inbox")).status_code == 403


def test_office_sees_every_site(client, message):
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    assert message.code in client.get(reverse("interaction_inbox") + "?status=all").content.decode()
    assert client.get(reverse("interaction_message", args=[message.pk])).status_code == 200


def test_anonymous_is_sent_to_login(client, message):
    response = client.get(reverse("interaction_message", args=[message.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_accept_and_reject_need_a_reason(client, message, officer):
    client.force_login(officer)
    url = reverse("interaction_act", args=[message.pk])
    client.post(url, {"action": "accept"})
    message.refresh_from_db()
    assert message.status == Status.ACCEPTED
    response = client.post(url, {"action": "reject", "reason": "spam", "note": ""}, follow=True)
    assert "请说明不予受理的理由" in response.content.decode()
    client.post(url, {"action": "reject", "reason": "duplicate", "note": "与此前留言重复"})
    message.refresh_from_db()
    assert message.status == Status.INVALID and message.invalid_reason == "duplicate"
    # The citizen sees why.
    page = client.post(message.channel.url + "query/", {"code": message.code}, HTTP_HOST=host_of(message.channel))
    assert "与此前留言重复" in page.content.decode()


def test_transfer_restarts_the_clock_at_the_receiving_site(client, message, officer, department, outsider):
    target = make_channel(department, title="局长信箱", slug="jzxx", reply_limit=5)
    client.force_login(officer)
    client.post(reverse("interaction_act", args=[message.pk]),
                {"action": "transfer", "channel": target.pk, "note": "属教育局职责"})
    message.refresh_from_db()
    assert message.site == department and message.channel_id == target.pk
    assert message.status == Status.PENDING and message.transfer_count == 1
    assert message.due_on == add_working_days(message.clock_started_on, 5)
    # The sending site no longer handles it; the receiving site does.
    assert client.get(reverse("interaction_message", args=[message.pk])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("interaction_message", args=[message.pk])).status_code == 200
    # The citizen sees the transfer.
    page = client.post(target.url + "query/", {"code": message.code}, HTTP_HOST=host_of(target))
    assert "转交九江市教育局办理" in page.content.decode()


def test_transfer_to_own_site_or_nowhere_is_refused(client, message, officer):
    client.force_login(officer)
    response = client.post(reverse("interaction_act", args=[message.pk]),
                           {"action": "transfer", "channel": message.channel_id}, follow=True)
    assert "不能转办给本网站" in response.content.decode()
    response = client.post(reverse("interaction_act", args=[message.pk]),
                           {"action": "transfer", "channel": "x"}, follow=True)
    assert "请选择转办的网站渠道" in response.content.decode()


def reply_form(page, text, shown=True):
    data = nested_form_data({
        "title": page.title, "slug": page.slug, "asker": page.asker, "category": page.category,
        "asked_on": page.asked_on.isoformat(), "question": page.question, "reply": rich_text(text),
        "reply_unit": page.reply_unit, "replied_on": page.replied_on.isoformat(),
    })
    if shown:
        data["shown_publicly"] = "on"
    data["responsibility_confirmed"] = "on"
    data["action-submit"] = "action-submit"
    return data


def test_reply_passes_review_then_answers_the_message(client, message, people, channel):
    editor = people["editor"]
    client.force_login(editor)
    response = client.post(reverse("interaction_act", args=[message.pk]), {"action": "reply"})
    page = LetterReplyPage.objects.get(message=message)
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.asker == "张**"
    assert "13912345678" not in page.question and "139****5678" in page.question
    message.refresh_from_db()
    assert message.status == Status.ACCEPTED
    # The editor writes the answer (with a phone number by mistake) and submits it for review.
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]),
                           reply_form(page, "<p>已安排维修，如有问题请拨打13800001111。</p>"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not LetterReplyPage.objects.get(pk=page.pk).live
    assert act(client, people["reviewer"], page).status_code == 302
    assert act(client, people["reviewer2"], page).status_code == 302
    page = LetterReplyPage.objects.get(pk=page.pk)
    assert page.live
    message.refresh_from_db()
    assert message.status == Status.ANSWERED and message.reply_working_days == 0
    assert message.events.filter(action=Event.ANSWERED).exists()
    # Published in 信件选登, personal numbers masked.
    listing = client.get(channel.url, HTTP_HOST=host_of(channel)).content.decode()
    assert page.title in listing and "张**" in listing
    public = client.get(page.url, HTTP_HOST=host_of(channel))
    html = public.content.decode()
    assert public.status_code == 200 and "已安排维修" in html
    assert "13800001111" not in html and "13912345678" not in html
    # The citizen rates it once.
    client.logout()
    url = channel.url + "query/"
    response = client.post(url, {"code": message.code, "rating": "satisfied"}, HTTP_HOST=host_of(channel))
    assert "感谢您的评价" in response.content.decode()
    response = client.post(url, {"code": message.code, "rating": "unsatisfied"}, HTTP_HOST=host_of(channel))
    assert "您已评价过" in response.content.decode()
    message.refresh_from_db()
    assert message.satisfaction == "satisfied"


def test_reply_without_consent_is_only_on_the_query_page(client, channel, people):
    post_message(client, channel, publish_consent="")
    message = Message.objects.get()
    client.force_login(people["editor"])
    client.post(reverse("interaction_act", args=[message.pk]), {"action": "reply"})
    page = LetterReplyPage.objects.get(message=message)
    assert not page.shown_publicly
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), reply_form(page, "<p>答复内容。</p>"))
    assert "留言人未同意公开" in response.content.decode()
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]),
                reply_form(page, "<p>私下答复的内容。</p>", shown=False))
    act(client, people["reviewer"], page)
    act(client, people["reviewer2"], page)
    page = LetterReplyPage.objects.get(pk=page.pk)
    assert page.live
    client.logout()
    assert client.get(page.url, HTTP_HOST=host_of(channel)).status_code == 404
    assert page.title not in client.get(channel.url, HTTP_HOST=host_of(channel)).content.decode()
    response = client.post(channel.url + "query/", {"code": message.code}, HTTP_HOST=host_of(channel))
    assert "私下答复的内容" in response.content.decode()


def test_reviewer_cannot_draft_and_rating_waits_for_answer(client, message, people, channel):
    client.force_login(people["reviewer"])
    assert client.post(reverse("interaction_act", args=[message.pk]), {"action": "reply"}).status_code == 404
    client.logout()
    response = client.post(channel.url + "query/", {"code": message.code, "rating": "satisfied"},
                           HTTP_HOST=host_of(channel))
    assert "留言答复后才能评价" in response.content.decode()
    message.refresh_from_db()
    assert message.satisfaction == ""


def test_attachment_download_is_for_handlers_only(client, channel, officer, outsider):
    from django.core.files.uploadedfile import SimpleUploadedFile

    post_message(client, channel, files=[SimpleUploadedFile("a.png", _png())])
    attachment = Message.objects.get().attachments.get()
    url = reverse("interaction_attachment", args=[attachment.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]


def _png():
    from tests.factories import png_bytes
    return png_bytes()


def test_only_site_admins_open_channels(client, county, people):
    from tests.factories import column

    parent = column(county, "hdjl")
    url = reverse("wagtailadmin_pages:add", args=["interaction", "interactionchannelpage", parent.pk])
    client.force_login(people["editor"])
    assert client.get(url).status_code in (302, 403)
    client.force_login(people["admin"])
    assert client.get(url).status_code == 200


def test_a_reply_still_holding_the_placeholder_is_refused(client, message, people):
    client.force_login(people["editor"])
    client.post(reverse("interaction_act", args=[message.pk]), {"action": "reply"})
    page = LetterReplyPage.objects.get(message=message)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]),
                           reply_form(page, "<p>（请填写答复内容）</p>"))
    assert response.status_code == 200 and "请填写答复内容" in response.content.decode()
    assert not LetterReplyPage.objects.get(pk=page.pk).workflow_states.exists()


def test_reply_text_is_screened_like_any_page(message, people):
    from review.services import screen_revision
    from sites.interaction import services

    page = services.draft_reply(message, people["editor"])
    page = LetterReplyPage.objects.get(pk=page.pk)
    page.question = page.question + "此件密级：机密。"
    page.reply = "<p>已处理。</p>"
    revision = page.save_revision(user=people["editor"])
    locations = {finding.location for finding in screen_revision(revision)}
    assert any(location.startswith("留言内容") for location in locations), locations


def test_admin_home_shows_what_is_waiting(client, message, officer, people):
    from sites.interaction.models import Message as Model

    Model.objects.filter(pk=message.pk).update(due_on=message.received_on - datetime.timedelta(days=1))
    client.force_login(officer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "群众诉求待办" in html and "政民互动留言</a>：待办 1 件" in html and "已超期 1 件" in html
    client.force_login(people["reviewer"])
    assert "群众诉求待办" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_an_error_report_is_answered_by_the_site_that_owns_the_page(client, portal, county, channel, people):
    errors = make_channel(portal, kind="error_report", title="我为政府网站找错", slug="zhaocuo")
    post_message(client, errors, page_url=f"http://{county.site.hostname}/tzgg/", category="错别字")
    message = Message.objects.get(kind="error_report")
    assert message.site == county
    client.force_login(people["editor"])
    response = client.post(reverse("interaction_act", args=[message.pk]), {"action": "reply"})
    page = LetterReplyPage.objects.get(message=message)
    assert response.status_code == 302 and page.get_parent().pk == channel.pk
    assert not page.shown_publicly  # answered to the reporter, not listed among the site's letters
