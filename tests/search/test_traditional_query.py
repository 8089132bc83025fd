"""Queries typed in traditional script find what their simplified twins find
(embedded engine), in results, suggestions and hot searches alike."""

import pytest
from django.core.cache import cache

from search.models import QueryLog, SearchDocument
from tests.factories import column, make_article


@pytest.fixture
def group(portal, county):
    make_article(column(portal, "zcwj"), "九江市电子政务管理办法",
                 body="第二十六条 本市政府网站群由市政府门户网站和县（市、区）、部门的政府网站组成。")
    make_article(column(portal, "ywdt"), "全市政府网站群建设推进会召开", body="会议部署网站群集约化建设。")
    make_article(column(county, "tzgg"), "修水县政务软件正版化工作通知", body="各单位不得使用盗版软件，确保电子政务网络安全。")
    make_article(column(county, "ywdt"), "修水县召开防汛工作会议", body="会议部署防汛抗旱工作。")
    return portal, county


def search(client, q, **params):
    response = client.get("/search/", {"q": q, **params}, HTTP_HOST="jiujiang.localhost")
    assert response.status_code == 200
    return response


def titles(response):
    return sorted(item["hit"].title for item in response.context["hits"])


@pytest.mark.parametrize(
    "traditional, simplified",
    [("電子政務", "电子政务"), ("網站群", "网站群"), ("政府網站群", "政府网站群"), ("電子政務 網路", "电子政务 网络")],
)
def test_traditional_query_finds_what_simplified_finds(client, group, traditional, simplified):
    expected = titles(search(client, simplified))
    assert expected
    response = search(client, traditional)
    assert titles(response) == expected
    assert response.context["q"] == simplified  # the search box shows the query as searched
    assert any("<mark>" in str(item["snippet"]) + str(item["title"]) for item in response.context["hits"])


def test_taiwan_words_find_mainland_words(client, group):
    assert titles(search(client, "軟體")) == titles(search(client, "软件")) == ["修水县政务软件正版化工作通知"]
    assert titles(search(client, "盜版軟體")) == ["修水县政务软件正版化工作通知"]


def test_suggestions_accept_traditional_input(client, group):
    def suggestions(q):
        return client.get("/search/suggest/", {"q": q}, HTTP_HOST="jiujiang.localhost").json()

    simplified = suggestions("电子")
    assert "电子政务" in simplified["suggestions"]
    traditional = suggestions("電子")
    assert traditional == {"q": "电子", "suggestions": simplified["suggestions"]}
    assert suggestions("網站")["suggestions"] == suggestions("网站")["suggestions"] != []
    # Pinyin still works.
    assert "电子政务" in suggestions("dzzw")["suggestions"]
    assert search(client, "dianzizhengwu").context["suggestion"] == "电子政务"


def test_hot_searches_count_both_scripts_as_one(client, group):
    search(client, "電子政務")
    search(client, "电子政务")
    assert list(QueryLog.objects.values_list("query", flat=True)) == ["电子政务", "电子政务"]
    # Entries logged before queries were converted are folded in as well.
    QueryLog.objects.create(query="網站群", results=2)
    QueryLog.objects.create(query="网站群", results=2)
    QueryLog.objects.create(query="防汛", results=1)
    cache.clear()  # hot searches are cached for ten minutes
    hot = search(client, "").context["hot"]
    assert hot[:2] == ["电子政务", "网站群"] and "網站群" not in hot and "防汛" in hot


def test_page_written_in_traditional_script_is_found_by_both(client, county):
    make_article(column(county, "ywdt"), "修水縣電子政務工作會議", body="會議部署網站群建設與資訊安全。")
    for q in ("电子政务", "電子政務", "网站群", "網站群", "信息安全"):
        assert titles(search(client, q)) == ["修水縣電子政務工作會議"], q
    assert "电子政务" in SearchDocument.objects.get().segmented_title
