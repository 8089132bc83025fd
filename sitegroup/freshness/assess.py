"""Judge every site and column against the update thresholds, in four queries.

The newest live article under each top-level column comes from one grouped
query on the tree path prefix, so the cost does not grow with the number of
sites, columns or articles.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.models import Page

from sitegroup.registry.lookup import site_root_path
from sitegroup.registry.models import SiteProfile, SiteStatus
from sites.models import ArticlePage, ColumnPage

from .models import HOME, FreshnessRule

GREEN, AMBER, RED = "green", "amber", "red"
LABELS = {GREEN: "正常", AMBER: "即将超期", RED: "超期"}
ORDER = {GREEN: 0, AMBER: 1, RED: 2}
COLUMN_DEPTH = 3


@dataclass
class Finding:
    target: str
    status: str
    message: str
    latest: datetime.date | None = None
    days: int | None = None
    kind: str = ""  # the column's kind, or HOME (the national vetoes count columns by kind)

    @property
    def label(self):
        return LABELS[self.status]


@dataclass
class SiteAssessment:
    profile: SiteProfile
    findings: list = field(default_factory=list)
    # The newest update of any top-level column (every second-level page), whether
    # or not the home page lists it: what 首页不更新 judges on a navigation-only home page.
    latest_anywhere: datetime.date | None = None

    @property
    def status(self):
        return max((f.status for f in self.findings), key=ORDER.get, default=GREEN)

    @property
    def label(self):
        return LABELS[self.status]

    @property
    def problems(self):
        return [f for f in self.findings if f.status != GREEN]


def _judge(target, latest, rule, today):
    if latest is None:
        return Finding(target, RED, f"{target}为空白栏目（无任何已发布内容）")
    days = (today - latest).days
    if rule is None:
        return Finding(target, GREEN, f"{target}最近更新于 {latest:%Y-%m-%d}", latest, days)
    if days > rule.max_days:
        return Finding(target, RED, f"{target}已 {days} 天未更新（期限 {rule.max_days} 天）", latest, days)
    if days > rule.max_days - rule.amber_days:
        left = rule.max_days - days
        return Finding(target, AMBER, f"{target}还有 {left} 天将超过更新期限（{rule.max_days} 天）", latest, days)
    return Finding(target, GREEN, f"{target}最近更新于 {latest:%Y-%m-%d}", latest, days)


def assess(profiles=None, today=None) -> list[SiteAssessment]:
    today = today or timezone.localdate()
    rules = {r.kind: r for r in FreshnessRule.objects.all()}
    if profiles is None:
        profiles = SiteProfile.objects.filter(status=SiteStatus.RUNNING).select_related("site__root_page")
    profiles = list(profiles)
    by_home = {p.site.root_page.path: SiteAssessment(p) for p in profiles}
    if not by_home:
        return []
    prefix = COLUMN_DEPTH * Page.steplen
    columns = list(
        ColumnPage.objects.live().filter(depth=COLUMN_DEPTH).order_by("path")
        .values("path", "title", "kind", "show_on_home")
    )
    latest = {
        row["column_path"]: (row["latest"], row["n"])
        for row in ArticlePage.objects.live().filter(depth__gt=COLUMN_DEPTH)
        .annotate(column_path=Substr("path", 1, prefix))
        # Future-dated articles do not count as an update. A filtered aggregate,
        # not a WHERE: filtering on date made SQLite drive from the date index
        # (208 ms instead of 88 ms at 100,000 articles).
        .values("column_path").annotate(latest=Max("date", filter=Q(date__lte=today)), n=Count("pk")).order_by()
    }
    site_latest = {}
    for column in columns:
        assessment = by_home.get(site_root_path(column["path"]))
        if assessment is None:
            continue
        newest, count = latest.get(column["path"], (None, 0))
        if isinstance(newest, str):
            newest = datetime.date.fromisoformat(newest)
        finding = _judge(f"栏目“{column['title']}”", newest if count else None, rules.get(column["kind"]), today)
        finding.kind = column["kind"]
        assessment.findings.append(finding)
        if newest and column["show_on_home"] and (
            assessment.profile.pk not in site_latest or newest > site_latest[assessment.profile.pk]
        ):
            site_latest[assessment.profile.pk] = newest  # the home page shows this column's newest
        if newest and (assessment.latest_anywhere is None or newest > assessment.latest_anywhere):
            assessment.latest_anywhere = newest
    for assessment in by_home.values():
        home = _judge("网站首页", site_latest.get(assessment.profile.pk), rules.get(HOME), today)
        home.kind = HOME
        if home.latest is None:
            home.message = "网站首页无任何已发布内容"
        assessment.findings.insert(0, home)
    return sorted(by_home.values(), key=lambda a: (-ORDER[a.status], a.profile.sort_order, a.profile.pk))
