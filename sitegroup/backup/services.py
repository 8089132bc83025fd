"""Making a backup set, restoring one, and verifying one: the steps the
``backup`` and ``restore`` commands run. ``say`` prints one progress line."""

import os
import platform
import shutil
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from . import crypto, database, manifest, media, sets, verify
from .errors import BackupError
from .manifest import human_size


def _record(kind, **detail) -> None:
    from sitegroup.security.audit import record
    from sitegroup.security.models import AuditKind

    record(getattr(AuditKind, kind), None, **detail)


# ------------------------------------------------------------------ backup

def make_backup(root: Path, *, key: bytes | None, keep: int, say) -> Path:
    """Write one complete set under ``root``, prune old ones, audit it."""
    if keep < 1:
        raise BackupError("--keep 至少为 1：最新的一份备份永远保留。")
    root = Path(root).absolute()
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = Path(getattr(settings, name) or "/nonexistent").absolute()
        if root == served or served in root.parents:
            raise BackupError(f"备份目录 {root} 位于 {name}（{served}）之内，会被网站公开访问，不能使用。")
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        with sets.locked(root):
            for stale in sets.leftovers(root):
                say(f"清理上次中断留下的未完成备份：{stale.name}")
                shutil.rmtree(stale)
            name = sets.new_name(root)
            work = root / (name + sets.PARTIAL)
            work.mkdir(mode=0o700)
            try:
                data = _write_set(work, name, key, say)
                final = root / name
                os.rename(work, final)  # only now does the set look complete
                manifest.fsync_path(root)
            except BaseException:
                shutil.rmtree(work, ignore_errors=True)
                raise
            try:
                removed = sets.prune(root, keep, final)
            except OSError as exc:
                raise BackupError(f"备份已完成（{final}），但按保留策略删除旧备份失败：{exc}")
    except (BackupError, OSError, DatabaseError) as exc:
        _record_failure("BACKUP", root, exc)
        if isinstance(exc, OSError):
            raise BackupError(f"备份失败：{exc}")
        raise
    for path in removed:
        say(f"按保留策略（保留最近 {keep} 份）删除旧备份：{path.name}")
    files = [p for p in final.iterdir() if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    say(f"备份完成：{final}（{len(files)} 个文件，共 {human_size(size)}）")
    _record("BACKUP", target=str(final), files=len(files), size=size, media_files=data["media"]["files"],
            tables=len(data["database"]["tables"]), encrypted=key is not None,
            removed=[p.name for p in removed] or None)
    return final


def _write_set(work: Path, name: str, key: bytes | None, say) -> dict:
    started = timezone.localtime()
    say("正在备份数据库…")
    db = database.dump(work, key)
    say(f"数据库已备份：{len(db['tables'])} 张表，共 {sum(db['tables'].values())} 行。")
    say("正在备份媒体文件…")
    med = media.archive(Path(settings.MEDIA_ROOT), work, key, say)
    say(f"媒体文件已备份：{med['files']} 个，共 {human_size(med['bytes'])}。")
    say("正在计算 SHA-256 校验和…")
    data = {
        "format": manifest.FORMAT,
        "name": name,
        "created_at": started.isoformat(timespec="seconds"),
        "versions": {"django": django.get_version(), "wagtail": wagtail.__version__,
                     "python": platform.python_version()},
        "database": {"vendor": connection.vendor, **db},
        "media": med,
        "encryption": {"algorithm": crypto.ALGORITHM, "key_id": crypto.key_id(key)} if key else None,
        "files": manifest.describe_files(work, [db["file"], med["file"], med["index"]]),
    }
    manifest.write(work, data)
    manifest.fsync_path(work)
    return data


def _record_failure(kind: str, target, exc: Exception) -> None:
    try:
        _record(kind, target=str(target), result="失败", error=str(exc)[:500])
    except DatabaseError:
        pass  # the database itself is what failed; the command's exit code still says so


# ------------------------------------------------------------------ restore

def load_set(set_dir: Path, key: bytes | None, say) -> dict:
    """Read a set's manifest, check every file's SHA-256 and the key; touch nothing."""
    data = manifest.read(set_dir)
    versions = data.get("versions", {})
    say(f"备份集 {set_dir}：创建于 {data.get('created_at')}，{data['database']['vendor']} 数据库，"
        f"Django {versions.get('django')} / Wagtail {versions.get('wagtail')}。")
    if (versions.get("django"), versions.get("wagtail")) != (django.get_version(), wagtail.__version__):
        say(f"  注意：当前运行的是 Django {django.get_version()} / Wagtail {wagtail.__version__}，"
            "与备份时不同；恢复后请运行 migrate。")
    for part, field in (("database", "file"), ("media", "file"), ("media", "index")):
        if data[part][field] not in data["files"]:
            raise BackupError(f"清单不完整：{data[part][field]} 没有登记 SHA-256。")
    say("校验备份文件的 SHA-256…")
    manifest.check_files(set_dir, data, say)
    encryption = data.get("encryption")
    if encryption:
        if key is None:
            raise BackupError("该备份已加密：请用 --decrypt-key-file 指定加密时使用的密钥文件。")
        if crypto.key_id(key) != encryption.get("key_id"):
            raise BackupError(f"解密密钥不正确：该备份用编号 {encryption.get('key_id')} 的密钥加密，"
                              f"所给密钥的编号是 {crypto.key_id(key)}。")
        for name in data["files"]:
            if name.endswith(crypto.SUFFIX):
                crypto.check_key(key, set_dir / name)
        say("  解密密钥正确。")
    if data["database"]["vendor"] != connection.vendor:
        raise BackupError(f"该备份来自 {data['database']['vendor']} 数据库，当前配置的是 {connection.vendor}，"
                          "不能直接恢复。")
    return data


def restore_backup(set_dir: Path, *, key: bytes | None, confirm, say) -> None:
    """Restore a verified set into an empty database and media directory, verify
    the result, and audit it in the restored database."""
    set_dir = Path(set_dir).absolute()
    data = load_set(set_dir, key, say)
    media_root = Path(settings.MEDIA_ROOT)
    say("检查恢复目标…")
    database.ensure_empty()
    media.ensure_empty(media_root)
    target = f"数据库 {database.describe_target()} 与媒体目录 {media_root}"
    say(f"  {target} 均为空。")
    if not confirm(f"将把备份 {set_dir.name} 恢复到{target}。"):
        raise BackupError("已取消恢复，未做任何改动。")
    say("正在恢复数据库…")
    database.restore(set_dir, data["database"], key)
    say("  数据库已恢复。")
    say("正在恢复媒体文件…")
    try:
        count = media.extract(set_dir, data["media"], media_root, key, say)
    except BackupError as exc:
        raise BackupError(f"{exc} 数据库已恢复而媒体目录只写入了一部分：请清空数据库与媒体目录后重新恢复。")
    say(f"  已恢复 {count} 个媒体文件。")
    try:
        verify.run_all(set_dir, data, key, say)
    except BackupError as exc:
        _record_failure("RESTORE", set_dir, exc)
        raise BackupError(f"恢复后校验失败：{exc}")
    _record("RESTORE", target=str(set_dir), verified=True, backup_created_at=data.get("created_at"))
    say("恢复完成，全部校验通过；已记入安全审计。")


def verify_backup(set_dir: Path, *, key: bytes | None, say) -> None:
    """Check the current database and media directory against a set."""
    set_dir = Path(set_dir).absolute()
    data = load_set(set_dir, key, say)
    verify.run_all(set_dir, data, key, say)
    say("校验通过：当前数据库与媒体文件和备份一致。")
