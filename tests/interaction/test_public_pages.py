import datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sites.interaction import services
from sites.interaction.kinds import ChannelKind
from sites.interaction.models import LetterReplyPage
from tests.factories import column, make_article

from .conftest import host_of, make_channel

pytestmark = pytest.mark.django_db


def test_every_page_links_to_the_group_error_report_with_its_address(client, portal, county):
    article = make_article(column(county, "ywdt"), "修水县召开会议")
    page = client.get(article.url, HTTP_HOST=county.site.hostname)
    assert "我为政府网站找错" not in page.content.decode()
    errors = make_channel(portal, kind=ChannelKind.ERROR_REPORT, title="我为政府网站找错", slug="zhaocuo")
    path = article.relative_url(county.site)
    html = client.get(path + "?x=1", HTTP_HOST=county.site.hostname).content.decode()
    expected = f"{errors.full_url}write/?url=" + quote(f"http://{county.site.hostname}{path}?x=1", safe="")
    assert expected in html
    # Unpublishing the channel takes the link away.
    errors.unpublish()
    html = client.get(path + "?x=2", HTTP_HOST=county.site.hostname).content.decode()
    assert "我为政府网站找错" not in html


def publish_reply(channel, n):
    message = services.submit(channel, {
        "category": "其他", "title": f"关于第{n}号路灯的留言", "content": f"第{n}号路灯坏了，电话13912345678。",
        "name": "李四", "phone": "13912345678", "email": "", "publish_consent": True,
    }, [], f"10.5.{n // 200}.{n % 200}")
    page = LetterReplyPage(
        title=message.title, slug=f"reply-{message.pk}", live=False, message=message, asker="李*",
        asked_on=message.received_on, question=message.content, reply=f"<p>第{n}号已修复。</p>",
        reply_unit="修水县", replied_on=datetime.date(2026, 11, 1), shown_publicly=True,
    )
    channel.add_child(instance=page)
    page.full_clean()
    page.save()
    page.save_revision().publish()
    return page


def test_letter_list_search_paging_and_fixed_queries(client, channel):
    for n in range(3):
        publish_reply(channel, n)
    url, hostname = channel.url, host_of(channel)

    def cost(path):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, HTTP_HOST=hostname, HTTP_CACHE_CONTROL="no-cache")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    client.get(url, HTTP_HOST=hostname)
    few, html = cost(url + "?page=1")
    assert "关于第0号路灯的留言" in html and "13912345678" not in html and "139****5678" not in html
    for n in range(3, 25):
        publish_reply(channel, n)
    many, html = cost(url + "?page=2")
    assert few == many, (few, many)
    assert "第 2 页 / 共 2 页" in html
    found, html = cost(url + "?q=" + quote("第7号"))
    assert "关于第7号路灯的留言" in html and "关于第8号路灯的留言" not in html
    _, html = cost(url + "?q=" + quote("<script>"))
    assert "没有找到包含“&lt;script&gt;”的信件" in html
    # The reply page itself masks the phone that was in the question.
    reply = LetterReplyPage.objects.live().first()
    html = client.get(reply.url, HTTP_HOST=hostname).content.decode()
    assert "13912345678" not in html and "139****5678" in html


def test_published_letters_are_found_by_group_search(client, channel, county):
    from search.indexing import update_page

    shown = publish_reply(channel, 1)
    hidden = publish_reply(channel, 2)
    LetterReplyPage.objects.filter(pk=hidden.pk).update(shown_publicly=False)
    update_page(hidden.pk)
    response = client.get("/search/", {"q": "路灯"}, HTTP_HOST=county.site.hostname)
    found = [item["hit"].title for item in response.context["hits"]]
    assert shown.title in found and hidden.title not in found
    response = client.get("/search/", {"q": "路灯", "type": "letter"}, HTTP_HOST=county.site.hostname)
    assert [item["hit"].title for item in response.context["hits"]] == [shown.title]
