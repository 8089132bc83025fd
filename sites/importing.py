"""Turn existing office documents (.txt, .html, .docx) into articles.

Traditional (including Taiwan-variant) text is converted to mainland
simplified Chinese, phrase by phrase (软体→软件, 网路→网络, 位址→地址); text
that is already simplified is left alone. The issuing body is taken from the
document itself when it says so (颁布单位：…, …人民政府令, 由…颁布, a signature
line over the date). The structure of regulations is kept: 第N章 lines become headings, 第N条 lines become paragraphs
that open with the bold article number. Re-importing the same file into the
same column is recognised by its path and checksum: unchanged files are
skipped, changed files update the existing article with a new revision.
"""

import datetime
import functools
import hashlib
import html
import re
import threading
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


class ImportFailed(Exception):
    """A file could not be imported; the message is for the office user."""


# ------------------------------------------------------------------ Chinese script
#
# Documents arrive in mainland simplified, in traditional script, or in the
# Taiwan variant (軟體, 網路, 位址, 資料庫, 最佳化, 視窗), often produced by a
# machine converter from a mainland original. Character-level conversion (t2s)
# leaves the Taiwan vocabulary behind (软体, 网路, 位址), so searches for 软件,
# 网络, 地址 find nothing. Traditional documents are therefore converted with
# OpenCC's phrase-level Taiwan→mainland configuration ``tw2sp``.
#
# tw2sp is built for software texts and rewrites some everyday words that
# government documents use in their ordinary sense: 建立→创建, 執行→运行,
# 整合→集成, 效能→性能, 互動→交互, 查詢→查找, 程序→进程, 文件→文档, 指標→指针,
# 設定→设置, 複製→拷贝 ... Those words (KEEP_WORDS) are converted character by
# character instead; their longer computing compounds (執行緒→线程, 資料庫→数据库)
# still go through tw2sp. Text that is already simplified is never put through
# tw2sp at all: it would change 显著→显着, 土著→土着 and all the words above.

SIMPLIFIED, MOSTLY_SIMPLIFIED, TRADITIONAL = "simplified", "mostly-simplified", "traditional"

# Standard mainland words that tw2sp would rewrite into a computing term (traditional
# forms, as OpenCC 1.1.9's TWPhrasesRev spells them).
KEEP_WORDS = frozenset("""
建立 執行 整合 效能 互動 互動式 查詢 程序 文件 文字 資料 設定 核心 智慧 支援 新增 通道 宣告 序列
向量 批次 停用 物件 元件 呼叫 存取 遮蔽 外接 影像 影片 影印 使用者 埠 類比 模擬 通訊 聯絡 線上 離線
啟用 開啟 裝置 複製 預設 指標 簡報 截圖 取樣 區域性 分散式 社羣 儲存 傳送 檢視 相容 外掛 高階 進階
堆疊 過載 載入 宕機 稽覈 檔案館 檔案局 檔案室 人事檔案 檔案管理
""".split())
# tw2sp compounds that contain a kept word and are right to convert.
KEEP_EXCEPTIONS = frozenset("""
人工智慧 使用者名稱 取樣率 單核心 執行緒 執行長 多執行緒 序列埠 後設資料 控制元件 智慧財產權 物件導向
程序不正義 程序導向 程序式程式設計 程序正義 終端使用者 處理程序 行動資料 行動通訊 資料來源 資料倉儲
資料包 資料夾 資料庫 資料探勘 載入程式 關聯式資料庫 雲端儲存 預設值 類比電子 類比電路 高效能運算
""".split())
_KEEP_RE = re.compile("|".join(sorted(KEEP_WORDS | KEEP_EXCEPTIONS, key=len, reverse=True)))
# Taiwan-variant words tw2sp leaves behind, fixed on its (simplified) output.
MAINLAND_FIXES = (
    ("局域网路", "局域网"),  # 區域網路: tw2sp converts only 區域網
    ("套用", "应用"),  # machine-converted mainland text writes 應用 (application) as 套用
)
# Characters that t2s changes but that are also correct simplified characters
# (乾隆, 於 as a surname, 夥, 徵): they say nothing about the script of a text.
_BOTH_SCRIPTS = frozenset("苧乾麽醖輼薹藴緼於剋徵夥")

