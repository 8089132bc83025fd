"""manage.py publish_static: progress, one site, interrupted and resumed."""

import pytest
from django.core.management import CommandError, call_command

from sitegroup.publishing import apply, lease
from sitegroup.publishing.models import PublishedFile, StaticChange
from tests.factories import column, make_article, make_site

from .helpers import SITE_PAGES, file_of


@pytest.fixture
def two_sites(publishing, pubsite, news):
    for n in range(5):
        make_article(news, f"文章{n}", slug=f"a{n}")
    other = make_site("department", hostname="other.localhost")
    make_article(column(other, "ywdt"), "别站文章", slug="b1")
    StaticChange.objects.all().delete()  # what the edits above queued: these tests publish from scratch
    return pubsite, other


def test_publishes_every_site_with_progress(two_sites, publishing, capsys):
    call_command("publish_static")
    out = capsys.readouterr().out
    assert "已发布 " in out and "页/秒" in out
    assert "已发布 20/20" in out and "生成 20 页" in out
    for n in range(5):
        assert file_of(publishing["node2"], f"/ywdt/a{n}/").is_file()
    assert file_of(publishing["node1"], "/ywdt/b1/", host="other.localhost").is_file()
    assert PublishedFile.objects.filter(kind="page", target="node1").count() == 2 * len(SITE_PAGES) + 6


def test_one_site_only(two_sites, publishing):
    call_command("publish_static", "--site", two_sites[0].code)
    assert file_of(publishing["node1"], "/ywdt/a0/").is_file()
    assert not (publishing["node1"] / "other.localhost").exists()


def test_an_unknown_site_code_is_refused(two_sites):
    with pytest.raises(CommandError, match="没有这些站点代码：nosuch"):
        call_command("publish_static", "--site", "nosuch")


def test_refused_while_publishing_is_off(settings, db):
    settings.STATIC_PUBLISH_ENABLED = False
    with pytest.raises(CommandError, match="静态发布未开启"):
        call_command("publish_static")


def test_an_interrupted_run_resumes_where_it_stopped(two_sites, publishing, monkeypatch, capsys):
    monkeypatch.setattr(apply, "BATCH", 4)
    real_renew = lease.renew
    calls = {"n": 0}

    def interrupt_after_two_batches(owner):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        real_renew(owner)

    monkeypatch.setattr(lease, "renew", interrupt_after_two_batches)
    with pytest.raises(KeyboardInterrupt):
        call_command("publish_static")
    remaining = apply.pending()
    done = PublishedFile.objects.filter(kind="page", target="node1").count()
    assert (done, remaining) == (8, 2 * len(SITE_PAGES) + 6 - 8)  # two batches of four landed
    capsys.readouterr()

    call_command("publish_static")  # resumes: does not queue the whole group again
    out = capsys.readouterr().out
    assert f"已发布 4/{remaining}" in out and f"处理 {remaining} 项" in out
    assert PublishedFile.objects.filter(kind="page", target="node1").count() == 2 * len(SITE_PAGES) + 6
    assert not StaticChange.objects.exists()
    assert file_of(publishing["node2"], "/ywdt/a4/").is_file()


def test_restart_queues_everything_again(two_sites, publishing, capsys):
    call_command("publish_static")
    capsys.readouterr()
    call_command("publish_static", "--restart")
    out = capsys.readouterr().out
    assert "没有文件需要更新" in out  # same bytes: nothing rewritten
