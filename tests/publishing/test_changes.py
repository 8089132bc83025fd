"""Each kind of edit re-renders exactly the files that show it, on every target."""

import pytest
from wagtail.models import PageViewRestriction

from sitegroup.publishing import services
from sitegroup.publishing.models import PublishedFile, StaticChange
from sites.models import ArticlePage
from tests.factories import change_site, column, make_article, make_site

from .helpers import HOST, SITE_PAGES, drained, file_of, manifest_paths


@pytest.fixture
def built(publishing, pubsite, news):
    """A site with one article, fully published to both nodes."""
    article = make_article(news, "第一篇", slug="a1")
    other = make_site("department", hostname="other.localhost")
    make_article(column(other, "ywdt"), "别站文章", slug="b1")
    services.publish_all()
    assert not StaticChange.objects.exists()
    return article


def republish(page, **fields):
    page = page.specific
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_full_publish_writes_every_live_page_of_every_site_to_both_nodes(built, publishing):
    expected = SITE_PAGES | {"/ywdt/a1/"}
    for root in publishing.values():
        for path in expected:
            assert file_of(root, path).is_file(), path
        assert file_of(root, "/ywdt/b1/", host="other.localhost").is_file()
        assert (root / "_shared/static/themes/base.css").is_file()
    assert manifest_paths("node1") == manifest_paths("node2") == expected
    body = file_of(publishing["node1"], "/ywdt/a1/").read_text()
    assert "第一篇" in body and "正文内容" in body


def test_publishing_an_article_renders_it_and_the_pages_that_list_it(built, news, publishing):
    make_article(news, "第二篇", slug="a2")
    rendered, removed, report = drained()
    assert rendered == {"/ywdt/a2/", "/ywdt/", "/"}
    assert removed == set()
    assert report.written["node1"] == report.written["node2"] >= 1
    for root in publishing.values():
        assert "第二篇" in file_of(root, "/ywdt/").read_text()
        assert "第二篇" in file_of(root, "/ywdt/a2/").read_text()


def test_editing_the_body_rewrites_only_the_article(built, publishing):
    republish(built, body=[("paragraph", "<p>更正后的正文。</p>")])
    rendered, removed, report = drained()
    assert rendered == {"/ywdt/a1/", "/ywdt/", "/"}
    # The listings show the title and date, which did not change: same bytes, not rewritten.
    assert report.written == {"node1": 1, "node2": 1}
    for root in publishing.values():
        assert "更正后的正文" in file_of(root, "/ywdt/a1/").read_text()


def test_a_new_title_reaches_the_column_and_home_listings(built, publishing):
    republish(built, title="第一篇（更正）")
    rendered, removed, _ = drained()
    assert rendered == {"/ywdt/a1/", "/ywdt/", "/"}
    for path in ("/ywdt/a1/", "/ywdt/"):
        assert "第一篇（更正）" in file_of(publishing["node2"], path).read_text()


def test_unpublishing_removes_the_file_and_the_listing_entry(built, publishing):
    built.unpublish()
    rendered, removed, _ = drained()
    assert removed == {"/ywdt/a1/"}
    assert rendered == {"/ywdt/", "/"}
    for root in publishing.values():
        assert not file_of(root, "/ywdt/a1/").exists()
        assert "第一篇" not in file_of(root, "/ywdt/").read_text()
    assert "/ywdt/a1/" not in manifest_paths("node1") | manifest_paths("node2")


def test_moving_an_article_leaves_its_old_address(built, pubsite, publishing):
    built.move(column(pubsite, "tzgg"), pos="last-child")
    rendered, removed, _ = drained()
    assert removed == {"/ywdt/a1/"}
    assert rendered == {"/tzgg/a1/", "/tzgg/", "/ywdt/", "/"}
    for root in publishing.values():
        assert not file_of(root, "/ywdt/a1/").exists()
        assert "第一篇" in file_of(root, "/tzgg/a1/").read_text()