_converters = {}
_converters_lock = threading.Lock()


def _converter(config: str):
    """The OpenCC converter for ``config``, built once per process on first use."""
    converter = _converters.get(config)
    if converter is None:
        with _converters_lock:
            converter = _converters.get(config)
            if converter is None:
                from opencc import OpenCC

                converter = _converters[config] = OpenCC(config)
    return converter


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


@functools.lru_cache(maxsize=65536)
def _traditional_only(ch: str) -> bool:
    return _is_cjk(ch) and ch not in _BOTH_SCRIPTS and _converter("t2s").convert(ch) != ch


@functools.lru_cache(maxsize=65536)
def _simplified_only(ch: str) -> bool:
    return _is_cjk(ch) and _converter("s2t").convert(ch) != ch


def detect_script(text: str) -> str:
    """SIMPLIFIED when ``text`` has no traditional-only character, MOSTLY_SIMPLIFIED
    when it has fewer of them than simplified-only ones (a simplified text quoting a
    traditional name), else TRADITIONAL."""
    traditional = sum(1 for ch in text if _traditional_only(ch))
    if not traditional:
        return SIMPLIFIED  # the common case never needs the (slower to build) s2t converter
    simplified = sum(1 for ch in text if not _traditional_only(ch) and _simplified_only(ch))
    if traditional < simplified:
        return MOSTLY_SIMPLIFIED
    return TRADITIONAL


def _taiwan_to_mainland(text: str) -> str:
    tw2sp, t2s = _converter("tw2sp"), _converter("t2s")
    out, start = [], 0
    for match in _KEEP_RE.finditer(text):
        if match.group() in KEEP_WORDS:
            out += [tw2sp.convert(text[start:match.start()]), t2s.convert(match.group())]
            start = match.end()
    out.append(tw2sp.convert(text[start:]))
    result = "".join(out)
    for wrong, right in MAINLAND_FIXES:
        result = result.replace(wrong, right)
    return result


def to_mainland(text: str, script: str | None = None) -> str:
    """``text`` in mainland simplified Chinese.

    ``script`` is what :func:`detect_script` says about the whole document the
    text belongs to (decide once per document, then convert it line by line);
    by default it is decided from ``text`` itself. Simplified text is returned
    unchanged, stray traditional characters in simplified text are converted
    character by character, and traditional text phrase by phrase (tw2sp).
    """
    if not text:
        return text
    script = script or detect_script(text)
    if script == SIMPLIFIED:
        return text
    if script == MOSTLY_SIMPLIFIED:
        return _converter("t2s").convert(text)
    return _taiwan_to_mainland(text)


def to_simplified(text: str) -> str:
    """Former name of :func:`to_mainland`, kept for callers outside the importer."""
    return to_mainland(text)


@dataclass
class ParsedDocument:
    title: str
    blocks: list = field(default_factory=list)  # (block_type, value) for the body StreamField
    date: datetime.date | None = None
    issuer: str = ""  # the issuing body, see detect_issuer
    issuer_basis: str = ""  # "stated" in the document, inferred from the "title", or "" when unknown
    script: str = SIMPLIFIED  # what detect_script said about the document


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


# ------------------------------------------------------------------ issuer

