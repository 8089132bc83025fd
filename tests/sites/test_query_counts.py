"""Hot public pages cost a fixed number of queries, whatever the size of the group."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import column, make_article, make_document, make_site

HOST = "jiujiang.localhost"
# Site, route (one per path segment plus .specific), Wagtail's view-restriction hook (2),
# profile, restrictions, nav, breadcrumbs and the page's own listing: fixed, not per item.
MAX_QUERIES = 14


def grow(portal, extra_sites, per_column, first=0):
    for i in range(first, first + extra_sites):
        make_site("department", name=f"部门{i}", code=f"dept{i}", hostname=f"dept{i}.localhost")
    for slug in ("ywdt", "tzgg", "zcwj"):
        parent = column(portal, slug)
        for n in range(per_column):
            make_article(parent, f"{slug} 文章 {n}")


def count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200
    # Bypass the page cache on the next call for this path.
    from django.core.cache import cache

    cache.clear()
    return len(ctx.captured_queries)


@pytest.fixture
def article_path(portal):
    news = column(portal, "ywdt")
    article = make_article(news, "带附件的文章")
    article.attachments.create(document=make_document(portal.collection, "附件一"))
    article.attachments.create(document=make_document(portal.collection, "附件二"))
    article.save_revision().publish()
    return f"/ywdt/{article.slug}/"


def test_query_counts_do_not_grow(client, portal, article_path, django_assert_max_num_queries):
    paths = ["/", "/ywdt/", "/ywdt/?page=2", article_path]
    grow(portal, extra_sites=1, per_column=3)
    small = {path: count_queries(client, path) for path in paths}
    grow(portal, extra_sites=4, per_column=25, first=1)
    large = {path: count_queries(client, path) for path in paths}
    assert small == large
    for path in paths:
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(path, HTTP_HOST=HOST)


def test_cached_hit_uses_no_queries(client, portal, article_path, django_assert_num_queries):
    client.get(article_path, HTTP_HOST=HOST)
    with django_assert_num_queries(0):
        response = client.get(article_path, HTTP_HOST=HOST)
    assert response["X-Page-Cache"] == "hit"


def test_column_pagination_handles_bad_page_numbers(client, portal):
    grow(portal, extra_sites=0, per_column=25)
    for page in ("0", "-1", "abc", "99999", "1e9", "%00"):
        response = client.get(f"/ywdt/?page={page}", HTTP_HOST=HOST)
        assert response.status_code == 200
    second = client.get("/ywdt/?page=2", HTTP_HOST=HOST).content.decode()
    assert "第 2 页 / 共 2 页" in second
