"""信息报送 in the admin: offer a story, the receiving columns' queue, statistics."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import Page

from sitegroup.registry.models import SiteRole
from sitegroup.registry.roles import is_group_office, profiles_for_user

from . import services, stats
from .forms import AcceptForm, PeriodForm, ReturnForm, SubmitForm
from .models import Intake, Status, Submission

PAGE_SIZE = 30


def submit(request, page_id):
    page = get_object_or_404(Page, pk=page_id)
    if not services.may_submit(request.user, page):
        raise PermissionDenied
    story = services.original(page)
    intakes = services.open_intakes_for(story)
    form = SubmitForm(request.POST or None, intakes=intakes)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.submit(story, form.cleaned_data["intakes"], request.user, form.cleaned_data["note"])
        except services.SyndicationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"《{story.title}》已报送到 {len(made)} 个栏目，等待接收站点处理。")
            return redirect("syndication_queue")
    history = Submission.objects.filter(story=story).select_related("to_site")
    return TemplateResponse(request, "syndication/submit.html", {
        "page": story, "form": form, "history": history, "nothing_open": not intakes.exists(),
    })


def _visible(user):
    """Offers the user may see: to or from the sites they work for (all, for the office)."""
    if is_group_office(user):
        return Submission.objects.all()
    sites = profiles_for_user(user, roles=[*services.DECIDE_ROLES, *services.SUBMIT_ROLES]).values("pk")
    return Submission.objects.filter(Q(to_site__in=sites) | Q(from_site__in=sites))


def queue(request):
    user = request.user
    deciding = profiles_for_user(user, roles=services.DECIDE_ROLES)
    if not (is_group_office(user) or profiles_for_user(
            user, roles=[*services.DECIDE_ROLES, *services.SUBMIT_ROLES]).exists()):
        raise PermissionDenied
    status = request.GET.get("status", Status.PENDING)
    status = status if status in Status.values or status == "all" else Status.PENDING
    direction = request.GET.get("direction", "in")
    rows = _visible(user).select_related("from_site", "to_site", "submitted_by", "copy")
    if direction == "out" and not is_group_office(user):
        rows = rows.filter(from_site__in=profiles_for_user(user, roles=services.SUBMIT_ROLES).values("pk"))
    elif not is_group_office(user):
        rows = rows.filter(to_site__in=deciding.values("pk"))
    if status != "all":
        rows = rows.filter(status=status)
    column = request.GET.get("column", "")
    if column.isdigit():
        rows = rows.filter(intake__column_id=int(column))
    # The receiving columns of the user's sites (every open one, for the office): one queue each.
    columns = Intake.objects.select_related("site", "column").order_by("site__sort_order", "column__path")
    if not is_group_office(user):
        columns = columns.filter(site__in=deciding.values("pk"))
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = services.deciding_site_ids(user)
    decidable = {s.to_site_id for s in page_obj.object_list if ids is None or s.to_site_id in ids}
    return TemplateResponse(request, "syndication/queue.html", {
        "page_obj": page_obj, "status": status, "direction": direction, "statuses": Status.choices,
        "decidable": decidable, "office": is_group_office(user), "columns": columns, "column": column,
    })


def _submission_for_decision(request, pk):
    submission = get_object_or_404(Submission.objects.select_related("to_site", "intake__column", "from_site"), pk=pk)
    if not services.may_decide(request.user, submission):
        raise PermissionDenied
    return submission


def accept(request, pk):
    submission = _submission_for_decision(request, pk)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.accept(submission, request.user, **form.cleaned_data)
        except services.SyndicationError as exc:
            messages.error(request, str(exc))
            return redirect("syndication_queue")
        note = "已提交本站审核，审核通过后发布。" if not copy.live else "已发布。"
        messages.success(request, f"已采用《{copy.title}》，{note}")
        return redirect("syndication_queue")
    return TemplateResponse(request, "syndication/decide.html", {
        "submission": submission, "form": form, "action": "accept", "story": submission.story,
    })


def return_view(request, pk):
    submission = _submission_for_decision(request, pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_submission(submission, request.user, form.cleaned_data["reason"])
        except services.SyndicationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已退回《{submission.title}》。")
        return redirect("syndication_queue")
    return TemplateResponse(request, "syndication/decide.html", {
        "submission": submission, "form": form, "action": "return", "story": submission.story,
    })


def _stats_profiles(user):
    if is_group_office(user):
        return profiles_for_user(user).order_by("sort_order", "pk")
    own = profiles_for_user(user, roles=[SiteRole.ADMIN]).order_by("sort_order", "pk")
    if not own.exists():
        raise PermissionDenied
    return own


def statistics(request):
    profiles = _stats_profiles(request.user)
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"start": today.replace(month=1, day=1), "end": today})
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        for error in form.errors.get("__all__", []) + form.errors.get("start", []) + form.errors.get("end", []):
            messages.error(request, error)
        start, end = today.replace(month=1, day=1), today
    if (end - start).days > 366 * 10:
        messages.error(request, "统计区间不能超过十年，已改为截止日期前一年。")
        start = end - datetime.timedelta(days=365)
    rows = stats.figures(profiles, start, end)
    label = f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            stats.as_xlsx(rows, label),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="syndication-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
        return response
    return TemplateResponse(request, "syndication/statistics.html", {
        "rows": rows, "label": label, "start": start, "end": end,
    })
