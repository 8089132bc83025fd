"""政府网站工作年度报表: each site's year as the system knows it, for the office
to publish by 31 January (《政府网站发展指引》 asks every site for one).

The rows follow the national form's sections. A figure the system does not
hold (visits: the group has no visitor analytics) is "—" with the reason,
never a made-up number. Every section is one grouped query for all sites.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from review.models import LedgerEntry
from search.models import QueryLog
from sitegroup.availability.models import Probe
from sitegroup.inspection.models import BrokenLink, InspectionRun
from sitegroup.registry.lookup import per_site, public_root_url, site_root_path_expression
from sitegroup.registry.models import SiteKind, SiteProfile, SiteStatus
from sites.columns import ColumnKind
from sites.disclosure.models import Application
from sites.interaction.stats import figures as interaction_figures
from sites.models import ArticlePage, ColumnPage, DisclosureEntryPage

NOT_TRACKED = "—（本系统不统计访问量，请填写统计工具数据）"


@dataclass
class AnnualReport:
    profile: SiteProfile
    year: int
    rows: list = field(default_factory=list)  # (section, label, value)

    def add(self, section, label, value):
        self.rows.append((section, label, value))


def _bounds(year):
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def build(year: int, profiles=None) -> list[AnnualReport]:
    if profiles is None:
        profiles = SiteProfile.objects.filter(status=SiteStatus.RUNNING)
    profiles = list(profiles.select_related("site__root_page").order_by("sort_order", "pk"))
    by_home = {p.site.root_page.path: p.pk for p in profiles}
    start, end = _bounds(year)
    in_year = Q(first_published_at__gte=start, first_published_at__lt=end)

    articles = per_site(ArticlePage.objects.filter(in_year), by_home, total=Count("pk"))
    by_kind = {}
    for row in (ArticlePage.objects.filter(in_year).annotate(site_path=site_root_path_expression())
                .filter(site_path__in=list(by_home))
                .annotate(column_path=_column_path()).values("site_path", "column_path").annotate(n=Count("pk"))
                .order_by()):
        by_kind.setdefault(by_home[row["site_path"]], {}).setdefault(row["column_path"], row["n"])
    column_kinds = dict(ColumnPage.objects.filter(depth=3).values_list("path", "kind"))
    disclosed = per_site(DisclosureEntryPage.objects.filter(in_year), by_home, n=Count("pk"))
    topics = per_site(ColumnPage.objects.live().filter(kind=ColumnKind.TOPIC), by_home, n=Count("pk"),
                       new=Count("pk", filter=in_year))
    services = per_site(ColumnPage.objects.live().filter(kind=ColumnKind.SERVICE), by_home, n=Count("pk"))
    messages = interaction_figures(datetime.date(year, 1, 1), datetime.date(year, 12, 31), sites=profiles)
    applications = dict(Application.objects.filter(site__in=profiles, received_on__year=year)
                        .values_list("site").annotate(n=Count("pk")).order_by())
    codes = {p.code: p.pk for p in profiles}
    searches = {codes[row["site_code"]]: row for row in QueryLog.objects.filter(
        site_code__in=list(codes), created_at__gte=start, created_at__lt=end).values("site_code").annotate(
        n=Count("pk"), empty=Count("pk", filter=Q(results=0))).order_by()}
    runs = InspectionRun.objects.filter(finished_at__gte=start, finished_at__lt=end).count()
    broken = dict(BrokenLink.objects.filter(site__in=profiles, run__finished_at__gte=start,
                                            run__finished_at__lt=end).values_list("site").annotate(n=Count("pk"))
                  .order_by())
    roots = {p.site.root_page_id: p.pk for p in profiles}
    tamper = dict(LedgerEntry.objects.filter(action="static_tamper", page_id_ref__in=list(roots),
                                             created_at__gte=start, created_at__lt=end)
                  .values_list("page_id_ref").annotate(n=Count("pk")).order_by())
    probes = {row["profile"]: row for row in Probe.objects.filter(profile__in=profiles, at__gte=start, at__lt=end)
              .values("profile").annotate(n=Count("pk"), failed=Count("pk", filter=Q(ok=False))).order_by()}

    reports = []
    for profile in profiles:
        pk = profile.pk
        report = AnnualReport(profile, year)
        add = report.add
        add("基本信息", "网站名称", profile.site.site_name)
        add("基本信息", "首页网址", public_root_url(profile.site.hostname) + "/")
        add("基本信息", "主办单位", profile.organiser)
        add("基本信息", "网站类型", "政府门户网站" if profile.kind in (SiteKind.PORTAL, SiteKind.COUNTY) else "部门网站")
        add("基本信息", "政府网站标识码", profile.site_id_code)
        add("基本信息", "ICP备案号", profile.icp_number)
        add("基本信息", "公安机关备案号", profile.police_number)
        add("访问情况", "独立用户访问总量（个）", NOT_TRACKED)
        add("访问情况", "网站总访问量（次）", NOT_TRACKED)
        kinds = {}
        for column_path, n in by_kind.get(pk, {}).items():
            kind = column_kinds.get(column_path, ColumnKind.OTHER)
            kinds[kind] = kinds.get(kind, 0) + n
        add("信息发布", "信息发布总数（条）", articles.get(pk, {}).get("total", 0))
        add("信息发布", "其中：政务动态（条）", kinds.get(ColumnKind.NEWS, 0))
        add("信息发布", "其中：通知公告（条）", kinds.get(ColumnKind.NOTICE, 0))
        add("信息发布", "其中：政策文件（条）", kinds.get(ColumnKind.POLICY, 0))
        add("信息发布", "其中：信息公开目录（条）", disclosed.get(pk, {}).get("n", 0))
        add("专栏专题", "维护数量（个）", topics.get(pk, {}).get("n", 0))
        add("专栏专题", "新开设数量（个）", topics.get(pk, {}).get("new", 0))
        add("办事服务", "是否提供办事服务入口", "是" if services.get(pk) else "否")
        f = messages.get(pk)
        add("互动交流", "收到留言数量（条）", f.received if f else 0)
        add("互动交流", "办结留言数量（条）", f.answered if f else 0)
        add("互动交流", "平均办理时间（工作日）", f.average_days if f and f.average_days is not None else "—")
        add("互动交流", "超期答复留言（条）", f.overdue if f else 0)
        add("依申请公开", "收到申请数量（件）", applications.get(pk, 0))
        row = searches.get(pk, {})
        add("站内搜索", "检索次数", row.get("n", 0))
        add("站内搜索", "无结果检索次数", row.get("empty", 0))
        add("安全防护", "链接巡查次数（全站群）", runs)
        add("安全防护", "巡查发现失效链接（条）", broken.get(pk, 0))
        add("安全防护", "网页防篡改发现并恢复事件（次）", tamper.get(profile.site.root_page_id, 0))
        row = probes.get(pk)
        add("安全防护", "可用性监测次数", row["n"] if row else 0)
        add("安全防护", "可用性监测失败次数", row["failed"] if row else 0)
        add("安全防护", "是否明确网站安全责任人", "是" if profile.responsible_person.strip() else "否")
        reports.append(report)
    return reports


def _column_path():
    from django.db.models.functions import Substr
    from wagtail.models import Page

    return Substr("path", 1, 3 * Page.steplen)


def as_xlsx(reports, year) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年度报表"
    sheet.append([f"政府网站工作年度报表（{year}年度）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["类别", "指标", *[r.profile.site.site_name for r in reports]])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    if reports:
        for index, (section, label, _value) in enumerate(reports[0].rows):
            sheet.append([section, label, *[r.rows[index][2] for r in reports]])
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 32
    for index in range(3, 3 + len(reports)):
        sheet.column_dimensions[get_column_letter(index)].width = 24
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
