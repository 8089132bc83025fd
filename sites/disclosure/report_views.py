"""年度报告 in the admin: tables from the data, the office's extra figures, export,
and publishing the report as a disclosure entry (which then goes through review)."""

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from sitegroup.registry.roles import is_group_office, profiles_for_user, user_has_site_role
from sites.columns import ColumnKind
from sites.models import ColumnPage, DisclosureEntryPage, DisclosureGenre

from .models import REVIEW_KEYS, AnnualReportExtra
from .report import REVIEW_GROUPS, build
from .report_export import to_csv, to_html, to_xlsx
from .services import HANDLER_ROLES


def _year(text):
    today = timezone.localdate()
    return int(text) if (text or "").isdigit() and 2008 <= int(text) <= today.year else today.year - 1


def report(request):
    sites = list(profiles_for_user(request.user, roles=HANDLER_ROLES).order_by("sort_order", "pk"))
    if not sites:
        raise PermissionDenied
    wanted = request.GET.get("site") or request.POST.get("site") or ""
    profile = next((p for p in sites if str(p.pk) == wanted), sites[0])
    year = _year(request.GET.get("year") or request.POST.get("year"))
    may_edit = user_has_site_role(request.user, profile, HANDLER_ROLES)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if request.POST.get("action") == "publish":
            return _publish(request, profile, year)
        figures = {}
        for group, _label in REVIEW_GROUPS:
            for key, _name in REVIEW_KEYS:
                value = (request.POST.get(f"{group}_{key}") or "0").strip()
                if not value.isdigit() or int(value) > 100000:
                    flash.error(request, "复议、诉讼数量应为 0 至 100000 的整数。")
                    return redirect(reverse("ysqgk_report") + f"?site={profile.pk}&year={year}")
                figures[f"{group}_{key}"] = int(value)
        AnnualReportExtra.objects.update_or_create(profile=profile, year=year, defaults={"figures": figures})
        flash.success(request, "已保存复议、诉讼情况。")
        return redirect(reverse("ysqgk_report") + f"?site={profile.pk}&year={year}")
    built = build(profile, year)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        body, kind = (to_csv(built).encode("utf-8-sig"), "text/csv; charset=utf-8") if fmt == "csv" else (
            to_xlsx(built), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="disclosure-report-{profile.code}-{year}.{fmt}"'
        return response
    return TemplateResponse(request, "disclosure/admin/report.html", {
        "sites": sites, "profile": profile, "year": year, "report": built, "table": to_html(built),
        "may_edit": may_edit, "groups": REVIEW_GROUPS, "keys": REVIEW_KEYS,
        "years": range(timezone.localdate().year, 2018, -1), "office": is_group_office(request.user),
    })


def _publish(request, profile, year):
    built = build(profile, year)
    if not built.balanced:
        flash.error(request, "报告数据不平衡，不能发布：" + "；".join(built.problems))
        return redirect(reverse("ysqgk_report") + f"?site={profile.pk}&year={year}")
    column = ColumnPage.objects.descendant_of(profile.site.root_page).filter(kind=ColumnKind.DISCLOSURE).first()
    if column is None:
        flash.error(request, "本网站没有信息公开栏目。")
        return redirect(reverse("ysqgk_report") + f"?site={profile.pk}&year={year}")
    slug = f"annual-report-{year}"
    page = DisclosureEntryPage.objects.descendant_of(column).filter(slug=slug).first()
    if page is None:
        page = DisclosureEntryPage(
            title=f"{profile.name}{year}年政府信息公开工作年度报告", slug=slug, live=False, genre=DisclosureGenre.REPORT,
            issuer=profile.organiser, topic="政府信息公开年报", owner=request.user,
            body=[("paragraph", to_html(built))],
        )
        column.add_child(instance=page)
    else:
        page.body = [("paragraph", to_html(built))]
    page.save_revision(user=request.user)
    flash.success(request, "已生成年报草稿，请检查后提交审核发布。")
    return redirect("wagtailadmin_pages:edit", page.pk)
