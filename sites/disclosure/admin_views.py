"""依申请公开 in the Wagtail admin: each site's staff handle their own site's
applications; the group office reads all of them with ID numbers masked."""

import datetime

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sitegroup.registry.lookup import profiles_by_root_path
from sitegroup.registry.models import SiteProfile, SiteStatus
from sitegroup.registry.roles import is_group_office, profiles_for_user
from sites.interaction.masking import mask_personal_numbers
from sites.public_forms import private_download

from . import services
from .clock import correction_deadline
from .kinds import GROUNDS, OPEN, Result, State
from .models import ApplicationFile

PAGE_SIZE = 50


def _require_reader(user):
    if not (is_group_office(user) or profiles_for_user(user, roles=services.HANDLER_ROLES).exists()):
        raise PermissionDenied


def inbox(request):
    _require_reader(request.user)
    today = timezone.localdate()
    applications = services.readable(request.user).select_related("site__site")
    state = request.GET.get("status", "open")
    if state == "open":
        applications = applications.filter(status__in=OPEN)
    elif state == "overdue":
        applications = applications.filter(status__in=OPEN, due_on__lt=today)
    elif state in State.values:
        applications = applications.filter(status=state)
    site = request.GET.get("site", "")
    if site.isdigit():
        applications = applications.filter(site_id=int(site))
    order = ("due_on", "pk") if state in ("open", "overdue") else ("-received_at", "-pk")
    page_obj = Paginator(applications.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    sites = profiles_for_user(request.user, roles=services.HANDLER_ROLES).order_by("sort_order", "pk")
    return TemplateResponse(request, "disclosure/admin/inbox.html", {
        "page_obj": page_obj, "state": state, "site": site, "today": today,
        "sites": sites.values_list("pk", "site__site_name"),
        "states": [("open", "待办"), ("overdue", "已超期"), *State.choices, ("all", "全部")],
        "soon": today + datetime.timedelta(days=7),
    })


def _application(request, pk):
    application = services.readable(request.user).select_related("site__site", "received_site__site").filter(
        pk=pk).first()
    if application is None:
        raise Http404
    return application


def detail(request, pk):
    application = _application(request, pk)
    handler = services.handles(request.user, application)
    return TemplateResponse(request, "disclosure/admin/detail.html", {
        "application": application, "handler": handler,
        "id_number": application.id_number if handler else mask_personal_numbers(application.id_number),
        "events": application.events.select_related("actor", "site__site"),
        "files": application.files.all(),
        "results": Result.choices, "grounds": GROUNDS,
        "targets": SiteProfile.objects.filter(status=SiteStatus.RUNNING).exclude(pk=application.site_id)
        .select_related("site").order_by("sort_order", "pk") if handler and application.is_open else [],
        "correction_by": correction_deadline(application) if application.is_open else None,
        "today": timezone.localdate(),
    })


def _date(value):
    try:
        return datetime.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        raise ValidationError("日期格式不正确，应为 2026-01-31。")


@require_POST
def act(request, pk):
    application = _application(request, pk)
    if not services.handles(request.user, application):
        raise PermissionDenied
    post, user = request.POST, request.user
    action = post.get("action", "")
    try:
        if action == "register":
            services.register(application, user)
        elif action == "correction":
            services.request_correction(application, user, post.get("what", ""))
        elif action == "corrected":
            services.correction_received(application, user, _date(post.get("date")))
        elif action == "consult":
            services.start_consultation(application, user, post.get("third_party", ""))
        elif action == "consulted":
            services.end_consultation(application, user, _date(post.get("date")))
        elif action == "extend":
            days = post.get("days", "")
            services.extend(application, user, int(days) if days.isdigit() else 0, post.get("reason", ""))
        elif action == "transfer":
            target = SiteProfile.objects.filter(pk=post.get("site") if post.get("site", "").isdigit() else None).first()
            services.transfer(application, user, target, post.get("note", ""))
            flash.success(request, "已转办。")
            return redirect("ysqgk_inbox")
        elif action == "answer":
            ground = post.get(f"ground_{post.get('result', '')}", "")
            services.answer(application, user, post.get("result", ""), ground, post.get("text", ""),
                            request.FILES.getlist("files"))
        else:
            raise ValidationError("未知操作。")
        flash.success(request, "已保存。")
    except ValidationError as exc:
        for text in exc.messages:
            flash.error(request, text)
    return redirect("ysqgk_detail", application.pk)


def file_download(request, pk):
    item = get_object_or_404(ApplicationFile.objects.select_related("application__site"), pk=pk)
    if not services.handles(request.user, item.application):
        raise Http404
    return private_download(item)


def letter(request, pk):
    application = _application(request, pk)
    if not application.reply_letter or not services.handles(request.user, application):
        raise Http404
    return FileResponse(application.reply_letter.open("rb"), as_attachment=True,
                        filename=f"政府信息公开申请答复书-{application.code}.docx")


def timeliness_view(request):
    """主动公开时效: per site, late, overdue-unpublished and amber entries."""
    from .timeliness import by_site, problem_entries

    _require_reader(request.user)
    profiles = SiteProfile.objects.all() if is_group_office(request.user) else \
        profiles_for_user(request.user, roles=services.HANDLER_ROLES)
    by_path = profiles_by_root_path(profiles.filter(status=SiteStatus.RUNNING))
    figures = sorted(by_site(None, by_path=by_path).values(),
                     key=lambda f: (-f.overdue, -f.late, -f.amber, f.profile.pk))
    return TemplateResponse(request, "disclosure/admin/timeliness.html", {
        "figures": figures, "entries": problem_entries(None, by_path=by_path), "today": timezone.localdate(),
    })