_ORGAN = r"[\u4e00-\u9fff（）()]{1,30}?(?:人民代表大会常务委员会|人大常委会|人民政府办公厅|人民政府办公室|人民政府|委员会|办公厅|办公室|政府|局|厅|委|署|院|部)"
_ORGAN_RE = re.compile(rf"^{_ORGAN}$")
# "颁布单位：天津市人民政府", "- 发布机关: …" (encyclopaedia and database headers)
ISSUER_LABEL_RE = re.compile(
    r"^[\s\-－—*•·●]*(?:颁布|发布|制定|发文|印发)(?:单位|机关|机构)\s*[:：]\s*(?P<organ>[^\s,，。;；、]{2,40})\s*$"
)
# "…在2004.06.26由天津市人民政府颁布。"
ISSUED_BY_RE = re.compile(rf"由(?P<organ>{_ORGAN})(?:于[^，。,;；]{{0,20}})?(?:颁布|发布|公布|印发)")
# A decree header: "天津市人民政府令", "天津市人民政府令 第16号"
DECREE_RE = re.compile(rf"^(?P<organ>[\u4e00-\u9fff（）()]{{2,30}}?人民政府)令\s*(?:[（(]?第\s*[{CN_NUM}]+\s*号[）)]?)?$")
# The signature over the date at the foot of a document: "九江市人民政府" / "2008年3月1日"
SIGNATURE_DATE_RE = re.compile(r"^[0-9〇○零一二三四五六七八九十Oo]{4}\s*年[0-9一二三四五六七八九十]{1,3}月[0-9一二三四五六七八九十]{1,3}日$")
# "天津市电子政务管理办法": a municipal government rule (规章 are named 规定 or 办法,
# never 条例, which people's congresses issue) is issued by that government.
TITLE_RULE_RE = re.compile(
    r"^(?P<place>[\u4e00-\u9fff]{2,8}?(?:自治区|自治州|自治县|省|市|县|区|盟|旗))"
    r"(?P<subject>[\u4e00-\u9fff]{2,40}?)(?:实施细则|细则|办法|规定)$"
)
TITLE_ORGAN_RE = re.compile(
    r"^(?P<organ>[\u4e00-\u9fff]{2,12}?(?:人民政府办公厅|人民政府办公室|人民政府|人民代表大会常务委员会|人大常委会))(?:关于|印发)"
)
_NOT_A_PLACE = ("市", "县", "区", "省", "本", "我", "该", "各", "上述", "有关")
_SUBJECT_NOT_OWN = re.compile(r"政府|委员会|局|厅|办公室|委|部门|公司|集团|中心|^[\u4e00-\u9fff]{2,6}?(?:省|市|县|区|州)")
HEADER_LINES = 12


def _organ(text: str) -> str:
    """``text`` if it names a body with its place (天津市人民政府), else ''."""
    text = text.strip()
    if _ORGAN_RE.match(text) and not text.startswith(_NOT_A_PLACE):
        return text
    return ""


def detect_issuer(lines: list[str], title: str = "") -> tuple[str, str]:
    """The body that issued a document, and how it is known.

    ("天津市人民政府", "stated") when the document says so: a labelled header line
    (颁布单位：…), "由…颁布", a decree header (…人民政府令), or a signature line
    directly over the closing date. ("天津市人民政府", "title") when only the
    title of a municipal rule points to its government. ("", "") otherwise.
    ``lines`` and ``title`` are already in simplified Chinese.
    """
    header = lines[:HEADER_LINES]
    for line in header:
        match = ISSUER_LABEL_RE.match(line)
        if match and _organ(match.group("organ")):
            return _organ(match.group("organ")), "stated"
    for line in header:
        match = ISSUED_BY_RE.search(line)
        if match and _organ(match.group("organ")):
            return _organ(match.group("organ")), "stated"
        match = DECREE_RE.match(line)
        if match and _organ(match.group("organ")):
            return _organ(match.group("organ")), "stated"
    for line, following in zip(lines, lines[1:], strict=False):
        if SIGNATURE_DATE_RE.match(following.replace(" ", "")) and _organ(line):
            return _organ(line), "stated"
    title = (title or "").strip()
    match = TITLE_ORGAN_RE.match(title)
    if match and _organ(match.group("organ")):
        return _organ(match.group("organ")), "title"
    match = TITLE_RULE_RE.match(title)
    if match and not _SUBJECT_NOT_OWN.search(match.group("subject")):
        return f"{match.group('place')}人民政府", "title"
    return "", ""


