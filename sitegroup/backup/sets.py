"""Backup sets on disk: their names, the lock, leftovers of interrupted runs,
and retention.

A set is written into ``<name>.partial/`` and renamed to ``<name>/`` only when
complete, so a directory counts as a set only if its name has no suffix and it
holds a manifest. Every backup run holds an exclusive lock on the output
directory; a ``.partial`` directory found while holding it is a leftover of a
crashed run (nothing else can be writing it) and is removed."""

import fcntl
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .errors import BackupError
from .manifest import MANIFEST

PREFIX = "sitegroup-"
PARTIAL = ".partial"
LOCK = ".backup.lock"
NAME_RE = re.compile(r"^sitegroup-(\d{8}-\d{6})(?:-(\d+))?$")
PARTIAL_RE = re.compile(r"^sitegroup-\d{8}-\d{6}(?:-\d+)?\.partial$")


def default_root() -> Path:
    return Path(getattr(settings, "BACKUP_ROOT", settings.VAR_DIR / "backups"))


def default_keep() -> int:
    return int(getattr(settings, "BACKUP_KEEP", 14))


@contextmanager
def locked(root: Path):
    """Hold the output directory's lock, or refuse: one backup at a time."""
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(f"另一个备份任务正在向 {root} 写入，本次不再运行。")
        yield
    finally:
        os.close(fd)


def new_name(root: Path) -> str:
    base = PREFIX + timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name, n = base, 1
    while (root / name).exists() or (root / (name + PARTIAL)).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _order(path: Path):
    stamp, serial = NAME_RE.match(path.name).groups()
    return stamp, int(serial or 1)


def complete_sets(root: Path) -> list[Path]:
    """Complete sets under ``root``, oldest first."""
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir()
             if NAME_RE.match(p.name) and p.is_dir() and not p.is_symlink() and (p / MANIFEST).is_file()]
    return sorted(found, key=_order)


def leftovers(root: Path) -> list[Path]:
    """``.partial`` directories of interrupted runs (call only while holding the lock)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if PARTIAL_RE.match(p.name) and p.is_dir() and not p.is_symlink())


def prune(root: Path, keep: int, newest: Path) -> list[Path]:
    """Remove complete sets older than the ``keep`` newest; never ``newest``."""
    if keep < 1:
        raise BackupError("--keep 至少为 1：最新的一份备份永远保留。")
    sets = complete_sets(root)
    doomed = [p for p in sets[: max(0, len(sets) - keep)] if p.resolve() != newest.resolve()]
    for path in doomed:
        shutil.rmtree(path)
    return doomed
