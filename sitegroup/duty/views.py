import datetime
import re

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from sitegroup.registry.models import SiteProfile, SiteRole, SiteStatus
from sitegroup.registry.roles import is_group_office, profiles_for_user, user_has_site_role

from . import services
from .models import DutyAssignment, Problem, ProblemKind


def _date(value):
    try:
        return datetime.date.fromisoformat((value or "")[:10])
    except ValueError:
        raise ValidationError("日期格式不正确，应为 2026-01-31。")


def duty_home(request):
    user = request.user
    office = is_group_office(user)
    managed = SiteProfile.objects.all() if office else profiles_for_user(user, roles=[SiteRole.ADMIN])
    mine = DutyAssignment.objects.filter(user=user).select_related("profile__site").order_by("-date")[:30]
    if not office and not managed.exists() and not mine:
        raise PermissionDenied
    today = timezone.localdate()
    return TemplateResponse(request, "duty/home.html", {
        "mine": mine, "today": today, "kinds": ProblemKind.choices,
        "managed": list(managed.select_related("site")) if not office else [],
        "overdue": services.overdue(None if office else managed, today) if (office or managed.exists()) else [],
        "gaps": {p: days for p, days in services.upcoming_gaps(list(managed.filter(status=SiteStatus.RUNNING)), today=today).items()
                 if days} if (office or managed.exists()) else {},
        "problems": Problem.objects.filter(fixed_at__isnull=True, log__profile__in=managed)
        .select_related("log__profile__site", "log__user")[:200] if (office or managed.exists()) else [],
    })


def log_view(request):
    if request.method != "POST":
        return redirect("duty_home")
    profile = get_object_or_404(SiteProfile, pk=request.POST.get("site"))
    problems = [
        (request.POST.get(f"kind_{i}", ""), request.POST.get(f"url_{i}", ""), request.POST.get(f"description_{i}", ""))
        for i in range(3) if request.POST.get(f"url_{i}") or request.POST.get(f"description_{i}")
    ]
    try:
        services.record_log(profile, request.user, _date(request.POST.get("date")), request.POST.get("checked", ""),
                            problems)
        messages.success(request, "读网记录已保存。")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("duty_home")


def assign_view(request):
    if request.method != "POST":
        return redirect("duty_home")
    profile = get_object_or_404(SiteProfile, pk=request.POST.get("site"))
    if not (is_group_office(request.user) or user_has_site_role(request.user, profile, [SiteRole.ADMIN])):
        raise PermissionDenied
    person = get_user_model().objects.filter(username=request.POST.get("username", "")).first()
    try:
        if person is None:
            raise ValidationError("用户不存在。")
        services.assign(profile, _date(request.POST.get("date")), person)
        messages.success(request, "值班已安排。")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("duty_home")


def _people(text):
    """Usernames separated by commas, 、 or whitespace; unknown names are an error."""
    names = [n for n in re.split(r"[\s,，、;；]+", text or "") if n]
    found = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    unknown = [n for n in names if n not in found]
    if unknown:
        raise ValidationError(f"用户不存在：{'、'.join(unknown)}。")
    return [found[n] for n in names]


def rotation_view(request):
    if request.method != "POST":
        return redirect("duty_home")
    profile = get_object_or_404(SiteProfile, pk=request.POST.get("site"))
    if not (is_group_office(request.user) or user_has_site_role(request.user, profile, [SiteRole.ADMIN])):
        raise PermissionDenied
    try:
        created, skipped = services.assign_rotation(
            profile, _date(request.POST.get("start")), _date(request.POST.get("end")),
            _people(request.POST.get("usernames")), skip_weekends=bool(request.POST.get("skip_weekends")),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        note = f"；{len(skipped)} 天已有人值班，未改动" if skipped else ""
        messages.success(request, f"已为{profile.name}安排 {len(created)} 天值班{note}。")
    return redirect("duty_home")


def fix_view(request, problem_id):
    if request.method != "POST":
        return redirect("duty_home")
    problem = get_object_or_404(Problem.objects.select_related("log__profile"), pk=problem_id)
    try:
        services.mark_fixed(problem, request.user)
    except ValidationError as exc:
        raise PermissionDenied(exc.messages[0])
    messages.success(request, "已标记为已整改。")
    return redirect("duty_home")
