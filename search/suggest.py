"""您是不是要找, search-as-you-type and hot searches."""

import datetime
import re

import jieba
from django.core.cache import cache
from django.db.models import Count, F
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from .models import QueryLog, SuggestTerm
from .segment import mainland

ASCII_RE = re.compile(r"^[a-z]{2,40}$")
CJK_RE = re.compile(r"^[\u4e00-\u9fff]{2,12}$")
HOT_CACHE_KEY = "search:hot"


def pinyin_of(term):
    return "".join(lazy_pinyin(term)), "".join(lazy_pinyin(term, style=Style.FIRST_LETTER))


def learn(words, weight=1):
    """Remember words (2-12 Chinese characters) with their pinyin."""
    for word in {w for w in words if CJK_RE.match(w)}:
        full, initials = pinyin_of(word)
        updated = SuggestTerm.objects.filter(term=word).update(weight=F("weight") + weight)
        if not updated:
            SuggestTerm.objects.get_or_create(
                term=word, defaults={"pinyin": full, "initials": initials, "weight": weight}
            )


def learn_title(title):
    title = mainland(title)  # suggestions are in mainland simplified, like the queries they complete
    learn([title[:12]] + list(jieba.cut(title)))


def did_you_mean(query: str, found: int) -> str | None:
    """Pinyin or initials typed for Chinese (dianzizhengwu, dzzw), or a homophone
    typo (电子正务) when nothing was found."""
    q = query.strip().lower().replace(" ", "")
    if ASCII_RE.match(q):
        match = (
            SuggestTerm.objects.filter(pinyin=q).order_by("-weight").first()
            or SuggestTerm.objects.filter(initials=q).order_by("-weight").first()
        )
        return match.term if match else None
    if not found and CJK_RE.match(q):
        full, _ = pinyin_of(q)
        match = SuggestTerm.objects.filter(pinyin=full).exclude(term=q).order_by("-weight").first()
        return match.term if match else None
    return None


def autocomplete(prefix: str, limit=8) -> list[str]:
    q = prefix.strip().lower()
    if not q or len(q) > 40:
        return []
    if ASCII_RE.match(q) or (q.isascii() and q.isalpha()):
        qs = SuggestTerm.objects.filter(pinyin__startswith=q) | SuggestTerm.objects.filter(initials__startswith=q)
    else:
        qs = SuggestTerm.objects.filter(term__startswith=q)
    return list(qs.order_by("-weight", "term").values_list("term", flat=True).distinct()[:limit])


def hot_searches(limit=8):
    """The most searched queries of the last 30 days that found something.

    Queries are logged in mainland simplified already; older entries typed in
    traditional script (電子政務) are folded in with their simplified twin here."""
    cached = cache.get(HOT_CACHE_KEY)
    if cached is not None:
        return cached
    since = timezone.now() - datetime.timedelta(days=30)
    counts = {}
    rows = (
        QueryLog.objects.filter(created_at__gte=since, results__gt=0)
        .values("query").annotate(n=Count("id")).order_by("-n", "query").values_list("query", "n")[:limit * 5]
    )
    for query, n in rows:
        key = mainland(query)
        counts[key] = counts.get(key, 0) + n
    hot = [query for query, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]]
    cache.set(HOT_CACHE_KEY, hot, 600)
    return hot
