"""backup → restore into an empty SQLite database and media directory, and the
ways a restore must refuse. One migrated source serves every test here; what
fails before the target is touched runs in-process (pytest-django would stop
any database access there), the rest in subprocesses."""

import os
import shutil
import sqlite3

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.backup.conftest import Env, make_key, manifest
from tests.backup.drill import EXTRA_BYTES, EXTRA_MEDIA

AUDIT_TABLE = "security_auditevent"


@pytest.fixture(scope="module")
def source(sources):
    return sources.futures["sqlite"].result()


def sqlite_rows(env: Env, sql="SELECT name FROM sqlite_master WHERE type = 'table'"):
    path = env.workdir / "db.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def assert_untouched(env: Env):
    assert sqlite_rows(env) == []
    assert not env.media.exists() or not any(p.is_file() for p in env.media.rglob("*"))


def restore_in_process(*args):
    """Run restore here: it must fail before any database access, which
    pytest-django would refuse (no test here has the db fixture)."""
    media_before = sorted(settings.MEDIA_ROOT.rglob("*")) if settings.MEDIA_ROOT.exists() else []
    with pytest.raises(CommandError) as failure:
        call_command("restore", *map(str, args))
    assert (sorted(settings.MEDIA_ROOT.rglob("*")) if settings.MEDIA_ROOT.exists() else []) == media_before
    return str(failure.value)


def assert_restored(target: Env, source, set_dir):
    """The target holds what the source held when ``set_dir`` was written."""
    expected = manifest(set_dir)["database"]["tables"]
    report = target.drill("report")
    # The restore appends its own audit event to the restored trail; nothing else differs.
    assert report["counts"] == {**expected, AUDIT_TABLE: expected[AUDIT_TABLE] + 1}
    kind, target_path, detail = report["audit"][-1]
    assert (kind, target_path, detail.get("verified")) == ("restore", str(set_dir), True)
    assert report["ledger"] == [expected["review_ledgerentry"], None]
    assert report["audit_chain"] == [expected[AUDIT_TABLE] + 1, None]
    assert report["homes"] == {"jiujiang.localhost": [200, True], "xiushui.localhost": [200, True]}
    assert (target.media / EXTRA_MEDIA).read_bytes() == EXTRA_BYTES
    for name in source.made["media"]:
        assert (target.media / name).read_bytes() == (source.env.media / name).read_bytes()
    assert report["media"] == source.before["media"]
    return report


def test_backup_writes_a_complete_set(source):
    data = manifest(source.plain)
    # The manifest's counts are the live database's at backup time.
    assert data["database"]["tables"] == source.before["counts"]
    assert data["database"]["vendor"] == "sqlite"
    assert data["versions"]["wagtail"] == "8.0.1"
    assert sorted(data["files"]) == ["database.sqlite3", "media-index.json", "media.tar"]
    assert data["media"]["files"] == 3
    assert (source.plain / "database.sqlite3").read_bytes().startswith(b"SQLite format 3\x00")
    assert not list(source.plain.parent.glob("*.partial"))
    out = source.plain_run.stdout
    for line in ("正在备份数据库…", "媒体文件 3/3 …", "备份完成："):
        assert line in out
    # Both backups are in the live database's audit trail.
    backups = sqlite_rows(source.env, "SELECT target, detail FROM security_auditevent "
                                      "WHERE kind = 'backup' ORDER BY seq")
    assert [row[0] for row in backups] == [str(source.plain), str(source.encrypted)]
    assert '"files": 4' in backups[0][1]


def test_round_trip(source, tmp_path):
    target = Env.sqlite(tmp_path / "target")
    result = target.manage("restore", source.plain, "--yes")
    for step in ("校验备份文件的 SHA-256…", "校验行数…", "校验责任台账与安全审计哈希链…",
                 "修水县（xiushui.localhost）首页：HTTP 200", "恢复完成"):
        assert step in result.stdout
    restored = assert_restored(target, source, source.plain)

    # Running it again refuses clearly and changes nothing.
    again = target.manage("restore", source.plain, "--yes", ok=False)
    assert "目标数据库不是空库" in again.stderr
    assert "django_migrations" in again.stderr
    assert sqlite_rows(target, f"SELECT COUNT(*) FROM {AUDIT_TABLE}") == [(restored["counts"][AUDIT_TABLE],)]

    # --verify-only checks the restored database as it stands.
    check = target.manage("restore", "--verify-only", source.plain)
    assert "校验通过" in check.stdout
    assert "另有备份之后追加的安全审计记录 1 条" in check.stdout


