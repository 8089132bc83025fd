"""Content-Security-Policy violation reports: the public endpoint browsers post
to, and the group office's list of what was collected.

The endpoint takes both formats browsers send: ``application/csp-report`` (the
``report-uri`` directive: ``{"csp-report": {...}}``) and
``application/reports+json`` (the Reporting API behind ``report-to``: a list
of ``{"type": "csp-violation", "body": {...}}``). Anyone can post to it, so it
never trusts the body: bodies over ``CSP_REPORT_MAX_BYTES`` are refused unread,
anything that is not a report is a 400, every string is cut to its column and
cleaned of what a database refuses (NUL, lone surrogates), and at most
``CSP_REPORT_PER_ADDRESS_PER_MINUTE`` reports per address (and
``CSP_REPORT_PER_MINUTE`` in all) are stored per minute, counted in Django's
cache. The counts are approximate where the cache cannot increment atomically
(the file cache of the embedded setup); a cap on a flood needs no more.
"""

import datetime
import hashlib
import json
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpResponse, UnreadablePostError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .access import may_manage_accounts
from .audit import client_address
from .models import CspReport

logger = logging.getLogger(__name__)

REPORT_CONTENT_TYPES = frozenset({"application/csp-report", "application/reports+json", "application/json"})
# A Reporting API delivery may batch several reports; more than this in one body is not a browser.
MAX_REPORTS_PER_BODY = 20
MAX_RAW_DEPTH = 8
POSITIVE_INT_MAX = 2_147_483_647
PAGE_SIZE = 50
GROUPS_SHOWN = 20
GROUP_DAYS = 7  # the grouped counts cover this many recent days, so they stay cheap on a big table


# --------------------------------------------------------------------------- cleaning

def _clean_str(value: str) -> str:
    # NUL is refused by PostgreSQL text and jsonb; a lone surrogate (legal in
    # JSON's \\ud800 escapes) cannot be encoded as UTF-8 by any database driver.
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _text(value, limit: int) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return ""
    return _clean_str(value)[:limit]


def _line(value):
    if isinstance(value, str) and value.isdigit() and len(value) <= 10:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= POSITIVE_INT_MAX:
        return value
    return None


