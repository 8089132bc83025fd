"""Set naming, the lock, retention and the clean-up of a failed backup, in-process."""

from pathlib import Path

import pytest

from sitegroup.backup import database, media, services, sets
from sitegroup.backup.errors import BackupError


def make_set(root: Path, name: str) -> Path:
    path = root / name
    path.mkdir()
    (path / "manifest.json").write_text("{}")
    return path


def test_complete_sets_and_retention(tmp_path):
    made = [make_set(tmp_path, name) for name in (
        "sitegroup-20260101-020000", "sitegroup-20260102-020000", "sitegroup-20260102-020000-2",
        "sitegroup-20260102-020000-10", "sitegroup-20260103-020000")]
    (tmp_path / "sitegroup-20260104-020000.partial").mkdir()
    (tmp_path / "sitegroup-20260105-020000").mkdir()  # no manifest: not a set
    assert sets.complete_sets(tmp_path) == made
    assert [p.name for p in sets.leftovers(tmp_path)] == ["sitegroup-20260104-020000.partial"]
    assert sets.prune(tmp_path, 2, made[-1]) == made[:3]
    assert sets.complete_sets(tmp_path) == made[3:]
    # The newest set survives whatever else is asked.
    assert sets.prune(tmp_path, 1, made[-1]) == [made[3]]
    assert sets.complete_sets(tmp_path) == [made[-1]]
    with pytest.raises(BackupError, match="至少为 1"):
        sets.prune(tmp_path, 0, made[-1])


def test_one_backup_at_a_time(tmp_path):
    with sets.locked(tmp_path):
        with pytest.raises(BackupError, match="另一个备份任务"):
            with sets.locked(tmp_path):
                pass
    with sets.locked(tmp_path):
        pass


def test_names_do_not_collide(tmp_path):
    first = sets.new_name(tmp_path)
    (tmp_path / first).mkdir()
    second = sets.new_name(tmp_path)
    (tmp_path / (second + sets.PARTIAL)).mkdir()
    third = sets.new_name(tmp_path)
    assert len({first, second, third}) == 3
    assert sets.NAME_RE.match(second) and sets.NAME_RE.match(third)


def test_backups_never_go_where_the_site_serves_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(BackupError, match="会被网站公开访问"):
        services.make_backup(tmp_path / "media" / "backups", key=None, keep=1, say=print)
    assert not (tmp_path / "media").exists()


def test_failed_backup_leaves_nothing_and_is_audited(tmp_path, monkeypatch):
    recorded = []

    def fake_dump(work, key):
        (work / "database.sqlite3").write_bytes(b"dump")
        return {"file": "database.sqlite3", "format": "sqlite3", "tables": {}, "audit_last_seq": 0}

    def broken_archive(root, work, key, say):
        (work / "media.tar").write_bytes(b"half")
        raise BackupError("媒体文件 x 在备份过程中被改动")

    monkeypatch.setattr(database, "dump", fake_dump)
    monkeypatch.setattr(media, "archive", broken_archive)
    monkeypatch.setattr(services, "_record", lambda kind, **detail: recorded.append((kind, detail)))
    older = make_set(tmp_path, "sitegroup-20200101-000000")
    with pytest.raises(BackupError, match="被改动"):
        services.make_backup(tmp_path, key=None, keep=1, say=lambda line: None)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".backup.lock", older.name]
    assert recorded == [("BACKUP", {"target": str(tmp_path), "result": "失败",
                                    "error": "媒体文件 x 在备份过程中被改动"})]