def test_tampered_set_is_refused_before_anything_is_touched(source, tmp_path):
    tampered = tmp_path / source.plain.name
    shutil.copytree(source.plain, tampered)
    archive = tampered / "media.tar"
    data = bytearray(archive.read_bytes())
    data[len(data) // 3] ^= 0x01
    archive.write_bytes(bytes(data))
    message = restore_in_process(tampered, "--yes")
    assert "media.tar 的 SHA-256 与清单不符" in message
    assert "未做任何恢复" in message
    assert "SHA-256 与清单不符" in restore_in_process("--verify-only", tampered)


def test_incomplete_sets_are_refused(source, tmp_path):
    partial = tmp_path / (source.plain.name + ".partial")
    shutil.copytree(source.plain, partial)
    assert "未完成" in restore_in_process(partial, "--yes")
    missing = tmp_path / "no-manifest"
    shutil.copytree(source.plain, missing)
    (missing / "manifest.json").unlink()
    assert "缺少 manifest.json" in restore_in_process(missing, "--yes")
    (missing / "manifest.json").write_text("{not json")
    assert "已损坏" in restore_in_process(missing, "--yes")


def test_refuses_a_database_with_rows(source):
    rows = sqlite_rows(source.env, "SELECT COUNT(*) FROM django_migrations")
    result = source.env.manage("restore", source.plain, "--yes", ok=False)
    assert "目标数据库不是空库" in result.stderr
    assert "--yes 也不能绕过" in result.stderr
    assert sqlite_rows(source.env, "SELECT COUNT(*) FROM django_migrations") == rows


def test_refuses_a_media_directory_with_files(source, tmp_path):
    target = Env.sqlite(tmp_path / "target")
    stray = target.media / "original_images" / "old.png"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"not from the backup")
    result = target.manage("restore", source.plain, "--yes", ok=False)
    assert "不是空目录" in result.stderr
    assert sqlite_rows(target) == []
    assert [p for p in target.media.rglob("*") if p.is_file()] == [stray]

    # Without --yes and without a terminal to ask on, nothing is restored either.
    stray.unlink()
    result = target.manage("restore", source.plain, ok=False)
    assert "非交互运行时请加 --yes" in result.stderr
    assert_untouched(target)


def test_encrypted_round_trip(source, tmp_path):
    data = manifest(source.encrypted)
    assert sorted(data["files"]) == ["database.sqlite3.enc", "media-index.json.enc", "media.tar.enc"]
    database = (source.encrypted / "database.sqlite3.enc").read_bytes()
    archive = (source.encrypted / "media.tar.enc").read_bytes()
    index = (source.encrypted / "media-index.json.enc").read_bytes()
    assert b"SQLite format 3" not in database
    assert EXTRA_BYTES[:512] not in archive and b"drill" not in archive
    assert b"drill" not in index and "原始数据".encode() not in index

    assert "该备份已加密" in restore_in_process(source.encrypted, "--yes")
    wrong = restore_in_process(source.encrypted, "--yes", "--decrypt-key-file", make_key(tmp_path / "wrong.key"))
    assert "解密密钥不正确" in wrong

    target = Env.sqlite(tmp_path / "target")
    target.manage("restore", source.encrypted, "--yes", "--decrypt-key-file", source.key)
    assert_restored(target, source, source.encrypted)
    # Nothing decrypted is left beside the database.
    assert [p.name for p in target.workdir.iterdir() if p.name.startswith(".restore-")] == []


def test_retention_and_interrupted_sets(source, tmp_path):
    output = tmp_path / "sets"
    output.mkdir()
    old = [output / f"sitegroup-2020010{n}-000000" for n in (1, 2, 3)]
    for path in old:
        path.mkdir()
        (path / "manifest.json").write_text("{}")
    leftover = output / "sitegroup-20200104-000000.partial"
    leftover.mkdir()
    (leftover / "database.sqlite3").write_bytes(b"half written")
    (leftover / "manifest.json").write_text("{}")  # even with a manifest it is not a set
    unrelated = [output / "notes", output / "sitegroup-20200105-000000"]  # the second has no manifest
    for path in unrelated:
        path.mkdir()

    newest, run = source.env.backup(output, "--keep", "2")
    assert f"清理上次中断留下的未完成备份：{leftover.name}" in run.stdout
    assert "删除旧备份：sitegroup-20200101-000000" in run.stdout
    assert sorted(os.listdir(output)) == sorted([
        ".backup.lock", old[2].name, newest.name, "notes", "sitegroup-20200105-000000"])
    assert manifest(newest)["media"]["files"] == 3

    with pytest.raises(CommandError, match="--keep 至少为 1"):
        call_command("backup", "--output", str(output), "--keep", "0")
