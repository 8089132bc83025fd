from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from sitegroup.registry.models import SiteProfile, SiteRole, SiteStatus
from sitegroup.registry.roles import is_group_office, profiles_for_user

from . import annual, export, services
from .models import CRITERIA, EvaluationWeights
from .scoring import Period, evaluate


def _profiles(user):
    if is_group_office(user):
        return SiteProfile.objects.filter(status=SiteStatus.RUNNING)
    own = profiles_for_user(user, roles=[SiteRole.ADMIN]).filter(status=SiteStatus.RUNNING)
    if not own.exists():
        raise PermissionDenied
    return own


def dashboard(request):
    profiles = _profiles(request.user)
    try:
        first = services.parse_month(request.GET.get("month"))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        first = services.parse_month(None)
    period = Period.month(first)
    live = first == timezone.localdate().replace(day=1)
    cards = evaluate(period, profiles) if live else services.cards_from_snapshots(first, profiles)
    # A stored month shows the weights it was scored with, not today's.
    weights = cards[0].weights if cards else EvaluationWeights.load().as_dict()
    if request.GET.get("format") == "xlsx":
        label = period.label + ("（截至今日）" if live else "")
        response = HttpResponse(
            export.as_xlsx(cards, label, weights),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="evaluation-{first:%Y-%m}.xlsx"'
        return response
    series = services.trends(profiles, first)
    for card in cards:
        card.trend = series.get(card.profile.pk, [])
        card.change = card.total - card.trend[-1][1] if card.trend else None
    return TemplateResponse(request, "evaluation/dashboard.html", {
        "cards": cards, "period": period, "live": live, "criteria": CRITERIA,
        "weight_rows": [(label, weights[key]) for key, label in CRITERIA],
        "month": f"{first:%Y-%m}", "previous": f"{services.previous_month(first):%Y-%m}",
        "office": is_group_office(request.user),
        "report_year": timezone.localdate().year - 1, "this_year": timezone.localdate().year,
    })


def snapshot(request):
    if request.method != "POST" or not is_group_office(request.user):
        raise PermissionDenied
    try:
        first = services.parse_month(request.POST.get("month"))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("evaluation_dashboard")
    saved = services.take_snapshot(first)
    messages.success(request, f"已保存 {first:%Y年%m月} {len(saved)} 个网站的评估快照。")
    return redirect(reverse("evaluation_dashboard") + f"?month={first:%Y-%m}")


def annual_report(request):
    """政府网站工作年度报表 of the user's sites (all, for the office), as Excel."""
    profiles = _profiles(request.user)
    try:
        year = services.parse_year(request.GET.get("year"))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("evaluation_dashboard")
    response = HttpResponse(
        annual.as_xlsx(annual.build(year, profiles), year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="annual-report-{year}.xlsx"'
    return response
