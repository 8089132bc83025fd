"""The media storage: Django's file system storage, without the debris of a failed write.

When the disk fills up in the middle of a file (or any other write error),
Django's FileSystemStorage raises but leaves the part already written on disk,
a file no row will ever point at. This one removes it before raising. Wagtail's
image and document uploads, the 依申请公开 reply letters and the public forms'
attachments all store through it once it is STORAGES["default"].
"""

import logging
import os

from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage

logger = logging.getLogger(__name__)


class FileSystemStorage(DjangoFileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        existed = os.path.lexists(full_path)  # never remove a file that was there before
        try:
            return super()._save(name, content)
        except OSError:
            if not existed and os.path.lexists(full_path):
                try:
                    os.remove(full_path)
                except OSError as exc:
                    logger.error("Could not remove the partly written %s: %s", full_path, exc)
            raise