def _raw(value, depth=0):
    """The report as JSON a database accepts: clean strings, finite numbers, bounded depth."""
    if depth > MAX_RAW_DEPTH:
        return None
    if isinstance(value, dict):
        return {_clean_str(str(k))[:200]: _raw(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_raw(v, depth + 1) for v in value]
    if isinstance(value, str):
        return _clean_str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def _parse(body: bytes):
    """The reports in ``body`` as model field values; [] when it holds none."""
    try:
        payload = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return []
    found = []
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        report = payload["csp-report"]
        found.append({
            "document_uri": report.get("document-uri"),
            "violated_directive": report.get("effective-directive") or report.get("violated-directive"),
            "blocked_uri": report.get("blocked-uri"),
            "source_file": report.get("source-file"),
            "line_number": report.get("line-number"),
            "user_agent": None,
            "raw": report,
        })
    elif isinstance(payload, list):
        for item in payload[:MAX_REPORTS_PER_BODY]:
            if not (isinstance(item, dict) and item.get("type") == "csp-violation"
                    and isinstance(item.get("body"), dict)):
                continue
            report = item["body"]
            found.append({
                "document_uri": report.get("documentURL") or item.get("url"),
                "violated_directive": report.get("effectiveDirective") or report.get("violatedDirective"),
                "blocked_uri": report.get("blockedURL"),
                "source_file": report.get("sourceFile"),
                "line_number": report.get("lineNumber"),
                "user_agent": item.get("user_agent"),
                "raw": item,
            })
    return found


# --------------------------------------------------------------------------- throttling

def _count(key: str) -> int:
    if cache.add(key, 1, timeout=120):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        return 1


def _minute() -> int:
    return int(time.time() // 60)


def _may_store(address: str) -> bool:
    """Count one report from ``address``; False once this minute's share is used up."""
    minute = _minute()
    who = hashlib.blake2b(address.encode(), digest_size=12).hexdigest()
    if _count(f"csp-report:{minute}:{who}") > settings.CSP_REPORT_PER_ADDRESS_PER_MINUTE:
        return False
    overall = _count(f"csp-report:{minute}")
    if overall == 1:
        _prune()
    return overall <= settings.CSP_REPORT_PER_MINUTE


def _prune():
    """Once a minute at most: drop a batch of reports past their keeping time."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.CSP_REPORT_KEEP_DAYS)
    old = list(CspReport.objects.filter(received_at__lt=cutoff).values_list("pk", flat=True)[:1000])
    if old:
        CspReport.objects.filter(pk__in=old).delete()


# --------------------------------------------------------------------------- views

def _empty(status):
    return HttpResponse(status=status, content_type="text/plain")


@csrf_exempt
@require_POST
def report(request):
    """Store the violations a browser reports: 204 stored, 400 not a report,
    413 too large, 415 not a report format, 429 over the limit."""
    if request.content_type not in REPORT_CONTENT_TYPES:
        return _empty(415)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _empty(400)
    if length > settings.CSP_REPORT_MAX_BYTES:
        return _empty(413)
    try:
        body = request.body
    except (UnreadablePostError, OSError):
        return _empty(400)
    if len(body) > settings.CSP_REPORT_MAX_BYTES:
        return _empty(413)
    found = _parse(body)
    if not found:
        return _empty(400)

    address = client_address(request)
    header_agent = request.META.get("HTTP_USER_AGENT", "")
    stored = 0
    for fields in found:
        if not _may_store(address):
            break
        CspReport.objects.create(
            document_uri=_text(fields["document_uri"], 1000),
            violated_directive=_text(fields["violated_directive"], 200),
            blocked_uri=_text(fields["blocked_uri"], 1000),
            source_file=_text(fields["source_file"], 1000),
            line_number=_line(fields["line_number"]),
            user_agent=_text(fields["user_agent"] or header_agent, 300),
            raw=_raw(fields["raw"]),
        )
        stored += 1
    if not stored:
        logger.info("CSP reports from %s over the limit; not stored", address)
        return _empty(429)
    return _empty(204)


def reports(request):
    """The collected reports for the group office (superusers count as the office)."""
    if not may_manage_accounts(request.user):
        raise PermissionDenied
    directive = (request.GET.get("directive") or "").strip()[:200]
    blocked = (request.GET.get("blocked") or "").strip()[:1000]
    shown = CspReport.objects.all()
    if directive:
        shown = shown.filter(violated_directive=directive)
    if blocked:
        shown = shown.filter(blocked_uri=blocked)
    page_obj = Paginator(shown.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page_obj:
        item.raw_text = json.dumps(item.raw, ensure_ascii=False, indent=2)
    recent = timezone.now() - datetime.timedelta(days=GROUP_DAYS)
    by_directive = (
        CspReport.objects.filter(received_at__gte=recent).values("violated_directive")
        .annotate(n=Count("pk"), last=Max("received_at")).order_by("-n", "violated_directive")[:GROUPS_SHOWN]
    )
    by_blocked = (
        shown.filter(received_at__gte=recent).values("violated_directive", "blocked_uri")
        .annotate(n=Count("pk"), last=Max("received_at"))
        .order_by("-n", "violated_directive", "blocked_uri")[:GROUPS_SHOWN]
    )
    return TemplateResponse(request, "security/csp_reports.html", {
        "page_obj": page_obj, "directive": directive, "blocked": blocked,
        "by_directive": by_directive, "by_blocked": by_blocked, "total": CspReport.objects.count(),
        "keep_days": settings.CSP_REPORT_KEEP_DAYS, "group_days": GROUP_DAYS,
    })
