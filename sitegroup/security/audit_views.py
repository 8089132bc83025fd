"""安全审计: the trail, read-only, for 安全审计员 alone; filter, verify, export."""

import csv
import datetime

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from . import audit
from .access import may_read_audit, require
from .models import AuditEvent, AuditKind

PAGE_SIZE = 50


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _filtered(request):
    events = AuditEvent.objects.all()
    kind = request.GET.get("kind", "")
    if kind in AuditKind.values:
        events = events.filter(kind=kind)
    who = request.GET.get("who", "").strip()[:150]
    if who:
        events = events.filter(actor_name=who) | events.filter(target=who)
    start, end = _date(request.GET.get("from")), _date(request.GET.get("to"))
    tz = timezone.get_current_timezone()
    if start:
        events = events.filter(created_at__gte=datetime.datetime.combine(start, datetime.time(), tz))
    if end:
        events = events.filter(created_at__lt=datetime.datetime.combine(end + datetime.timedelta(days=1),
                                                                        datetime.time(), tz))
    errors = [label for label, raw, parsed in (("起始日期", request.GET.get("from"), start),
                                               ("截止日期", request.GET.get("to"), end)) if raw and not parsed]
    return events, kind, who, errors


class _Echo:
    def write(self, value):
        return value


def _export(request, events):
    request.sitegroup_audited = True  # recorded here with the query; not again as a plain download
    audit.record(AuditKind.AUDIT_EXPORTED, request.user, request=request, query=request.GET.urlencode()[:500])
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # Excel opens UTF-8 CSV correctly only with a BOM
        yield writer.writerow(["序号", "时间", "事件", "操作人", "来源地址", "对象", "详情", "哈希"])
        for event in events.order_by("seq").iterator(chunk_size=2000):
            yield writer.writerow([
                event.seq, timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                event.get_kind_display(), event.actor_name, event.address, event.target, event.detail,
                event.entry_hash,
            ])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="security-audit.csv"'
    return response


def trail(request):
    require(may_read_audit, request.user)
    events, kind, who, errors = _filtered(request)
    if request.GET.get("format") == "csv" and not errors:
        return _export(request, events)
    verified = None
    if request.GET.get("verify") == "1":
        verified = audit.verify()
    return TemplateResponse(request, "security/audit.html", {
        "page_obj": Paginator(events, PAGE_SIZE).get_page(request.GET.get("page")),
        "kinds": AuditKind.choices, "kind": kind, "who": who, "errors": errors,
        "start": request.GET.get("from", ""), "end": request.GET.get("to", ""),
        "query": request.GET.copy(), "verified": verified,
    })
