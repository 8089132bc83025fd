"""The screening engine: one Aho-Corasick automaton over the whole dictionary.

ahocorasick-rs over UTF-8 bytes measured fastest here (about 85 MB/s even on
text dense with matches, against 54 MB/s on str and well under 1 MB/s for a
per-term loop), so text is encoded once and the few byte offsets that match are
mapped back to characters.

Classification statements (密级：秘密, 本文件属机密级, a head line 秘密★1年) are
found by a few regular expressions over the same normalised text; only their
hits are looked at in Python, never each character.
"""

import bisect
import hashlib
import re
from dataclasses import dataclass, field

import ahocorasick_rs

from sites.personal import find_personal_numbers, mask

from .normalize import normalise

KIND_LABELS = {
    "classification": "密级标志",
    "secrecy": "涉密用语",
    "sensitive": "敏感词",
    "wrong": "表述错误",
    "id_number": "身份证号",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "unreadable": "无法审查",
}
BLOCK, WARN = "block", "warn"

# Marks like 机密★1年, 秘密★, 绝密★★ 10年: always block.
MARK_RE = re.compile(r"(绝密|机密|秘密)\s*[★☆*＊]\s*(?:\d+\s*(?:年|个月|月|天|日))?")

# ---- Texts that state their own classification (all block).
# The regexes run on the normalised text: entities decoded, full-width folded
# ("：" is ":"), invisible characters dropped and spaces between Chinese
# characters removed, so "密 级：&#26426;密" arrives as "密级:机密". Each one
# opens with a literal or a small set of characters, which lets the C engine
# skip ahead (one alternation of all of them measured five times slower).
_LEVEL = r"(?:绝密|机密|秘密)"
_OPEN = r"[“\"'‘「『《【\[(]"
_CLOSE = r"[”\"'’」』》】\])]"
# A level that is one item of an enumeration or a range describes the levels
# ("绝密级、机密级和秘密级", "机密级以上", "秘密级国家秘密是一般的国家秘密",
# "绝密级不超过三十年"): that is how laws and regulations talk about secrets.
_ENUMERATION = "、和与或及至到非"
_DESCRIPTIVE_AFTER = r"\s*(?:[、和与或及以至到别]|国家秘密|的国家秘密|不超过|不得超过)"
# 1. A 密级 field or label: "密级：秘密", "【密级】机密", "密级 绝密", "密级为机密".
#    "内部" is no state-secret level (保密法 knows 绝密、机密、秘密 only) but a
#    document labelled 内部 is not for the public either: it blocks as 涉密用语,
#    like 内部资料 and 内部文件 in BUILTIN_TERMS. "密级：非密" or "：公开" is not flagged.
LABEL_RE = re.compile(
    rf"(?:密级|保密等级|保密级别)\s*(?:[:：】\]」』)]\s*)*{_OPEN}?\s*(?:[为是]\s*{_OPEN}?\s*)?"
    rf"(?:{_LEVEL}|(?P<internal>内部))(?!\s*{_CLOSE}?\s*[、和与或及])"
)
_LABEL_OPENERS = "【[「『"
# 2. A level with 级: "机密级", "属秘密级", "“绝密”级" (the look-behinds, placed
#    after the level so the pattern still opens with it, test what precedes it).
GRADE_RE = re.compile(
    rf"{_LEVEL}(?<![{_ENUMERATION}]..)(?<![{_ENUMERATION}]{_OPEN}..)"
    rf"{_CLOSE}?\s*级(?!{_DESCRIPTIVE_AFTER})"
)
# 3. A sentence whose subject is this document: 本/此/该/这 + up to ten characters
#    + 属/属于/为/系/是 (and so 列为, 定为, 作为) + a level, then 级, a document noun
#    or the end of the clause: "本文件属机密级", "此材料为秘密文件", "该文件属于绝密材料".
#    The verb and level are searched for; the subject is then looked for just
#    before them. Negations (不属于, 并非, 是否属于, 未列为) never match, "此类"
#    and "这些" are generic, and "国家秘密" after the verb is not a level
#    ("该信息属于国家秘密", "涉及国家秘密" are prose).
_DOCUMENT = r"(?:文件|材料|资料|事项|文档|公文|文稿|载体|信息|内容|数据|件)"
_CLAUSE_END = r"(?=[\s，。；：！？,.;:!?)）”\"’」』】\]…]|$)"
VERB_LEVEL_RE = re.compile(
    rf"(?:属于|属|为|系|是){_OPEN}?\s*{_LEVEL}{_CLOSE}?"
    rf"(?:\s*级(?:\s*{_DOCUMENT})?|\s*{_DOCUMENT}|{_CLAUSE_END})"
)
SUBJECT_RE = re.compile(
    r"(?<![应基根成资日版样原副账课剧标脚范])[本此该这](?![类些种样])"
    r"[^\s不非未无否勿没，。；：！？、,.;:!?()（）“”\"]{0,10}$"
)
_SUBJECT_REACH = 11
# 4. A line holding only a level, among the first lines of a text (where 公文
#    carry their 密级 and 保密期限, GB/T 9704): "秘密", "机密 ★", "秘密    1年".
#    Page text is screened paragraph by paragraph, so there it is any paragraph.
HEAD_LINES = 5
_PERIOD = r"(?:[\d一二三四五六七八九十两〇零]+\s*(?:年|个月|月|天|日)|长期|启用前)"
HEAD_RE = re.compile(rf"\s*({_LEVEL}\s*[★☆*＊]*\s*(?:[(（]?\s*{_PERIOD}\s*[)）]?)?)\s*")
LINE_RE = re.compile("[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_NOT_BLANK_RE = re.compile(r"\S")
# Built-in secrecy vocabulary; lists in the admin may add to it.
BUILTIN_TERMS = [
    ("绝密", "classification", BLOCK),
    ("内部资料", "secrecy", BLOCK),
    ("内部文件", "secrecy", BLOCK),
    ("内部使用", "secrecy", BLOCK),
    ("内部传阅", "secrecy", BLOCK),
    ("不得外传", "secrecy", BLOCK),
    ("注意保密", "secrecy", WARN),
    ("机密", "secrecy", WARN),
    ("涉密", "secrecy", WARN),
]
CONTEXT_CHARS = 15
LARGE_DICTIONARY = 200_000


@dataclass
class Finding:
    kind: str
    level: str
    matched: str
    location: str
    before: str = ""
    after: str = ""
    correction: str = ""
    occurrence: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def level_label(self):
        return "阻断" if self.level == BLOCK else "提示"

    @property
    def key(self):
        raw = f"{self.kind}|{self.location}|{self.matched}|{self.occurrence}"
        return hashlib.sha256(raw.encode()).hexdigest()[:32]

    def line(self):
        text = f"[{self.level_label}] {self.kind_label}：{self.matched}（{self.location}）"
        if self.correction:
            text += f" 建议改为：{self.correction}"
        return text


@dataclass(frozen=True)
class Entry:
    word: str
    kind: str
    level: str
    correction: str = ""


class Dictionary:
    """Terms compiled into one automaton; the most severe entry wins per word."""

    def __init__(self, entries):
        merged: dict[str, Entry] = {}
        for entry in entries:
            word = normalise(entry.word)[0]
            if not word:
                continue
            current = merged.get(word)
            if current is None or (entry.level == BLOCK and current.level != BLOCK):
                merged[word] = Entry(word, entry.kind, entry.level, entry.correction)
        self.entries = list(merged.values())
        self.too_large = len(self.entries) > LARGE_DICTIONARY
        self._automaton = (
            ahocorasick_rs.BytesAhoCorasick(
                [e.word.encode() for e in self.entries],
                matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            )
            if self.entries else None
        )

    def __len__(self):
        return len(self.entries)

    def matches(self, text: str):
        """Yield (entry, start, end) as character offsets into ``text``."""
        if self._automaton is None or not text:
            return
        data = text.encode()
        hits = self._automaton.find_matches_as_indexes(data)
        if not hits:
            return
        # Map byte offsets to character offsets incrementally (hits are ordered).
        char_pos = byte_pos = 0
        for index, start, end in hits:
            char_pos += len(data[byte_pos:start].decode())
            byte_pos = start
            length = len(data[start:end].decode())
            yield self.entries[index], char_pos, char_pos + length


def builtin_entries():
    return [Entry(word, kind, level) for word, kind, level in BUILTIN_TERMS]


def screen_text(text: str, location: str, dictionary: Dictionary) -> list[Finding]:
    if not text:
        return []
    norm, offsets, source = normalise(text)
    spans = []  # (start, end, kind, level, correction, display)

    marks = classification_spans(norm, offsets, source)
    spans += [(start, end, kind, BLOCK, "", None) for start, end, kind in marks]
    mark_starts = [start for start, _, _ in marks]
    for entry, start, end in dictionary.matches(norm):
        # A word inside a classification mark or statement (机密 in 机密★1年,
        # 绝密 in 本文件属绝密级) is the mark itself.
        i = bisect.bisect_right(mark_starts, start) - 1
        if i >= 0 and start < marks[i][1]:
            continue
        spans.append((start, end, entry.kind, entry.level, entry.correction, None))
    for kind, start, end, _value in find_personal_numbers(norm):
        original = source[offsets[start]:offsets[end - 1] + 1]
        spans.append((start, end, kind, BLOCK, "", mask("".join(ch for ch in original if ch.isalnum()))))

    findings = []
    seen = {}
    for start, end, kind, level, correction, display in sorted(spans):
        o_start = offsets[start]
        o_end = offsets[end - 1] + 1
        shown = display or source[o_start:o_end]
        occurrence = seen.get((kind, shown), 0)
        seen[(kind, shown)] = occurrence + 1
        # Never echo a personal number that happens to sit in the context.
        before = _mask_numbers(source[max(0, o_start - CONTEXT_CHARS):o_start])
        after = _mask_numbers(source[o_end:o_end + CONTEXT_CHARS])
        findings.append(Finding(kind, level, shown, location, before, after, correction, occurrence))
    return findings


def classification_spans(norm: str, offsets, source: str) -> list[tuple[int, int, str]]:
    """Sorted, non-overlapping (start, end, kind) in ``norm`` of classification
    marks and of statements of a text's own classification."""
    found = []
    if "密级" in norm or "保密等级" in norm:  # substring tests are far cheaper than a regex pass
        for m in LABEL_RE.finditer(norm):
            start = m.start() - 1 if m.start() and norm[m.start() - 1] in _LABEL_OPENERS else m.start()
            found.append((start, m.end(), "secrecy" if m.group("internal") else "classification"))
    if "秘密" in norm or "机密" in norm or "绝密" in norm:
        found += [(m.start(), m.end(), "classification") for m in MARK_RE.finditer(norm)]
        found += [(m.start(), m.end(), "classification") for m in GRADE_RE.finditer(norm)]
        for m in VERB_LEVEL_RE.finditer(norm):
            subject = SUBJECT_RE.search(norm, max(0, m.start() - _SUBJECT_REACH), m.start())
            if subject:
                found.append((subject.start(), m.end(), "classification"))
        found += _head_lines(norm, offsets, source)
    if len(found) < 2:
        return found
    found.sort()
    merged = [found[0]]
    for start, end, kind in found[1:]:
        last_start, last_end, last_kind = merged[-1]
        if start < last_end:  # one finding per statement ("本通知为机密级文件" and "机密级")
            kind = "classification" if "classification" in (kind, last_kind) else last_kind
            merged[-1] = (last_start, max(end, last_end), kind)
        else:
            merged.append((start, end, kind))
    return merged


def _head_lines(norm: str, offsets, source: str) -> list[tuple[int, int, str]]:
    """A level alone on one of the first HEAD_LINES non-blank lines. Lines are
    taken from the source: normalisation joins lines between Chinese characters."""
    found, seen = [], 0
    for line in LINE_RE.finditer(source):
        start = offsets.normalised_index(line.start())
        end = offsets.normalised_index(line.end())
        if not _NOT_BLANK_RE.search(norm, start, end):
            continue
        match = HEAD_RE.fullmatch(norm, start, end)
        if match:
            found.append((match.start(1), match.end(1), "classification"))
        seen += 1
        if seen == HEAD_LINES:
            break
    return found


_DIGITS_RE = re.compile(r"[0-9０-９xX]{7,}")


def _mask_numbers(text: str) -> str:
    return _DIGITS_RE.sub(lambda m: "*" * len(m.group(0)), text)


def unreadable(location: str, message: str) -> Finding:
    return Finding("unreadable", BLOCK, message, location)
