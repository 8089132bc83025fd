"""The places the static tree is written to: Django storages named in
``STATIC_PUBLISH_TARGETS``, each receiving every change.

A local directory gets atomic replaces (write beside, then rename), so nginx
never serves half a file; any other storage (S3 through django-storages) gets
the storage API, where a PUT replaces an object whole.
"""

import hashlib
import os
import tempfile
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages

SHARED_PREFIX = "_shared"


@cache
def _create(name, backend, options_items):
    try:
        return storages.create_storage({"BACKEND": backend, "OPTIONS": dict(options_items)})
    except InvalidStorageError:
        raise
    except Exception as exc:  # noqa: BLE001 - name the target in the error
        raise InvalidStorageError(f"静态发布目标 {name} 配置有误：{exc}") from exc


def _freeze(options):
    return tuple(sorted((k, v if not isinstance(v, dict | list) else repr(v)) for k, v in options.items()))


def configured() -> dict:
    return dict(getattr(settings, "STATIC_PUBLISH_TARGETS", {}) or {})


def storage(name):
    params = configured()[name]
    options = params.get("OPTIONS", {})
    if any(isinstance(v, dict | list) for v in options.values()):
        return storages.create_storage(params)  # unhashable options: not memoised
    return _create(name, params["BACKEND"], _freeze(options))


def names() -> list[str]:
    return list(configured())


def local_root() -> str | None:
    """The directory nginx serves: the first target that is a local directory."""
    for name in names():
        target = storage(name)
        if isinstance(target, FileSystemStorage):
            return str(target.location)
    return None


def page_key(hostname: str, path: str) -> str:
    """``/news/a/`` of ``www.example`` → ``www.example/news/a/index.html``."""
    return f"{hostname}{path}index.html" if path.endswith("/") else f"{hostname}{path}"


def asset_key(url_path: str) -> str:
    """``/static/x.css`` → ``_shared/static/x.css`` (shared by every site)."""
    return f"{SHARED_PREFIX}{url_path}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write(target, key: str, data: bytes) -> int | None:
    """Replace the file; returns its modification time (ns) on a local target, else None."""
    if isinstance(target, FileSystemStorage):
        path = target.path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".publish-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)  # readable by the web server's user
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return os.stat(path).st_mtime_ns
    if target.exists(key):
        target.delete(key)
    saved = target.save(key, ContentFile(data))
    if saved != key:
        raise OSError(f"存储把 {key} 另存为 {saved}")
    return None


def delete(target, key: str):
    if isinstance(target, FileSystemStorage):
        try:
            os.unlink(target.path(key))
        except FileNotFoundError:
            pass
        return
    target.delete(key)


def read(target, key: str) -> bytes | None:
    if isinstance(target, FileSystemStorage):
        try:
            with open(os.path.join(target.location, key), "rb") as fh:
                return fh.read()
        except (FileNotFoundError, NotADirectoryError):
            return None
    try:
        with target.open(key, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        return None
    except OSError:
        if not target.exists(key):
            return None
        raise


def top_levels(target) -> set[str]:
    """The names directly under the target's root (one per site, plus ``_shared``)."""
    if isinstance(target, FileSystemStorage):
        root = str(target.location)
        return set(os.listdir(root)) if os.path.isdir(root) else set()
    dirs, files = target.listdir("")
    return set(dirs) | set(files)


def walk_stat(target, prefix):
    """(key, (size, mtime_ns)) of every file under ``prefix``; the stat is None where
    the storage has none to give cheaply (object storage: verify hashes those)."""
    if not isinstance(target, FileSystemStorage):
        for key in _listed(target, prefix):
            yield key, None
        return
    root = str(target.location)
    start = os.path.join(root, prefix)
    if os.path.isfile(start):
        st = os.stat(start)
        yield prefix, (st.st_size, st.st_mtime_ns)
        return
    pending = [(start, prefix)]
    while pending:
        directory, rel = pending.pop()
        try:
            entries = os.scandir(directory)
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                key = f"{rel}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, key))
                else:
                    st = entry.stat(follow_symlinks=False)
                    yield key, (st.st_size, st.st_mtime_ns)


def _listed(target, prefix):
    """Every key under ``prefix`` through the storage API (object storage has no cheap stat)."""
    if prefix and target.exists(prefix):
        yield prefix  # an object with the name of a top-level directory
    pending = [prefix]
    while pending:
        current = pending.pop()
        try:
            dirs, files = target.listdir(current)
        except FileNotFoundError:
            continue
        for name in files:
            yield f"{current}/{name}" if current else name
        pending.extend(f"{current}/{d}" if current else d for d in dirs)
