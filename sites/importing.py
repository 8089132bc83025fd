"""Turn existing office documents (.txt, .html, .docx) into articles.

Text is converted from Traditional to Simplified Chinese, and the structure of
regulations is kept: 第N章 lines become headings, 第N条 lines become paragraphs
that open with the bold article number. Re-importing the same file into the
same column is recognised by its path and checksum: unchanged files are
skipped, changed files update the existing article with a new revision.
"""

import datetime
import hashlib
import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DOCX_UNPACKED = 100 * 1024 * 1024
SUPPORTED = {".txt", ".html", ".htm", ".docx"}

CN_NUM = "一二三四五六七八九十百千零〇两0-9"
CHAPTER_RE = re.compile(rf"^第[{CN_NUM}]+[章编]\s*")
ARTICLE_RE = re.compile(rf"^(第[{CN_NUM}]+条)\s*")
DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
BOOK_TITLE_RE = re.compile(r"《([^》]{4,60})》")

_t2s = None


class ImportFailed(Exception):
    """A file could not be imported; the message is for the office user."""


def to_simplified(text: str) -> str:
    global _t2s
    if _t2s is None:
        from opencc import OpenCC

        _t2s = OpenCC("t2s")
    return _t2s.convert(text)


@dataclass
class ParsedDocument:
    title: str
    blocks: list = field(default_factory=list)  # (block_type, value) for the body StreamField
    date: datetime.date | None = None


# ------------------------------------------------------------------ reading

def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed("无法识别文件编码（支持 UTF-8 和 GB18030/GBK）。")


