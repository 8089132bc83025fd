"""Text of pages and attached files, for screening and for search.

``page_text_segments`` walks every text a visitor could read on a page, each
with a Chinese location ("正文第3段", "附件“通知.docx”"); ``extract_file_text``
reads .docx, .xlsx, .pdf, .txt and .html with limits against oversized,
encrypted and zip-bomb files, raising ExtractionError with a message for users.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PDF_PAGES = 500
MAX_XLSX_CELLS = 500_000
MAX_TEXT_CHARS = 5_000_000
TAG_RE = re.compile(r"<[^>]+>")


class ExtractionError(Exception):
    pass


@dataclass
class Segment:
    location: str
    text: str
    kind: str = "text"  # text | attachment | error


def _check_zip(data: bytes, label: str):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ExtractionError(f"{label}解压后过大，疑似压缩炸弹。")
    except zipfile.BadZipFile:
        raise ExtractionError(f"{label}已损坏或已加密，无法读取。")


def _docx(data: bytes) -> str:
    _check_zip(data, "Word 文件")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - python-docx raises many types for broken files
        raise ExtractionError("Word 文件已损坏或已加密，无法读取。")
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def _xlsx(data: bytes) -> str:
    _check_zip(data, "Excel 文件")
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001
        raise ExtractionError("Excel 文件已损坏或已加密，无法读取。")
    parts, cells = [], 0
    for sheet in workbook.worksheets:
        parts.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                cells += 1
                if cells > MAX_XLSX_CELLS:
                    raise ExtractionError("Excel 文件单元格过多，无法完整审查。")
                if value is not None:
                    parts.append(str(value))
    workbook.close()
    return "\n".join(parts)


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionError("PDF 文件已加密，无法审查，请上传未加密的文件。")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ExtractionError(f"PDF 超过 {MAX_PDF_PAGES} 页，无法完整审查。")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise ExtractionError("PDF 文件已损坏，无法读取。")


def _plain(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError("无法识别文本文件编码。")


READERS = {".docx": _docx, ".xlsx": _xlsx, ".pdf": _pdf, ".txt": _plain, ".csv": _plain}


def extract_file_text(source, filename: str) -> str:
    """Text of a file given as a path or a binary file object."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".html", ".htm"):
        reader = lambda data: TAG_RE.sub(" ", _plain(data))  # noqa: E731
    else:
        reader = READERS.get(suffix)
    if reader is None:
        raise ExtractionError(f"不支持审查“{suffix or '无扩展名'}”类型的文件，请转换为 PDF、Word 或 Excel。")
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    else:
        data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ExtractionError(f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB，无法审查。")
    if not data:
        raise ExtractionError("文件为空。")
    return reader(data)[:MAX_TEXT_CHARS]


# ------------------------------------------------------------------ pages

def _html_paragraphs(html: str) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html or "", "html.parser")
    blocks = [el.get_text(" ", strip=True) for el in soup.find_all(["p", "li", "h2", "h3", "h4", "td", "blockquote"])]
    blocks = [b for b in blocks if b]
    if not blocks:
        text = soup.get_text(" ", strip=True)
        blocks = [text] if text else []
    # Link targets are readable too (a mark can hide in a URL's text).
    blocks += [a["href"] for a in soup.find_all("a", href=True) if not a["href"].startswith(("/", "#"))]
    return blocks


def _image_segments(image, label, alt="", caption=""):
    if image is None:
        return []
    out = [Segment(f"{label}“{image.title}”的标题", image.title)]
    description = getattr(image, "description", "")
    if description:
        out.append(Segment(f"{label}“{image.title}”的描述", description))
    if alt:
        out.append(Segment(f"{label}“{image.title}”的替代文字", alt))
    if caption:
        out.append(Segment(f"{label}“{image.title}”的图注", caption))
    return out


