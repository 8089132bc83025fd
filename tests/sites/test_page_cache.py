"""The anonymous page cache: hits, and purges on every kind of change."""

import pytest
from wagtail.models import Page

from tests.factories import column, make_article, make_site, make_user

HOST = "jiujiang.localhost"


def get(client, path, host=HOST):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, response.status_code
    return response


@pytest.fixture
def news(portal):
    return column(portal, "ywdt")


def test_second_anonymous_request_is_a_hit(client, news):
    make_article(news, "第一篇")
    assert get(client, "/")["X-Page-Cache"] == "miss"
    hit = get(client, "/")
    assert hit["X-Page-Cache"] == "hit"
    assert "第一篇" in hit.content.decode()


def test_publish_purges(client, news):
    get(client, "/"), get(client, "/")
    make_article(news, "刚刚发布的新闻")
    response = get(client, "/")
    assert response["X-Page-Cache"] == "miss"
    assert "刚刚发布的新闻" in response.content.decode()


def test_unpublish_purges(client, news):
    article = make_article(news, "即将撤下的新闻")
    assert "即将撤下的新闻" in get(client, "/ywdt/").content.decode()
    article.unpublish()
    assert "即将撤下的新闻" not in get(client, "/ywdt/").content.decode()
    assert client.get("/ywdt/" + article.slug + "/", HTTP_HOST=HOST).status_code == 404


def test_move_purges(client, portal, news):
    article = make_article(news, "移动栏目的文章")
    get(client, "/ywdt/")
    notices = column(portal, "tzgg")
    Page.objects.get(pk=article.pk).move(notices, pos="last-child")
    assert "移动栏目的文章" not in get(client, "/ywdt/").content.decode()
    assert "移动栏目的文章" in get(client, "/tzgg/").content.decode()


def test_delete_purges(client, news):
    article = make_article(news, "将被删除的文章")
    get(client, "/ywdt/")
    Page.objects.get(pk=article.pk).delete()
    assert "将被删除的文章" not in get(client, "/ywdt/").content.decode()


def test_profile_and_theme_change_purge(client, portal):
    get(client, "/")
    portal.organiser = "九江市人民政府办公室（新）"
    portal.theme = "county"
    portal.save()
    html = get(client, "/").content.decode()
    assert "九江市人民政府办公室（新）" in html
    assert "themes/county.css" in html


def test_purge_is_per_site(client, portal, news):
    county = make_site("county")
    get(client, "/", host="xiushui.localhost"), get(client, "/")
    make_article(news, "门户新闻")
    assert get(client, "/", host="xiushui.localhost")["X-Page-Cache"] == "hit"
    assert get(client, "/")["X-Page-Cache"] == "miss"
    assert county.site.hostname == "xiushui.localhost"


def test_logged_in_users_bypass_cache(client, news):
    make_article(news, "文章")
    get(client, "/"), get(client, "/")
    client.force_login(make_user("someone"))
    response = get(client, "/")
    assert "X-Page-Cache" not in response


def test_private_pages_are_not_cached(client, news):
    from wagtail.models import PageViewRestriction

    article = make_article(news, "内部通知")
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="secret")
    url = "/ywdt/" + article.slug + "/"
    first = client.get(url, HTTP_HOST=HOST)
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in client.get(url, HTTP_HOST=HOST)


@pytest.mark.parametrize("on", ["page", "ancestor"])
def test_a_view_restriction_purges_at_once(client, portal, news, on):
    """Adding, changing or removing a restriction is not a publish; the cached
    full text must not outlive it."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    article = make_article(news, "即将设为私有的文章", body="只给内部看的全文。")
    url = "/ywdt/" + article.slug + "/"
    get(client, url), get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    target = Page.objects.get(pk=article.pk if on == "page" else news.pk)
    restriction = PageViewRestriction.objects.create(page=target, restriction_type="password", password="pw")
    response = client.get(url, HTTP_HOST=HOST)
    assert "只给内部看的全文" not in response.content.decode()
    assert response.get("X-Page-Cache") != "hit"

    # Changing it (to a group restriction) and removing it purge too.
    restriction.restriction_type = "groups"
    restriction.save()
    restriction.groups.add(Group.objects.create(name="内部人员"))
    assert "只给内部看的全文" not in client.get(url, HTTP_HOST=HOST).content.decode()
    restriction.delete()
    response = get(client, url)
    assert "只给内部看的全文" in response.content.decode() and response["X-Page-Cache"] == "miss"
