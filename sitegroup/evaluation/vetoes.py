"""The national check indicators' 单项否决, with the thresholds the office keeps.

Each veto is (key, reason): the reason names what to fix ("栏目“通知公告”已 200
天未更新…"), so a site administrator sees exactly why the site failed. Every
source is read in one grouped query for all sites.
"""

from django.db.models import Count

from review.models import LedgerEntry
from sitegroup.availability.services import availability
from sitegroup.freshness.assess import RED
from sitegroup.freshness.models import HOME
from sitegroup.registry.lookup import per_site
from sites.columns import ColumnKind
from sites.interaction.models import InteractionChannelPage
from sites.models import ColumnPage

from .models import VETOES

LABELS = dict(VETOES)
NEWS_KINDS = {ColumnKind.NEWS}
NOTICE_KINDS = {ColumnKind.NOTICE, ColumnKind.POLICY}


def _veto(card, key, reason):
    card.vetoes.append((LABELS[key], reason))


def _names(findings, limit=5):
    names = "、".join(f.target.removeprefix("栏目") for f in findings[:limit])
    return names + (f" 等 {len(findings)} 个" if len(findings) > limit else "")


def freshness(card, result, rules, as_of, navigation_only=False):
    """首页不更新 and 栏目不更新, from the update monitor's findings for the site.
    A home page that is only navigation is judged by every second-level page:
    the veto fires when none of them was updated within the limit."""
    home = next(f for f in result.findings if f.kind == HOME)
    if navigation_only:
        latest = result.latest_anywhere
        days = (as_of - latest).days if latest else None
        if rules.home_stale_days and (latest is None or days > rules.home_stale_days):
            since = "从未更新" if latest is None else f"均已 {days} 天未更新"
            _veto(card, "home", f"首页仅为导航，所有二级页面{since}（期限 {rules.home_stale_days} 天）")
    elif rules.home_stale_days and (home.latest is None or home.days > rules.home_stale_days):
        since = "从未更新" if home.latest is None else f"已 {home.days} 天未更新"
        _veto(card, "home", f"首页{since}（期限 {rules.home_stale_days} 天）")
    columns = [f for f in result.findings if f.kind != HOME]
    blank = [f for f in columns if f.latest is None]
    stale = [
        f for f in columns if f.latest is not None and (
            (f.kind in NEWS_KINDS and f.days > rules.news_stale_days)
            or (f.kind in NOTICE_KINDS and f.days > rules.notice_stale_days)
        )
    ]
    unupdated = [f for f in columns if f.latest is not None and f.status == RED]
    if rules.stale_columns_veto and len(stale) >= rules.stale_columns_veto:
        _veto(card, "columns", f"{len(stale)} 个动态、通知公告、政策文件类栏目超期未更新（达到 {rules.stale_columns_veto} 个"
                               f"即否决）：{_names(stale)}")
    if rules.unupdated_columns_veto and len(unupdated) >= rules.unupdated_columns_veto:
        _veto(card, "columns", f"{len(unupdated)} 个栏目应更新而未更新（达到 {rules.unupdated_columns_veto} 个即否决）："
                               f"{_names(unupdated)}")
    if rules.blank_columns_veto and len(blank) >= rules.blank_columns_veto:
        _veto(card, "columns", f"{len(blank)} 个空白栏目（达到 {rules.blank_columns_veto} 个即否决）：{_names(blank)}")


def _counts(queryset, by_home):
    return {pk: row["n"] for pk, row in per_site(queryset, by_home, n=Count("pk")).items()}


def site_checks(cards, by_home, rules):
    """严重错误, the consultation channel and the 办事服务 entry: three queries for all sites."""
    from wagtail.models import Page

    overridden = LedgerEntry.objects.filter(action="override").values("page_id_ref")
    errors = _counts(Page.objects.live().filter(pk__in=overridden), by_home)
    channels = _counts(InteractionChannelPage.objects.live(), by_home)
    services = _counts(ColumnPage.objects.live().filter(kind=ColumnKind.SERVICE), by_home)
    for pk, card in cards.items():
        count = errors.get(pk, 0)
        if rules.severe_errors_veto and count >= rules.severe_errors_veto:
            _veto(card, "errors", f"{count} 个在线页面含被强行放行的“禁止发布”级审查问题（严重表述错误或涉密内容）")
        if rules.require_consultation_channel and not channels.get(pk):
            _veto(card, "interaction", "没有可用的咨询渠道（无已上线的信箱或咨询栏目）")
        if rules.require_service_entry and not services.get(pk):
            _veto(card, "service", "没有“办事服务”入口（无已上线的办事服务栏目）")


def probes(cards, profiles, as_of_end):
    """站点无法访问 and the 站点可用 score, from the availability probes of the week."""
    figures = availability(profiles, end=as_of_end)
    for pk, card in cards.items():
        f = figures[pk]
        card.notes["availability"] = f.note()
        if f.probes:
            card.scores["availability"] = max(0, 100 - f.percent)
        if f.vetoed:
            _veto(card, "availability", f.note())
