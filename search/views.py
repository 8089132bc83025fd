"""The public search page and its suggestion endpoint, served by every site."""

import datetime
import hashlib
import re
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.http.request import split_domain_port
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from sitegroup.registry.gating import site_gate
from sitegroup.registry.lookup import profile_for_request as current_profile
from sitegroup.registry.lookup import public_root_url
from sitegroup.registry.models import SiteProfile, SiteStatus
from sites.columns import ColumnKind

from .engines import get_engine
from .engines.base import SearchQuery
from .indexing import CONTENT_TYPE_LABELS
from .models import QueryLog, Synonym
from .segment import clean, mainland, query_terms
from .suggest import autocomplete, did_you_mean, hot_searches

MAX_QUERY = 100
PAGE_SIZE = 10
MAX_PAGES = 50
SNIPPET = 120


def _synonym_groups():
    groups = {}
    for synonym in Synonym.objects.filter(active=True):
        terms = synonym.term_list()
        for term in terms:
            groups.setdefault(term, set()).update(terms)
    return groups


def expand(words):
    groups = _synonym_groups()
    return [sorted(groups.get(word, {word}) | {word}, key=lambda t: (t != word, t)) for word in words]


def highlight(text, words, length=None):
    """Escape ``text`` and wrap the query words in <mark>; optionally cut a snippet
    around the first match."""
    if length and len(text) > length:
        lowered = text.lower()
        positions = [lowered.find(w) for w in words if lowered.find(w) >= 0]
        start = max(0, min(positions) - length // 4) if positions else 0
        text = ("…" if start else "") + text[start:start + length] + "…"
    html = escape(text)
    pattern = "|".join(re.escape(escape(w)) for w in sorted(words, key=len, reverse=True) if w)
    if pattern:
        html = re.sub(f"({pattern})", r"<mark>\1</mark>", html, flags=re.IGNORECASE)
    return mark_safe(html)  # noqa: S308 - built from escaped text and our own tags


def _date(value, label, notes):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        notes.append(f"{label}“{value[:20]}”不是有效日期（格式：2026-01-31），已忽略。")
        return None


def _visitor(request):
    # A salted hash that changes daily: enough to count distinct visitors, not to find one.
    raw = f"{settings.SECRET_KEY}|{timezone.localdate()}|{request.META.get('REMOTE_ADDR', '')}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _visitor_url(stored: str, request) -> str:
    """The index keeps each page's full address; a visitor gets it relative when
    it is on this site, else on the group's public scheme and port."""
    parts = urlsplit(stored)
    if not parts.hostname:
        return stored
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.hostname == split_domain_port(request.get_host())[0]:
        return path
    return public_root_url(parts.hostname, request) + path


def search(request):
    started = time.perf_counter()
    notes = []
    here = current_profile(request)
    gate = site_gate(request, here) if here is not None else None
    if gate is not None:
        return gate
    raw_q = request.GET.get("q", "")
    q = " ".join(clean(raw_q).split())
    if len(q) > MAX_QUERY:
        q = q[:MAX_QUERY]
        notes.append(f"检索词过长，已只使用前 {MAX_QUERY} 个字。")
    # 電子政務 and 軟體 find what 电子政务 and 软件 find; the log and hot searches count them as one.
    q = mainland(q)[:MAX_QUERY]

    default_scope = "all" if (here is None or here.is_portal) else "site"
    scope = request.GET.get("scope") if request.GET.get("scope") in ("site", "all") else default_scope
    running = {p.code: p for p in SiteProfile.objects.select_related("site").filter(status=SiteStatus.RUNNING)}
    site_ids = []
    for code in request.GET.getlist("site"):
        code = code.strip()[:40]
        if code in running:
            site_ids.append(running[code].pk)
        elif code:
            notes.append(f"没有代码为“{escape(code)}”的站点，已忽略该筛选。")
    if not site_ids and scope == "site" and here is not None:
        site_ids = [here.pk]
    kind = request.GET.get("kind", "")
    kind = kind if kind in ColumnKind.values else ""
    content_type = request.GET.get("type", "")
    content_type = content_type if content_type in CONTENT_TYPE_LABELS else ""
    date_from = _date(request.GET.get("from", ""), "起始日期", notes)
    date_to = _date(request.GET.get("to", ""), "截止日期", notes)
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
        notes.append("起止日期颠倒，已自动调换。")
    sort = "date" if request.GET.get("sort") == "date" else "relevance"
    try:
        page_number = max(1, min(int(request.GET.get("page", 1)), MAX_PAGES))
    except (TypeError, ValueError):
        page_number = 1

    words = query_terms(q)
    results = None
    if words:
        query = SearchQuery(
            terms=expand(words), site_ids=site_ids, column_kind=kind, content_type=content_type,
            date_from=date_from, date_to=date_to, sort=sort,
            offset=(page_number - 1) * PAGE_SIZE, limit=PAGE_SIZE,
            # Across the whole group a story accepted by other sites is one hit
            # ("另见"); a visitor who picked sites sees what those sites publish.
            collapse=scope == "all" and not site_ids,
        )
        results = get_engine().search(query)
        if results.total and not results.hits and page_number > 1:
            last = min(MAX_PAGES, (results.total - 1) // PAGE_SIZE + 1)
            query.offset, page_number = (last - 1) * PAGE_SIZE, last
            results = get_engine().search(query)
        QueryLog.objects.create(
            query=q[:100], site_code=here.code if here else "", results=results.total, visitor=_visitor(request)
        )
    elif raw_q.strip():
        notes.append("检索词中没有可检索的文字，请换一个词。")

    marks = [w for group in expand(words) for w in group]
    hits = []
    if results:
        names = {p.pk: p.name for p in running.values()}
        for hit in results.hits:
            hits.append({
                "hit": hit,
                "url": _visitor_url(hit.url, request),
                "title": highlight(hit.title, marks),
                "snippet": highlight(hit.body, marks, SNIPPET),
                "site_name": names.get(hit.site_id, ""),
                "also": [(names.get(site_id, ""), _visitor_url(url, request)) for site_id, url in hit.also
                         if site_id in names],
                "kind_label": ColumnKind(hit.column_kind).label if hit.column_kind in ColumnKind.values else "",
            })
    total = results.total if results else 0
    paginator = Paginator(range(min(total, MAX_PAGES * PAGE_SIZE)), PAGE_SIZE) if total else None
    names_by_id = {p.pk: p.name for p in running.values()}
    context = {
        "q": q, "scope": scope, "notes": notes, "hits": hits, "total": total, "sort": sort,
        "capped": bool(results and results.capped),
        "rank_window": results.rank_window if results else None,
        "kind": kind, "type": content_type, "date_from": date_from, "date_to": date_to,
        "selected_sites": site_ids, "sites": list(running.values()),
        "kinds": ColumnKind.choices, "types": CONTENT_TYPE_LABELS.items(),
        "page_obj": paginator.page(page_number) if paginator else None,
        "suggestion": did_you_mean(q, total) if q else None,
        "hot": hot_searches(),
        "facets": {
            "site": [(names_by_id.get(k, k), v) for k, v in (results.facets.get("site", {}) if results else {}).items()],
            "kind": [(ColumnKind(k).label, v) for k, v in (results.facets.get("column_kind", {}) if results else {}).items()
                     if k in ColumnKind.values],
        },
        "elapsed_ms": (time.perf_counter() - started) * 1000,
        "base_qs": _without_page(request),
    }
    return TemplateResponse(request, "search/search.html", context)


def _without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def suggest(request):
    q = mainland(" ".join(clean(request.GET.get("q", "")).split())[:40])[:40]
    return JsonResponse({"q": q, "suggestions": autocomplete(q)})