def test_deleting_an_article_removes_its_file(built, publishing):
    ArticlePage.objects.get(pk=built.pk).delete()
    rendered, removed, _ = drained()
    assert removed == {"/ywdt/a1/"}
    assert rendered == {"/ywdt/", "/"}
    assert not file_of(publishing["node1"], "/ywdt/a1/").exists()


def test_a_filing_footer_change_rerenders_every_page_of_that_site_only(built, pubsite, publishing):
    change_site(pubsite, icp_number="赣ICP备12345678号")
    rendered, removed, _ = drained()
    assert rendered == SITE_PAGES | {"/ywdt/a1/"}
    assert removed == set()
    for root in publishing.values():
        assert "赣ICP备12345678号" in file_of(root, "/ywdt/a1/").read_text()
        assert "赣ICP备12345678号" not in file_of(root, "/ywdt/b1/", host="other.localhost").read_text()


def test_a_theme_change_rerenders_every_page_of_the_site(built, pubsite, publishing):
    change_site(pubsite, theme="department")
    rendered, _removed, _ = drained()
    assert rendered == SITE_PAGES | {"/ywdt/a1/"}
    assert "department.css" in file_of(publishing["node1"], "/ywdt/a1/").read_text()
    assert (publishing["node2"] / "_shared/static/themes/department.css").is_file()


def test_renaming_a_top_level_column_rerenders_the_whole_site(built, news, publishing):
    republish(news, title="今日九江")
    rendered, _removed, _ = drained()
    assert rendered == SITE_PAGES | {"/ywdt/a1/"}
    # The navigation on every page carries the new name.
    assert "今日九江" in file_of(publishing["node1"], "/zcwj/").read_text()


def test_the_home_page_intro_rerenders_only_the_home_page(built, pubsite, publishing):
    republish(pubsite.site.root_page, intro="欢迎访问修水县人民政府网站。")
    rendered, _removed, _ = drained()
    assert rendered == {"/"}
    assert "欢迎访问修水县" in file_of(publishing["node1"], "/").read_text()


def test_a_restricted_page_is_taken_off_the_static_tree(built, publishing):
    PageViewRestriction.objects.create(page=built, restriction_type="password", password="secret")
    rendered, removed, _ = drained()
    assert removed == {"/ywdt/a1/"}
    assert rendered == {"/ywdt/", "/"}
    assert not file_of(publishing["node1"], "/ywdt/a1/").exists()


def test_dynamic_pages_stay_with_django(built, pubsite, publishing):
    from tests.interaction.conftest import make_channel

    channel = make_channel(pubsite)
    drained()
    assert channel.url_path.endswith("/hdjl/xzxx/")
    index = file_of(publishing["node1"], "/hdjl/xzxx/")
    # The channel's index page is a page like any other; its form (with a CSRF
    # token and a challenge) is served by Django, linked from the static page.
    assert index.is_file() and "write/" in index.read_text()
    assert not (publishing["node1"] / HOST / "hdjl/xzxx/write").exists()
    assert not PublishedFile.objects.filter(path__contains="/write/").exists()


def test_nothing_is_queued_while_static_publishing_is_off(settings, pubsite, news):
    settings.STATIC_PUBLISH_ENABLED = False
    make_article(news, "第三篇", slug="a3")
    assert not StaticChange.objects.exists()


def test_other_models_keep_their_fast_bulk_deletes(db):
    """The page-deletion receiver listens to Page only: the outbox's clean-up stays one DELETE."""
    from django.db.models.deletion import Collector

    assert Collector("default").can_fast_delete(StaticChange.objects.all())


def test_rendering_leaves_the_callers_database_connection_open(built):
    """A render is not a request: the end-of-request clean-up must not close the worker's connection."""
    from django.db import connection

    from sitegroup.publishing.render import render_page

    connection.ensure_connection()
    assert render_page(HOST, 80, "/") is not None
    assert connection.connection is not None and not connection.needs_rollback
    assert StaticChange.objects.count() == 0  # still usable (PostgreSQL closed it before the fix)
