"""The media files (MEDIA_ROOT) as one tar archive, with a SHA-256 index of
every file so a restore can be checked file by file."""

import hashlib
import json
import os
import stat
import tarfile
from contextlib import contextmanager
from pathlib import Path

from . import crypto
from .errors import BackupError
from .manifest import sha256_file

ARCHIVE = "media.tar"
INDEX = "media-index.json"


def _progress_step(total: int) -> int:
    return max(1, total // 20)


def list_files(root: Path) -> list[Path]:
    """Regular files under ``root``, sorted; symbolic links are not followed."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if stat.S_ISREG(path.lstat().st_mode):
                found.append(path)
    return found


def is_empty(root: Path) -> bool:
    if not root.exists():
        return True
    if not root.is_dir():
        raise BackupError(f"媒体目录 {root} 不是目录。")
    return not any(files for _, _, files in os.walk(root))


def ensure_empty(root: Path) -> None:
    if not is_empty(root):
        raise BackupError(
            f"媒体目录 {root} 不是空目录。恢复只写入空的媒体目录，不会覆盖现有文件；--yes 也不能绕过。"
            "请先移走该目录（或配置新的 MEDIA_ROOT）后再恢复。"
        )


class _HashingReader:
    def __init__(self, stream):
        self._stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def read(self, size=-1):
        data = self._stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


@contextmanager
def _output(path: Path, key: bytes | None):
    """A new file (encrypted when ``key`` is given), flushed to disk when the block ends."""
    out = open(path, "xb")
    try:
        sink = crypto.EncryptingWriter(key, out) if key is not None else out
        yield sink
        if sink is not out:
            sink.close()
        out.flush()
        os.fsync(out.fileno())
    finally:
        out.close()


def archive(root: Path, work: Path, key: bytes | None, say) -> dict:
    """Write MEDIA_ROOT into ``work`` as a tar (and its index); return the
    manifest's "media" section."""
    files = list_files(root)
    total, step = len(files), _progress_step(len(files))
    name = ARCHIVE + (crypto.SUFFIX if key is not None else "")
    index, size = {}, 0
    with _output(work / name, key) as sink:
        with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            for number, path in enumerate(files, 1):
                rel = path.relative_to(root).as_posix()
                with open(path, "rb") as stream:
                    info = tar.gettarinfo(arcname=rel, fileobj=stream)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    reader = _HashingReader(stream)
                    try:
                        tar.addfile(info, reader)
                    except OSError as exc:
                        raise BackupError(f"媒体文件 {rel} 在备份过程中被改动（{exc}），请重新运行备份。")
                index[rel] = [reader.size, reader.digest.hexdigest()]
                size += reader.size
                if number % step == 0 or number == total:
                    say(f"媒体文件 {number}/{total} …")
    index_name = INDEX + (crypto.SUFFIX if key is not None else "")
    with _output(work / index_name, key) as sink:
        sink.write(json.dumps(index, ensure_ascii=False, sort_keys=True).encode())
    for produced in (name, index_name):
        os.chmod(work / produced, 0o600)
    return {"file": name, "index": index_name, "files": total, "bytes": size}


def _open_input(path: Path, key: bytes | None):
    stream = open(path, "rb")
    if path.name.endswith(crypto.SUFFIX):
        if key is None:
            stream.close()
            raise BackupError(f"{path.name} 已加密，需要 --decrypt-key-file。")
        try:
            return stream, crypto.DecryptingReader(key, stream, name=path.name)
        except BaseException:
            stream.close()
            raise
    return stream, stream


def read_index(set_dir: Path, info: dict, key: bytes | None) -> dict:
    stream, reader = _open_input(set_dir / info["index"], key)
    with stream:
        try:
            return json.loads(reader.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BackupError(f"{info['index']} 已损坏：{exc}")


def extract(set_dir: Path, info: dict, root: Path, key: bytes | None, say) -> int:
    """Unpack the set's media into ``root`` (which must be empty)."""
    total, step, count = info["files"], _progress_step(info["files"]), 0
    root.mkdir(parents=True, exist_ok=True)
    stream, reader = _open_input(set_dir / info["file"], key)
    with stream:
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    # The "data" filter refuses absolute paths, links out of root and device files.
                    tar.extract(member, root, filter="data")
                    if member.isfile():
                        count += 1
                        if count % step == 0 or count == total:
                            say(f"媒体文件 {count}/{total} …")
        except (tarfile.TarError, EOFError) as exc:
            raise BackupError(f"媒体归档 {info['file']} 无法解开：{exc}")
    return count


def verify(root: Path, index: dict, say) -> list[str]:
    """Compare the files under ``root`` with the index; return what is extra
    (new files are not a failure); raise BackupError for missing or changed ones."""
    problems, total, step = [], len(index), _progress_step(len(index))
    for number, (rel, (size, digest)) in enumerate(sorted(index.items()), 1):
        path = root / rel
        if not path.is_file():
            problems.append(f"{rel} 缺失")
        elif path.stat().st_size != size or sha256_file(path) != digest:
            problems.append(f"{rel} 内容与备份不符")
        if number % step == 0 or number == total:
            say(f"  校验媒体文件 {number}/{total} …")
    if problems:
        shown = "；".join(problems[:5]) + (f" 等 {len(problems)} 处" if len(problems) > 5 else "")
        raise BackupError(f"媒体文件校验失败：{shown}。")
    return sorted({p.relative_to(root).as_posix() for p in list_files(root)} - set(index))