def _document_segments(document, shown_title, with_files):
    out = [Segment(f"附件“{shown_title}”的标题", shown_title)]
    if with_files:
        name = Path(document.file.name).name
        try:
            with document.file.open("rb") as handle:
                text = extract_file_text(handle, name)
            out.append(Segment(f"附件“{name}”", text, "attachment"))
        except ExtractionError as exc:
            out.append(Segment(f"附件“{name}”", str(exc), "error"))
        except OSError:
            out.append(Segment(f"附件“{name}”", "附件文件缺失，无法读取。", "error"))
    return out


def _linked_documents(html):
    from wagtail.documents import get_document_model

    from .media_use import rich_text_document_ids

    ids = rich_text_document_ids(html)
    return list(get_document_model().objects.filter(pk__in=ids).order_by("pk")) if ids else []


def _stream_segments(stream, with_files):
    out, paragraph = [], 0
    for block in stream:
        kind = block.block_type
        if kind == "paragraph":
            html = block.value.source if hasattr(block.value, "source") else str(block.value)
            for text in _html_paragraphs(html):
                paragraph += 1
                out.append(Segment(f"正文第{paragraph}段", text))
            # A document linked inside the text is published with the page, so it is screened too.
            for document in _linked_documents(html):
                out += _document_segments(document, document.title, with_files)
        elif kind in ("heading", "quote"):
            paragraph += 1
            out.append(Segment(f"正文第{paragraph}段（{'小标题' if kind == 'heading' else '引文'}）", str(block.value)))
        elif kind == "image":
            value = block.value
            out += _image_segments(value.get("image"), "正文图片", value.get("alt", ""), value.get("caption", ""))
        elif kind == "table":
            rows = (block.value or {}).get("data") or []
            text = "\n".join(" ".join(str(c) for c in row if c) for row in rows)
            if text.strip():
                out.append(Segment("正文表格", text))
        elif kind == "document" and block.value.get("document"):
            document = block.value["document"]
            out += _document_segments(document, block.value.get("title") or document.title, with_files)
    return out


FIELD_LABELS = {
    "title": "标题", "subtitle": "副标题", "source": "来源", "author": "作者", "summary": "摘要",
    "seo_title": "SEO 标题", "search_description": "搜索描述", "intro": "简介",
    "index_number": "索引号", "issuer": "发布机构", "document_number": "文号", "topic": "主题分类",
    "keywords": "关键词",
    # 政民互动: a published answer shows the (masked) question too.
    "asker": "留言人", "category": "分类", "question": "留言内容", "reply_unit": "答复单位",
}


def page_text_segments(page, with_files=True) -> list[Segment]:
    """Every readable text of ``page`` (a specific page instance, live or a revision)."""
    from django.db import models as dj_models
    from wagtail.fields import RichTextField, StreamField

    segments = []
    for model_field in page._meta.get_fields():
        if not getattr(model_field, "concrete", False) or model_field.auto_created:
            continue
        name = model_field.name
        if isinstance(model_field, StreamField):
            segments += _stream_segments(getattr(page, name), with_files)
        elif isinstance(model_field, RichTextField):
            for n, text in enumerate(_html_paragraphs(getattr(page, name)), start=1):
                segments.append(Segment(f"{model_field.verbose_name}第{n}段", text))
        elif isinstance(model_field, dj_models.CharField | dj_models.TextField) and name in FIELD_LABELS:
            value = getattr(page, name)
            if value:
                segments.append(Segment(FIELD_LABELS[name], value))
    cover = getattr(page, "cover_image", None)
    segments += _image_segments(cover, "封面图片")
    attachments = getattr(page, "attachments", None)
    if attachments is not None:
        for attachment in attachments.all():
            if attachment.document_id:
                segments += _document_segments(
                    attachment.document, attachment.title or attachment.document.title, with_files
                )
    # 采用信息 shows its source's body and attachments: they are part of what it publishes.
    story = getattr(page, "live_story", None)
    if story is not None:
        own = set(FIELD_LABELS.values())  # the copy's own row already holds those it shows
        segments += [s for s in page_text_segments(story, with_files) if s.location not in own]
    return segments
