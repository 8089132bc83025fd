"""Which images and documents a page shows: cover image, attachments, body
blocks, and images or documents linked inside rich text. Used to release media
to the public only with a reviewed page, and to screen every linked document."""

import re
from dataclasses import dataclass, field

# Wagtail's rich-text storage format: <a linktype="document" id="12">,
# <embed embedtype="image" id="3" .../>. Attribute order is not fixed.
_DOCUMENT_LINK = re.compile(r"<a\b[^>]*\blinktype=\"document\"[^>]*>", re.IGNORECASE)
_IMAGE_EMBED = re.compile(r"<embed\b[^>]*\bembedtype=\"image\"[^>]*>", re.IGNORECASE)
_ID = re.compile(r"\bid=\"(\d+)\"")


@dataclass
class MediaUse:
    image_ids: set[int] = field(default_factory=set)
    document_ids: set[int] = field(default_factory=set)


def _ids(pattern, html: str) -> set[int]:
    found = set()
    for tag in pattern.findall(html or ""):
        match = _ID.search(tag)
        if match:
            found.add(int(match.group(1)))
    return found


def rich_text_document_ids(html: str) -> set[int]:
    return _ids(_DOCUMENT_LINK, html)


def _rich_text_source(value) -> str:
    return value.source if hasattr(value, "source") else str(value or "")


def _walk_stream(stream, use: MediaUse):
    for block in stream:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            html = _rich_text_source(value)
            use.document_ids |= _ids(_DOCUMENT_LINK, html)
            use.image_ids |= _ids(_IMAGE_EMBED, html)
        elif kind == "image" and value.get("image") is not None:
            use.image_ids.add(value["image"].pk)
        elif kind == "document" and value.get("document") is not None:
            use.document_ids.add(value["document"].pk)


def media_used_by(page) -> MediaUse:
    """Media shown by ``page`` (a specific page instance, live or from a revision)."""
    from wagtail.fields import RichTextField, StreamField

    use = MediaUse()
    for model_field in page._meta.get_fields():
        if not getattr(model_field, "concrete", False) or model_field.auto_created:
            continue
        if isinstance(model_field, StreamField):
            _walk_stream(getattr(page, model_field.name), use)
        elif isinstance(model_field, RichTextField):
            html = getattr(page, model_field.name)
            use.document_ids |= _ids(_DOCUMENT_LINK, html)
            use.image_ids |= _ids(_IMAGE_EMBED, html)
    cover_id = getattr(page, "cover_image_id", None)
    if cover_id:
        use.image_ids.add(cover_id)
    attachments = getattr(page, "attachments", None)
    if attachments is not None:
        use.document_ids |= {a.document_id for a in attachments.all() if a.document_id}
    return use
