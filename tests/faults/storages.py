"""Storages that fail like a full or read-only disk, for the fault tests.

The tests run as root, where a read-only directory does not stop writes, so the
failure is made here. The real storage code does the work: a full disk fails in
the middle of writing (the first bytes are on disk, as with a real ENOSPC), a
refused permission fails before anything is written.
"""

import errno

from django.core.files.storage import FileSystemStorage

from sites.storage import FileSystemStorage as ProjectFileSystemStorage


class _FailsMidWrite:
    def __init__(self, content, error):
        self.content, self.error = content, error

    def chunks(self, chunk_size=None):
        yield next(iter(self.content.chunks()))[:64]  # the first bytes reach the disk
        raise self.error


class FaultInjection:
    """Saves number ``fail_from`` (1-based) and later fail with ``error``. The
    state is shared by the storages below: a test sets it with ``reset``."""

    error = None
    fail_from = 1
    saves = 0

    @staticmethod
    def reset(error=None, fail_from=1):
        FaultInjection.error, FaultInjection.fail_from, FaultInjection.saves = error, fail_from, 0

    def _save(self, name, content):
        FaultInjection.saves += 1
        error = FaultInjection.error
        if error is None or FaultInjection.saves < FaultInjection.fail_from:
            return super()._save(name, content)
        if error.errno == errno.ENOSPC:
            return super()._save(name, _FailsMidWrite(content, error))
        raise error


class FaultyStorage(FaultInjection, FileSystemStorage):
    """Django's own FileSystemStorage (what the settings use today)."""


class FaultyProjectStorage(FaultInjection, ProjectFileSystemStorage):
    """sites.storage.FileSystemStorage (proposed for STORAGES["default"])."""


DISK_FULL = OSError(errno.ENOSPC, "No space left on device")
PERMISSION_DENIED = PermissionError(errno.EACCES, "Permission denied")
