"""The manifest of a backup set: what is in it, its SHA-256 sums, the row count
of every table at backup time, and the versions and vendor it came from."""

import hashlib
import json
import os
from pathlib import Path

from .errors import BackupError

MANIFEST = "manifest.json"
FORMAT = 1
READ_BYTES = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while data := stream.read(READ_BYTES):
            digest.update(data)
    return digest.hexdigest()


def describe_files(set_dir: Path, names) -> dict:
    return {name: {"sha256": sha256_file(set_dir / name), "size": (set_dir / name).stat().st_size}
            for name in names}


def count_rows(cursor, tables, quote_name) -> dict[str, int]:
    """Row count of each table, through ``cursor`` (so inside the caller's snapshot)."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write(set_dir: Path, data: dict) -> Path:
    path = set_dir / MANIFEST
    with open(path, "x", encoding="utf-8") as stream:
        json.dump(data, stream, ensure_ascii=False, indent=2, sort_keys=True)
        stream.write("\n")
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, 0o600)
    return path


def read(set_dir: Path) -> dict:
    """The manifest of a complete set, or BackupError saying why it is not one."""
    set_dir = Path(set_dir)
    if not set_dir.is_dir():
        raise BackupError(f"备份目录不存在：{set_dir}")
    if set_dir.name.endswith(".partial"):
        raise BackupError(f"{set_dir.name} 是未完成（中断）的备份，不能用于恢复。")
    path = set_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{set_dir} 不是完整的备份集：缺少 {MANIFEST}。")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} 无法读取或已损坏：{exc}")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} 的格式版本不受支持（需要 {FORMAT}）。")
    return data


def check_files(set_dir: Path, data: dict, say=None) -> int:
    """Recompute every file's SHA-256; BackupError naming each file that differs."""
    problems = []
    for name, expected in sorted(data["files"].items()):
        path = Path(set_dir) / name
        if Path(name).name != name or not path.is_file():
            problems.append(f"{name} 缺失")
            continue
        actual = sha256_file(path)
        if actual != expected["sha256"]:
            problems.append(f"{name} 的 SHA-256 与清单不符（文件被改动或损坏）")
        elif say:
            say(f"  {name}：SHA-256 一致（{human_size(expected['size'])}）")
    if problems:
        raise BackupError("备份集校验失败，未做任何恢复：" + "；".join(problems) + "。")
    return len(data["files"])


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
