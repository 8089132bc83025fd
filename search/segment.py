"""Chinese segmentation for indexing and querying (jieba, search mode).

Search mode emits both words and their sub-words (电子政务 → 电子, 政务, 电子政务),
so two-character words like 备案, 公开, 值班 match inside running text. The same
function segments documents and queries, so both sides agree.

Both sides are also folded to mainland simplified Chinese first (:func:`mainland`):
a visitor typing 電子政務 or 軟體 gets what 电子政务 and 软件 find, and a page
written in traditional script is found by either.
"""

import logging
import re
import unicodedata

import jieba

from sites.importing import to_mainland

jieba.setLogLevel(logging.WARNING)
TOKEN_RE = re.compile(r"[\w]+", re.UNICODE)
MAX_QUERY_TOKENS = 12


def clean(text: str) -> str:
    """NFKC-fold and drop control characters."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)


def mainland(text: str) -> str:
    """``text`` in mainland simplified Chinese, converted the way imported documents are
    (phrase-level tw2sp: 電子政務→电子政务, 軟體→软件, 網路→网络). Simplified text,
    pinyin and Latin words are returned unchanged."""
    return to_mainland(text)


def tokens(text: str) -> list[str]:
    out = []
    for token in jieba.cut_for_search(clean(text).lower()):
        token = token.strip()
        if token and TOKEN_RE.fullmatch(token):
            out.append(token)
    return out


def segmented(text: str) -> str:
    return " ".join(tokens(text))


def query_terms(query: str) -> list[str]:
    """Distinct words of a query, longest first, bounded so absurd queries stay cheap."""
    words = []
    for token in jieba.cut(clean(query).lower()):
        token = token.strip()
        if token and TOKEN_RE.fullmatch(token) and token not in words:
            words.append(token)
    return words[:MAX_QUERY_TOKENS]


def warm_up():
    """Load jieba's dictionary, OpenCC's converters and pypinyin's tables now (about 1.5 s), so the
    first visitor to search a freshly started worker does not wait for them."""
    from pypinyin import lazy_pinyin

    jieba.initialize()
    query_terms(mainland("政府網站備案"))
    lazy_pinyin("政务")
