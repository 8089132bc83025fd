"""Screening of files citizens attach: size, count, and content matching the name.

``filetype`` (already used by Wagtail's image library) reads the leading bytes,
so an executable renamed ``.pdf`` or a zip renamed ``.docx`` is refused.
"""

import filetype
from django.core.exceptions import ValidationError

# extension -> what the content must be detected as
ALLOWED = {
    ".pdf": {"pdf"},
    ".doc": {"doc"},
    ".docx": {"docx"},
    ".xls": {"xls"},
    ".xlsx": {"xlsx"},
    ".jpg": {"jpg"},
    ".jpeg": {"jpg"},
    ".png": {"png"},
    ".txt": set(),  # plain text has no signature: checked by decoding instead
}
ALLOWED_LABEL = "PDF、Word、Excel、JPG、PNG、TXT"
HEAD_BYTES = 8192


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def check_attachment(upload, max_bytes: int) -> tuple[str, str]:
    """Return (extension, content type) of an acceptable upload; raise ValidationError otherwise."""
    name = upload.name or ""
    extension = extension_of(name)
    if extension not in ALLOWED:
        raise ValidationError(f"附件“{name}”的类型不允许，只能上传 {ALLOWED_LABEL} 文件。")
    if upload.size > max_bytes:
        raise ValidationError(f"附件“{name}”超过 {max_bytes // (1024 * 1024)} MB，请压缩或拆分后再上传。")
    if upload.size == 0:
        raise ValidationError(f"附件“{name}”是空文件。")
    upload.seek(0)
    head = upload.read(HEAD_BYTES if extension != ".txt" else max_bytes)
    upload.seek(0)
    if extension == ".txt":
        if not _is_text(head):
            raise ValidationError(f"附件“{name}”不是文本文件，文件内容与扩展名不符。")
        return extension, "text/plain"
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED[extension]:
        raise ValidationError(f"附件“{name}”的内容与扩展名不符，已拒绝。")
    return extension, kind.mime
