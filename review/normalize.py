"""Normalise text before screening so trivial disguises do not pass.

HTML entities are decoded, full-width forms and compatibility ideographs folded,
letters lower-cased, invisible characters dropped, and spaces placed between
Chinese characters removed ("机 密", "机\u200b密", "&#26426;密"). Everything is
done with str.translate and regular expressions (C speed); positions in the
result map back to the source through the few deletions that were made, so
findings can be shown in their original context.
"""

import bisect
import html
import re
import unicodedata

INVISIBLE = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064\u200e\u200f"
    # Combining grapheme joiner, Hangul fillers and variation selectors also render as nothing.
    "\u034f\u115f\u1160\u3164\uffa0" + "".join(chr(code) for code in range(0xFE00, 0xFE10))
)
ENTITY_RE = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]+")
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u2e80-\u2fdf★☆"
GAP_RE = re.compile(rf"(?<=[{CJK}])[\s\u3000\u00a0\u2000-\u200a\u202f\u205f]+(?=[{CJK}])")


def _build_table():
    table = {ord(ch): None for ch in INVISIBLE}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[code] = chr(code - 0xFEE0).lower()
    table[0x3000] = " "
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code).lower()
    # Kangxi radicals and compatibility ideographs that NFKC folds to one character.
    for start, end in ((0x2F00, 0x2FD6), (0x2E80, 0x2EF4), (0xF900, 0xFB00)):
        for code in range(start, end):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1 and folded != chr(code):
                table[code] = folded
    return table


TABLE = _build_table()


class OffsetMap:
    """Maps an index in the normalised text to an index in the source text,
    given the runs of source characters that were deleted."""

    def __init__(self, runs):
        self._kept_at, self._cumulative, self._source_at = [], [], []
        total = 0
        for start, length in runs:
            self._kept_at.append(start - total)
            self._source_at.append(start)
            total += length
            self._cumulative.append(total)

    def __getitem__(self, index):
        count = bisect.bisect_right(self._kept_at, index)
        return index + (self._cumulative[count - 1] if count else 0)

    def normalised_index(self, source_index):
        """The inverse: the index in the normalised text of source character
        ``source_index``, or of the next kept character if it was deleted."""
        k = bisect.bisect_right(self._source_at, source_index) - 1
        if k < 0:
            return source_index
        deleted_before = self._cumulative[k - 1] if k else 0
        start = self._source_at[k]
        if source_index < start + self._cumulative[k] - deleted_before:
            return start - deleted_before
        return source_index - self._cumulative[k]


def _compose(first_runs, second_runs):
    """Deletion runs of two successive passes, expressed in original coordinates."""
    first = OffsetMap(first_runs)
    runs = list(first_runs)
    for start, length in second_runs:
        # Each character of a second-pass run maps back through the first pass.
        for i in range(start, start + length):
            runs.append((first[i], 1))
    runs.sort()
    return runs


def normalise(text: str):
    """Return (normalised, offsets, source): ``offsets[i]`` is the index in ``source``
    (the text with entities decoded) of normalised character ``i``."""
    source = ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text) if "&" in text else text
    invisible_runs = [(m.start(), m.end() - m.start()) for m in INVISIBLE_RE.finditer(source)]
    folded = source.translate(TABLE)
    gap_runs = [(m.start(), m.end() - m.start()) for m in GAP_RE.finditer(folded)]
    normalised = GAP_RE.sub("", folded) if gap_runs else folded
    runs = _compose(invisible_runs, gap_runs) if invisible_runs and gap_runs else (invisible_runs or gap_runs)
    return normalised, OffsetMap(runs), source
