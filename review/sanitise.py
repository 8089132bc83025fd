"""Clean every user-entered HTML fragment with bleach before it is saved.

Wagtail's editor already limits what it produces, but imports, pasted Word
content, API writes and forged form posts do not pass through it. The allow-list
below is Wagtail's stored rich-text format (including its <a linktype> and
<embed> references). Whatever is removed is written to SanitisedMarkup.
Cleaning happens once, when a page revision is stored.
"""

import json
import logging
import re

import bleach
from bleach.css_sanitizer import CSSSanitizer
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save
from django.dispatch import receiver
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Revision

from .models import SanitisedMarkup

logger = logging.getLogger(__name__)

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i", "em", "u", "sup", "sub",
    "ol", "ul", "li", "a", "embed", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "span",
}
ATTRIBUTES = {
    "*": ["data-block-key"],  # Wagtail's stable ids for rich-text blocks
    "a": ["href", "linktype", "id", "title"],
    "embed": ["embedtype", "id", "format", "alt", "url"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}
PROTOCOLS = {"http", "https", "mailto", "tel"}
CSS = CSSSanitizer(allowed_css_properties=[])
TAG_NAME_RE = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9-]*)")
ATTR_RE = re.compile(r"\s([a-zA-Z-:]+)\s*=")


DROP_WITH_CONTENT_RE = re.compile(
    r"<(script|style|template|noscript|iframe|object|svg|math)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
EMBED_RE = re.compile(r"<embed([^>]*?)\s*/?>")


def clean_html(html: str) -> str:
    if not html:
        return html
    cleaned = bleach.clean(
        DROP_WITH_CONTENT_RE.sub("", html), tags=TAGS, attributes=ATTRIBUTES, protocols=PROTOCOLS,
        strip=True, strip_comments=True, css_sanitizer=CSS,
    )
    # Wagtail's rich-text expander only recognises self-closing <embed .../>.
    return EMBED_RE.sub(r"<embed\1/>", cleaned)


def describe_removed(original: str, cleaned: str) -> str:
    gone_tags = sorted(set(t.lower() for t in TAG_NAME_RE.findall(original)) - set(
        t.lower() for t in TAG_NAME_RE.findall(cleaned)))
    gone_attrs = sorted(set(a.lower() for a in ATTR_RE.findall(original)) - set(
        a.lower() for a in ATTR_RE.findall(cleaned)))
    parts = []
    if gone_tags:
        parts.append("标签：" + "、".join(gone_tags))
    if gone_attrs:
        parts.append("属性：" + "、".join(gone_attrs))
    return "；".join(parts) or "不安全的链接或内容"


def _clean_stream(data, path, removed):
    """Walk raw StreamField data (lists/dicts) cleaning every string that looks like HTML."""
    if isinstance(data, list):
        return [_clean_stream(item, f"{path}[{i}]", removed) for i, item in enumerate(data)]
    if isinstance(data, dict):
        return {k: _clean_stream(v, f"{path}.{k}" if k != "value" else path, removed) for k, v in data.items()}
    if isinstance(data, str) and "<" in data:
        cleaned = clean_html(data)
        if cleaned != data:
            removed.append((path, data, cleaned))
        return cleaned
    return data


def sanitise_revision(revision) -> list:
    """Clean the HTML in a page revision's content in place; return what was removed
    as (field, original, cleaned) triples."""
    model = ContentType.objects.get_for_id(revision.content_type_id).model_class()
    if model is None or not issubclass(model, Page) or not isinstance(revision.content, dict):
        return []
    content, removed = revision.content, []
    for field in model._meta.get_fields():
        value = content.get(field.name)
        if isinstance(field, RichTextField) and isinstance(value, str):
            cleaned = clean_html(value)
            if cleaned != value:
                removed.append((field.name, value, cleaned))
                content[field.name] = cleaned
        elif isinstance(field, StreamField) and value:
            data = json.loads(value) if isinstance(value, str) else value
            cleaned = _clean_stream(data, field.name, removed)
            if cleaned != data:
                content[field.name] = json.dumps(cleaned, ensure_ascii=False) if isinstance(value, str) else cleaned
    return removed


@receiver(pre_save, sender=Revision)
def _sanitise_before_storing(sender, instance, raw=False, **kwargs):
    """Every page content reviewers see and the public gets passes through a
    revision (editing, importing, publishing), so this is the one place HTML is cleaned."""
    if raw:
        return
    for field, original, cleaned in sanitise_revision(instance):
        summary = describe_removed(original, cleaned)
        logger.warning("Removed unsafe markup from page %s %s: %s", instance.object_id, field, summary)
        SanitisedMarkup.objects.create(page_id=int(instance.object_id), field=field, removed=summary, original=original)
