"""What the public services of every site (政民互动, 依申请公开) share: query codes
people can read out over the phone, and private files only handlers download."""

import hashlib
import re
import secrets
import unicodedata

from django.http import FileResponse

from .upload_errors import save_file

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
CODE_LENGTH = 12


def new_code(model) -> str:
    """A 查询码 not yet used by ``model`` (about 59 bits: not guessable)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not model.objects.filter(code=code).exists():
            return code


def normalise_code(text: str) -> str:
    """What people type (lower case, spaces, dashes) to the stored form."""
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())[:CODE_LENGTH]


def store_upload(item, upload, extension, content_type, name="upload"):
    """Save a screened upload under a random name; the person's file name is only shown.

    A full or unwritable disk raises UploadNotStored (a ValidationError the forms
    show) with nothing left on disk; the file of a row that is rolled back later
    is removed when the request ends (see sites.upload_errors)."""
    item.token, item.extension = secrets.token_hex(16), extension
    item.original_name, item.size, item.content_type = upload.name[:200], upload.size, content_type
    save_file(item, "file", upload, name)
    item.save()
    return item


def private_download(item) -> FileResponse:
    """A citizen's file for the handler: always a download, never sniffed into HTML."""
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name,
                            content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def fingerprint(*parts: str) -> str:
    """Identical submissions whatever the width, case or spacing of the characters."""
    flat = unicodedata.normalize("NFKC", "|".join(parts)).lower()
    return hashlib.sha256(re.sub(r"\s+", "", flat).encode()).hexdigest()
