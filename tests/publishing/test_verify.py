"""防篡改: verify_static finds altered, deleted and added files and puts them back."""

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from review.models import LedgerEntry
from sitegroup.notices.models import Notification
from sitegroup.publishing import services
from sitegroup.publishing.models import PublishedFile
from sitegroup.registry.roles import ensure_office_group
from tests.factories import make_article, make_user

from .helpers import HOST, file_of


@pytest.fixture
def built(publishing, pubsite, news):
    article = make_article(news, "第一篇", slug="a1")
    services.publish_all()
    return article


@pytest.fixture
def office(db):
    return make_user("office", groups=[ensure_office_group()])


def run_verify():
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_static")
    return exit_info.value.code


def test_altered_deleted_and_added_files_are_restored_recorded_and_reported(built, pubsite, publishing, office,
                                                                           capsys):
    node1, node2 = publishing["node1"], publishing["node2"]
    page, home, css = file_of(node1, "/ywdt/a1/"), file_of(node2, "/"), node1 / "_shared/static/themes/base.css"
    originals = {path: path.read_bytes() for path in (page, home, css)}
    page.write_text("<h1>网站被黑</h1>", encoding="utf-8")
    home.unlink()
    css.write_bytes(b"body{display:none}")
    planted = node2 / HOST / "ywdt" / "shell.php"
    planted.write_bytes(b"<?php system($_GET[1]); ?>")

    assert run_verify() == 1
    out = capsys.readouterr().out
    assert "被篡改：node1:pub.localhost/ywdt/a1/index.html" in out
    assert "被删除：node2:pub.localhost/index.html" in out
    assert "被添加：node2:pub.localhost/ywdt/shell.php" in out
    assert "被篡改：node1:_shared/static/themes/base.css" in out
    for path, data in originals.items():
        assert path.read_bytes() == data
    assert not planted.exists()

    entries = {e.detail["site"]: e for e in LedgerEntry.objects.filter(action="static_tamper")}
    assert set(entries) == {HOST, "_shared"}
    assert entries[HOST].page_id_ref == pubsite.site.root_page_id
    assert "被篡改 1 个" in entries[HOST].detail["summary"] and "被删除 1 个" in entries[HOST].detail["summary"]
    assert any("shell.php" in line for line in entries[HOST].detail["files"])
    note = Notification.objects.get(user=office)
    assert note.title == "网页防篡改：发现并恢复被改动的文件" and note.url == "/admin/publishing/"
    assert "pub.localhost" in note.body and "公共资源" in note.body

    call_command("verify_static")  # clean now: exits 0
    assert LedgerEntry.objects.filter(action="static_tamper").count() == 2


def test_a_missing_file_of_a_page_that_may_no_longer_be_public_is_not_put_back(built, publishing, office):
    file_of(publishing["node1"], "/ywdt/a1/").unlink()
    # Restricted while static publishing was switched off: nothing was queued.
    from django.test import override_settings

    with override_settings(STATIC_PUBLISH_ENABLED=False):
        PageViewRestriction.objects.create(page=built, restriction_type="password", password="x")
    assert run_verify() == 1
    assert not file_of(publishing["node1"], "/ywdt/a1/").exists()
    assert not PublishedFile.objects.filter(target="node1", path="/ywdt/a1/").exists()


def test_a_file_the_publisher_writes_during_the_walk_is_not_taken_for_tampering(built, publishing,
                                                                               monkeypatch):
    """The publisher writes the file, then its manifest row; verify re-reads the row before acting."""
    from sitegroup.publishing import targets

    key = targets.page_key(HOST, "/ywdt/a1/")
    new = b"<html>new revision</html>"
    real_read = targets.read

    def read_during_publish(target, name):
        if name == key and str(target.location).endswith("node1"):
            file_of(publishing["node1"], "/ywdt/a1/").write_bytes(new)
            PublishedFile.objects.filter(target="node1", key=key).update(sha256=targets.digest(new))
        return real_read(target, name)

    monkeypatch.setattr(targets, "read", read_during_publish)
    assert services.check_and_restore(full=True).findings == []  # full: every file is read
    assert file_of(publishing["node1"], "/ywdt/a1/").read_bytes() == new


def test_verify_with_publishing_off_says_so(settings, capsys, db):
    settings.STATIC_PUBLISH_ENABLED = False
    call_command("verify_static")
    assert "未开启" in capsys.readouterr().out


def test_the_quick_check_hashes_only_changed_files_and_full_finds_a_disguised_edit(built, publishing):
    import os

    report = services.check_and_restore()
    assert report.findings == [] and report.checked > 0 and report.hashed == 0  # nothing changed since written
    page = file_of(publishing["node1"], "/ywdt/a1/")
    original, stat = page.read_bytes(), page.stat()
    # Same length, same modification time: only a hash can tell.
    disguised = original.replace("第一篇".encode(), "第二篇".encode())
    assert len(disguised) == len(original) and disguised != original
    page.write_bytes(disguised)
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert services.check_and_restore().findings == []
    report = services.check_and_restore(full=True)
    assert [(f.key, f.problem) for f in report.findings] == [(f"{HOST}/ywdt/a1/index.html", "altered")]
    assert report.hashed == report.checked
    assert page.read_bytes() == original
    # The restored file's new time is recorded: the next quick check hashes nothing.
    assert services.check_and_restore().hashed == 0


def test_a_shard_checks_only_its_sites(built, pubsite, publishing, capsys):
    from tests.factories import column, make_site

    other = make_site("department", hostname="other.localhost")
    make_article(column(other, "ywdt"), "别站文章", slug="b1")
    services.drain()
    mine, theirs = file_of(publishing["node1"], "/ywdt/a1/"), file_of(publishing["node1"], "/ywdt/b1/",
                                                                       host="other.localhost")
    mine.write_text("改", encoding="utf-8")
    theirs.write_text("改", encoding="utf-8")
    assert run_verify_args("--site", pubsite.code) == 1
    assert mine.read_text() != "改" and theirs.read_text() == "改"
    with pytest.raises(Exception, match="没有这些站点代码：nosuch"):
        call_command("verify_static", "--site", "nosuch")


def run_verify_args(*args):
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_static", *args)
    return exit_info.value.code


def test_the_office_sees_targets_backlog_and_tamper_events(client, built, publishing, office, pubsite,
                                                           django_assert_max_num_queries):
    from tests.factories import make_user as user
    from tests.helpers import denied

    from .storages import FlakyFileSystemStorage

    file_of(publishing["node1"], "/ywdt/a1/").write_text("改", encoding="utf-8")
    run_verify()
    FlakyFileSystemStorage.down.add(str(publishing["node2"]))
    make_article(built.get_parent(), "第二篇", slug="a2")
    services.drain()
    client.force_login(office)
    with django_assert_max_num_queries(14):  # the admin's own (session, user, menus) and three of the page's
        page = client.get("/admin/publishing/").content.decode()
    assert "node2" in page and "目标不可用" in page and "<strong>1</strong>" in page
    assert "pub.localhost" in page and "被篡改 1 个" in page
    client.force_login(user("editor", pubsite, "editor"))
    assert denied(client.get("/admin/publishing/"))
