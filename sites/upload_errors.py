"""Storing a file when the disk is full or cannot be written, and when the database
work around it fails: a clear message for the person, nothing half-stored.

Django's file storage leaves a partly written file behind when writing fails
(ENOSPC in the middle of a file), and a file saved for a row whose transaction is
then rolled back (a later attachment fails, the database connection drops) stays
on disk with nothing pointing at it. Here:

- a storage error becomes ``UploadNotStored``, a ValidationError with a Chinese
  message, which the public forms and the handlers' pages already show; the
  partial file is removed;
- every file stored during a request is checked when the request ends: if no row
  refers to it (its transaction was rolled back), it is removed. A row never
  points at a missing file: files are written before their rows, and a file is
  only removed once the database says no row refers to it;
- ``StorageErrorMiddleware`` answers any other upload the disk refused (Wagtail's
  image and document uploads in the admin) with the same kind of message instead
  of the generic error page.
"""

import errno
import logging
import threading

from django.core.exceptions import ValidationError
from django.core.signals import request_finished
from django.db import DatabaseError, connections, router
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape

logger = logging.getLogger(__name__)

MESSAGE = "附件“{name}”未能保存：服务器存储空间不足或暂时无法写入。本次提交没有保存，请稍后再试。"
MAX_TRACKED = 500  # outside requests nobody sweeps: keep the list bounded

_local = threading.local()


class UploadNotStored(ValidationError):
    """The storage refused the file (disk full, permission denied, read-only)."""


def _tracked() -> list:
    if not hasattr(_local, "files"):
        _local.files = []
    return _local.files


def discard(storage, name) -> None:
    try:
        if name and storage.exists(name):
            storage.delete(name)
    except OSError as exc:  # the disk that failed may fail again: say so, go on
        logger.error("Could not remove the unsaved file %s: %s", name, exc)


def save_file(item, field_name, upload, name) -> str:
    """Store ``upload`` as ``item.<field_name>`` (not saving ``item``) and return the
    stored name; raise UploadNotStored, with nothing left on disk, when the storage
    fails."""
    fieldfile = getattr(item, field_name)
    field, storage = fieldfile.field, fieldfile.storage
    target = field.generate_filename(item, name)
    try:
        stored = storage.save(target, upload, max_length=field.max_length)
    except OSError as exc:
        logger.error("Storing an upload as %s failed: %s", target, exc)
        discard(storage, target)
        raise UploadNotStored(MESSAGE.format(name=getattr(upload, "name", "") or name), code="storage") from exc
    setattr(item, field_name, stored)
    files = _tracked()
    files.append((type(item), field.attname, storage, stored))
    del files[:-MAX_TRACKED]
    return stored


def remove_unreferenced() -> int:
    """Remove the files stored by ``save_file`` in this thread that no row refers to
    (their transaction was rolled back). A file is kept when the database cannot
    be asked. Returns how many files were removed."""
    files, _local.files = _tracked(), []
    removed = 0
    for model, attname, storage, name in files:
        connection = connections[router.db_for_read(model)]
        opened = connection.connection is None
        try:
            referenced = model._default_manager.filter(**{attname: name}).exists()
        except DatabaseError as exc:
            logger.warning("Kept %s: could not check whether a row refers to it (%s).", name, exc)
            continue
        finally:
            if opened and not connection.in_atomic_block:
                connection.close()  # opened only for this check; requests open their own
        if not referenced:
            discard(storage, name)
            removed += 1
            logger.warning("Removed %s: stored for a row that was never committed.", name)
    return removed


def _after_request(**kwargs):
    if getattr(_local, "files", None):
        remove_unreferenced()


request_finished.connect(_after_request, dispatch_uid="sites.upload_errors.remove_unreferenced")


# --- uploads outside the public forms (the admin) -------------------------------

STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}
ADMIN_MESSAGE = "文件未能保存：服务器存储空间不足或暂时无法写入，本次上传没有保存。请稍后再试，或联系系统管理员。"
PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>文件未能保存</title></head>
<body><main>
<h1>文件未能保存</h1>
<p>{message}</p>
<p><a href="{back}">返回上一页</a></p>
</main></body>
</html>
"""


def is_storage_error(exception) -> bool:
    return isinstance(exception, OSError) and exception.errno in STORAGE_ERRNOS


class StorageErrorMiddleware:
    """A file upload (multipart POST) that failed because the disk is full or not
    writable: for Wagtail's multiple upload (XMLHttpRequest) the JSON answer its
    page shows beside the file, otherwise a short Chinese page (503)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        if not is_storage_error(exception):
            return None
        logger.error("Upload to %s not stored: %s", request.path, exception, exc_info=exception)
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return JsonResponse({"success": False, "error_message": ADMIN_MESSAGE})
        response = HttpResponse(PAGE.format(message=ADMIN_MESSAGE, back=escape(request.path)), status=503)
        response["Retry-After"] = "600"
        response["Cache-Control"] = "no-store"
        return response
