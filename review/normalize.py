"""Normalise text before screening so trivial disguises do not pass.

Full-width forms, compatibility characters and HTML entities are folded (NFKC
plus unescape), and spaces or invisible characters placed between Chinese
characters are dropped ("机 密", "机\u200b密"). Every character of the result
keeps the offset of the original character it came from, so findings can be
shown in their original context.
"""

import html
import re
import unicodedata

INVISIBLE = {
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u2061", "\u2062", "\u2063",
}
ENTITY_RE = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FA1F
        or ch in "★☆"
    )


def _is_gap(ch: str) -> bool:
    return ch in INVISIBLE or ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs")


def normalise(text: str) -> tuple[str, list[int]]:
    """Return (normalised text, offset of each normalised char in ``text``)."""
    # 1. Entities, keeping offsets: each decoded entity maps to its '&'.
    chars, offsets = [], []
    pos = 0
    for match in ENTITY_RE.finditer(text):
        for i in range(pos, match.start()):
            chars.append(text[i])
            offsets.append(i)
        decoded = html.unescape(match.group(0))
        for ch in decoded:
            chars.append(ch)
            offsets.append(match.start())
        pos = match.end()
    for i in range(pos, len(text)):
        chars.append(text[i])
        offsets.append(i)

    # 2. NFKC per character (full-width digits/letters, compatibility ideographs), lower-case.
    folded, folded_offsets = [], []
    for ch, off in zip(chars, offsets, strict=True):
        for out in unicodedata.normalize("NFKC", ch).lower():
            folded.append(out)
            folded_offsets.append(off)

    # 3. Drop gaps that sit between two CJK characters (looking past runs of gaps).
    result, result_offsets = [], []
    n = len(folded)
    i = 0
    while i < n:
        ch = folded[i]
        if _is_gap(ch) and result and _is_cjk(result[-1]):
            j = i
            while j < n and _is_gap(folded[j]):
                j += 1
            if j < n and _is_cjk(folded[j]):
                i = j
                continue
        if ch in INVISIBLE:
            i += 1
            continue
        result.append(ch)
        result_offsets.append(folded_offsets[i])
        i += 1
    return "".join(result), result_offsets
