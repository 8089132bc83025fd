"""The staff inbox (留言办理) in the Wagtail admin.

A site's admins, editors and 信息员 see their own site's messages; the group
office sees every site's. A message the user may not handle is a 404, so ids
cannot be probed.
"""

import datetime

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sitegroup.registry.models import SiteProfile
from sitegroup.registry.roles import is_group_office, profiles_for_user
from sites.public_forms import private_download

from . import services
from .export import workbook
from .kinds import OPEN_STATES, InvalidReason, Status
from .models import MessageAttachment
from .stats import figures

PAGE_SIZE = 50


def _handled_sites(user):
    if is_group_office(user):
        return SiteProfile.objects.select_related("site")
    return profiles_for_user(user, roles=services.HANDLER_ROLES)


def _require_handler(user):
    if not (is_group_office(user) or profiles_for_user(user, roles=services.HANDLER_ROLES).exists()):
        raise PermissionDenied


def inbox(request):
    _require_handler(request.user)
    today = timezone.localdate()
    sites = list(_handled_sites(request.user).order_by("sort_order", "pk").values_list("pk", "site__site_name"))
    messages = services.visible_messages(request.user).select_related("site__site")
    site = request.GET.get("site", "")
    if site.isdigit():
        messages = messages.filter(site_id=int(site))
    state = request.GET.get("status", "open")
    if state == "open":
        messages = messages.filter(status__in=OPEN_STATES)
    elif state == "overdue":
        messages = messages.filter(status__in=OPEN_STATES, due_on__lt=today)
    elif state in Status.values:
        messages = messages.filter(status=state)
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        code = services.normalise_code(q)
        # A query code is looked up by its unique index; anything else searches titles.
        messages = messages.filter(code=code) if len(code) == services.CODE_LENGTH and code == q.upper() else \
            messages.filter(title__icontains=q)
    ordering = ("due_on", "pk") if state in ("open", "overdue", Status.PENDING, Status.ACCEPTED) else ("-received_at",
                                                                                                        "-pk")
    page_obj = Paginator(messages.order_by(*ordering), PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "interaction/admin/inbox.html", {
        "page_obj": page_obj, "sites": sites, "site": site, "state": state, "q": q, "today": today,
        "states": [("open", "待办"), ("overdue", "已超期"), *Status.choices, ("all", "全部")],
        "soon": today + datetime.timedelta(days=3),
    })


def _message_for(request, pk):
    message = services.visible_messages(request.user).select_related("site__site", "channel", "received_site__site").filter(
        pk=pk).first()
    if message is None:
        raise Http404
    return message


def detail(request, pk):
    message = _message_for(request, pk)
    reply = message.replies.order_by("pk").first()
    return TemplateResponse(request, "interaction/admin/detail.html", {
        "message": message,
        "events": message.events.select_related("actor", "site"),
        "attachments": message.attachments.all(),
        "reply": reply,
        "reasons": InvalidReason.choices,
        "targets": services.transfer_targets(message) if message.is_open else [],
        "today": timezone.localdate(),
    })


@require_POST
def act(request, pk):
    message = _message_for(request, pk)
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action == "accept":
            services.accept(message, user)
            flash.success(request, "已受理。")
        elif action == "reject":
            services.reject(message, user, request.POST.get("reason", ""), request.POST.get("note", ""))
            flash.success(request, "已判为无效留言。")
        elif action == "transfer":
            target = request.POST.get("channel", "")
            services.transfer(message, user, int(target) if target.isdigit() else None, request.POST.get("note", ""))
            flash.success(request, "已转办。")
            if not services.can_handle(user, message):
                return redirect("interaction_inbox")
        elif action == "reply":
            page = services.draft_reply(message, user)
            return redirect("wagtailadmin_pages:edit", page.pk)
        else:
            flash.error(request, "未知操作。")
    except ValidationError as exc:
        for text in exc.messages:
            flash.error(request, text)
    return redirect("interaction_message", message.pk)


def attachment(request, pk):
    item = get_object_or_404(MessageAttachment.objects.select_related("message"), pk=pk)
    if not services.can_handle(request.user, item.message):
        raise Http404
    return private_download(item)


def _period(request):
    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat(request.GET.get("start") or f"{today.year}-01-01")
        end = datetime.date.fromisoformat(request.GET.get("end") or today.isoformat())
    except ValueError:
        raise ValidationError("日期格式不正确，应为 2026-01-31。")
    if start > end:
        raise ValidationError("开始日期不能晚于结束日期。")
    if (end - start).days > 3660:
        raise ValidationError("统计区间不能超过 10 年。")
    return start, end


def statistics(request):
    _require_handler(request.user)
    sites = list(_handled_sites(request.user).order_by("sort_order", "pk"))
    try:
        start, end = _period(request)
        error = ""
    except ValidationError as exc:
        today = timezone.localdate()
        start, end, error = today.replace(month=1, day=1), today, exc.messages[0]
    numbers = figures(start, end, sites=sites)
    rows = [(site.name, numbers[site.pk]) for site in sites if site.pk in numbers]
    if request.GET.get("format") == "xlsx" and not error:
        response = HttpResponse(
            workbook(rows, start, end),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="interaction-{start}-{end}.xlsx"'
        return response
    return TemplateResponse(request, "interaction/admin/statistics.html", {
        "rows": rows, "start": start, "end": end, "error": error,
        "export_url": reverse("interaction_statistics") + f"?start={start}&end={end}&format=xlsx",
    })