def parse(path: Path, title: str | None = None) -> ParsedDocument:
    html_title, raw_lines = read_lines(path)
    raw_lines = [" ".join(line.split()) for line in raw_lines]
    # Decide the script once for the whole document, so a short line such as
    # 基本介紹 is treated like the rest of its document.
    script = detect_script("\n".join([html_title or "", *raw_lines]))
    lines = [to_mainland(line, script) for line in raw_lines]
    lines = [line for line in lines if line]
    if not lines:
        raise ImportFailed("文件中没有可导入的文字内容。")
    picked, body_lines = _pick_title(lines, to_mainland(html_title, script) if html_title else None, path.stem)
    title = to_mainland(title) if title else picked
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
    issuer, basis = detect_issuer(lines, title)
    return ParsedDocument(
        title=title[:255], blocks=blocks, date=date, issuer=issuer[:100], issuer_basis=basis, script=script
    )


# ------------------------------------------------------------------ saving

@dataclass
class ImportResult:
    path: Path
    status: str  # created | updated | unchanged | failed
    page: object = None
    message: str = ""  # why a file failed
    notes: list = field(default_factory=list)  # things the office user should check (issuer unknown, overridden)


def choose_issuer(parsed: ParsedDocument, issuer: str | None, source: str) -> tuple[str, list[str]]:
    """The issuer (stored as the article's 来源) and notes explaining the choice.

    1. ``issuer`` given explicitly wins (a differing issuer stated in the file is noted);
    2. else the issuer the document states (颁布单位：…, …人民政府令, 由…颁布, signature)
       wins, also over ``source``: a caller's blanket source such as 九江市人民政府 must
       not end up on another city's regulation;
    3. else ``source`` (the pre-``issuer`` way of saying it);
    4. else the government a municipal rule's title points to (天津市…办法 → 天津市人民政府);
    5. else nothing: the result carries a note asking for it.
    """
    notes = []
    found, basis = parsed.issuer, parsed.issuer_basis
    if issuer:
        if basis == "stated" and found != issuer:
            notes.append(f"文件中写明的发布机关为“{found}”，已按指定值“{issuer}”保存，请核对。")
        return issuer, notes
    if basis == "stated":
        if source and source != found:
            notes.append(f"来源按文件所载发布机关保存为“{found}”（未采用指定的“{source}”）。")
        return found, notes
    if source:
        return source, notes
    if found:
        notes.append(f"文件未写明发布机关，按标题推定为“{found}”，请核对。")
        return found, notes
    notes.append("未能从文件中识别发布机关，来源未填写，请在后台补填或导入时用 --issuer 指定。")
    return "", notes


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


def import_file(path, column, *, publish=True, user=None, source="", issuer=None, title=None, source_key=None,
                force=False):
    """Import one file under ``column``. Never raises for a bad file: the result says why.

    ``issuer`` is the issuing body, stored as the article's 来源. Leave it None to take
    it from the document (see :func:`choose_issuer`); when the document does not
    say, the page's 来源 is left as it was (empty for a new page) and
    ``result.notes`` says so. ``source`` still works as before but is only a
    fallback: an issuer stated in the document overrides it. ``force`` re-imports
    an unchanged file, e.g. to apply improved conversion to articles imported earlier.
    """
    from .models import ArticlePage, ImportRecord

    path = Path(path)
    key = source_key or str(path.resolve())
    try:
        raw = path.read_bytes() if path.is_file() else None
        if raw is None:
            raise ImportFailed("文件不存在或无法读取。")
        checksum = hashlib.sha256(raw).hexdigest()
        record = ImportRecord.objects.filter(column=column, source_key=key).select_related("page").first()
        if record and record.checksum == checksum and not force:
            return ImportResult(path, "unchanged", record.page.specific)
        parsed = parse(path, title=title)
        chosen, notes = choose_issuer(parsed, issuer, source)
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
            page.source = chosen[:100] or page.source
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
        return ImportResult(path, status, page, notes=notes)
    except ImportFailed as exc:
        return ImportResult(path, "failed", message=str(exc))