def _lines_from_html(raw: bytes) -> tuple[str | None, list[str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode(raw), "html.parser")
    for hostile in soup(["script", "style", "iframe", "object", "embed", "svg", "noscript", "template"]):
        hostile.decompose()
    title = soup.title.get_text(strip=True) if soup.title else None
    body = soup.body or soup
    lines = []
    for element in body.find_all(["h1", "h2", "h3", "h4", "p", "li", "td", "div"]):
        if element.find(["p", "div", "li", "h1", "h2", "h3", "table"]):
            continue  # keep only innermost blocks so text is not repeated
        text = element.get_text(" ", strip=True)
        if text:
            lines.append(text)
    if not lines:
        lines = [line for line in body.get_text("\n").splitlines()]
    return title, lines


def _lines_from_docx(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNPACKED:
                raise ImportFailed("Word 文件解压后过大，疑似压缩炸弹，已拒绝导入。")
    except zipfile.BadZipFile:
        raise ImportFailed("不是有效的 .docx 文件（文件已损坏，或为旧版 .doc / 加密文档）。")
    import docx

    try:
        document = docx.Document(str(path))
    except Exception:  # noqa: BLE001 - python-docx raises many types for broken files
        raise ImportFailed("无法读取 Word 文件，文件可能已损坏或加密。")
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text.strip() for cell in row.cells if cell.text.strip()]
            if cells:
                lines.append("　".join(cells))
    return lines


def read_lines(path: Path) -> tuple[str | None, list[str]]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ImportFailed(f"不支持的文件类型“{suffix or '无扩展名'}”，支持 .txt、.html、.docx。")
    try:
        size = path.stat().st_size
    except OSError:
        raise ImportFailed("文件不存在或无法读取。")
    if size == 0:
        raise ImportFailed("文件为空。")
    if size > MAX_FILE_BYTES:
        raise ImportFailed(f"文件过大（{size // 1024 // 1024} MB），单个文件不能超过 20 MB。")
    if suffix == ".docx":
        return None, _lines_from_docx(path)
    raw = path.read_bytes()
    if suffix in (".html", ".htm"):
        return _lines_from_html(raw)
    return None, _decode(raw).splitlines()


# ------------------------------------------------------------------ structuring

def _paragraph(text: str) -> tuple[str, str]:
    match = ARTICLE_RE.match(text)
    if match:
        rest = text[match.end():]
        return ("paragraph", f"<p><strong>{html.escape(match.group(1))}</strong>　{html.escape(rest)}</p>")
    return ("paragraph", f"<p>{html.escape(text)}</p>")


def _pick_title(lines: list[str], html_title: str | None, fallback: str) -> tuple[str, list[str]]:
    if html_title:
        return html_title, lines
    first = lines[0] if lines else ""
    match = BOOK_TITLE_RE.search(first)
    if match:
        return match.group(1), lines
    if first and len(first) <= 60 and not ARTICLE_RE.match(first) and not CHAPTER_RE.match(first):
        return first, lines[1:]
    for line in lines[:5]:
        match = BOOK_TITLE_RE.search(line)
        if match:
            return match.group(1), lines
    return fallback, lines


def parse(path: Path, title: str | None = None) -> ParsedDocument:
    html_title, raw_lines = read_lines(path)
    lines = [to_simplified(" ".join(line.split())) for line in raw_lines]
    lines = [line for line in lines if line]
    if not lines:
        raise ImportFailed("文件中没有可导入的文字内容。")
    picked, body_lines = _pick_title(lines, to_simplified(html_title) if html_title else None, path.stem)
    title = to_simplified(title) if title else picked
    blocks = []
    for line in body_lines:
        if CHAPTER_RE.match(line) and len(line) <= 40:
            blocks.append(("heading", line))
        else:
            blocks.append(_paragraph(line))
    date = None
    match = DATE_RE.search("\n".join(lines[:40]))
    if match:
        try:
            date = datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            date = None
    return ParsedDocument(title=title[:255], blocks=blocks, date=date)


# ------------------------------------------------------------------ saving

@dataclass
class ImportResult:
    path: Path
    status: str  # created | updated | unchanged | failed
    page: object = None
    message: str = ""


def find_column(site_code: str, column_slug: str):
    from sitegroup.registry.models import SiteProfile

    from .models import ColumnPage

    profile = SiteProfile.objects.select_related("site").filter(code=site_code).first()
    if profile is None:
        raise ImportFailed(f"站点代码“{site_code}”不存在。")
    column = ColumnPage.objects.descendant_of(profile.site.root_page).filter(slug=column_slug).first()
    if column is None:
        raise ImportFailed(f"站点“{profile.name}”中没有栏目“{column_slug}”。")
    return column


def import_file(path, column, *, publish=True, user=None, source="", title=None, source_key=None):
    """Import one file under ``column``. Never raises for a bad file: the result says why."""
    from .models import ArticlePage, ImportRecord

    path = Path(path)
    key = source_key or str(path.resolve())
    try:
        raw = path.read_bytes() if path.is_file() else None
        if raw is None:
            raise ImportFailed("文件不存在或无法读取。")
        checksum = hashlib.sha256(raw).hexdigest()
        record = ImportRecord.objects.filter(column=column, source_key=key).select_related("page").first()
        if record and record.checksum == checksum:
            return ImportResult(path, "unchanged", record.page.specific)
        parsed = parse(path, title=title)
        with transaction.atomic():
            if record:
                page = record.page.specific
                status = "updated"
            else:
                # Government sites use dated, stable article URLs (t20261101_ab12cd34).
                slug = f"t{(parsed.date or timezone.localdate()):%Y%m%d}_{checksum[:8]}"
                page = ArticlePage(title=parsed.title, slug=slug, owner=user, live=False)
                status = "created"
            page.title = parsed.title
            page.date = parsed.date or timezone.localdate()
            page.source = source or page.source
            page.body = parsed.blocks
            if record is None:
                column.add_child(instance=page)
            revision = page.save_revision(user=user, log_action=True)
            if publish:
                revision.publish(user=user)
                page.refresh_from_db()
            ImportRecord.objects.update_or_create(
                column=column, source_key=key, defaults={"checksum": checksum, "page": page}
            )
        return ImportResult(path, status, page)
    except ImportFailed as exc:
        return ImportResult(path, "failed", message=str(exc))
