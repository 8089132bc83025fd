"""Score every running site for one period, in a fixed number of queries.

Each criterion yields 0–100 or None when there is nothing to judge this period
(no link inspection yet, nothing published, no duty day due yet); the total is
the weighted mean of the criteria that were judged, so a site is never
rewarded or punished for something that did not happen.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from review.models import LedgerEntry
from sitegroup.duty.models import DutyAssignment, ReadingLog
from sitegroup.filing.models import FILED_FIELDS
from sitegroup.freshness.assess import AMBER, RED, assess
from sitegroup.inspection.models import BrokenLink, InspectionRun
from sitegroup.registry.lookup import site_root_path_expression
from sitegroup.registry.models import SiteKind, SiteProfile, SiteStatus
from sitegroup.syndication.stats import figures as syndication_figures
from sites.disclosure.timeliness import by_site as disclosure_timeliness
from sites.interaction.stats import figures as interaction_figures
from sites.models import ArticlePage

from . import vetoes
from .models import CRITERIA, Bonus, EvaluationWeights

CRITERION_LABELS = dict(CRITERIA)
# Below the office's pass mark (default 60) a site is 不合格 whatever these say.
GRADES = [(90, "优秀"), (75, "良好"), (0, "合格")]
VETO_GRADE = "不合格（单项否决）"


@dataclass
class ScoreCard:
    profile: SiteProfile
    scores: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    total: Decimal = Decimal(0)
    grade: str = ""
    vetoed: bool = False
    weights: dict = field(default_factory=dict)  # the weights this card was scored with
    vetoes: list = field(default_factory=list)   # (veto label, reason), see vetoes.py
    deductions: list = field(default_factory=list)  # (criterion label, reason, points)
    bonuses: list = field(default_factory=list)  # (reason, points) counted, portals above the threshold only

    def deduct(self, key, reason, points):
        """Record a problem of criterion ``key``; returns the points, for the criterion's sum."""
        if points:
            self.deductions.append((CRITERION_LABELS[key], reason, points))
        return points

    def rows(self):
        """(label, score, note) in criterion order, for templates and exports."""
        return [(label, self.scores.get(key), self.notes.get(key, "")) for key, label in CRITERIA]


@dataclass
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @classmethod
    def month(cls, first: datetime.date):
        first = first.replace(day=1)
        return cls(first, first.replace(day=calendar.monthrange(first.year, first.month)[1]))

    @property
    def label(self):
        return f"{self.start:%Y年%m月}"

    # Aware bounds in the local time zone: a __date lookup would run a Python
    # conversion for every row on SQLite (the evaluation's main cost at 100k pages).
    @property
    def starts_at(self):
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def ends_before(self):
        return timezone.make_aware(datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min))


def _round(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _site_prefix():
    return site_root_path_expression()


def _freshness(cards, profiles, as_of, rules):
    navigation_only = set(rules.navigation_home_sites.values_list("pk", flat=True))
    for result in assess(profiles, today=as_of):
        card = cards[result.profile.pk]
        red = [f for f in result.findings if f.status == RED]
        lost = sum(
            card.deduct("freshness", f.message, rules.blank_column_points if f.latest is None else rules.stale_column_points)
            for f in red
        )
        card.scores["freshness"] = _round(max(0, 100 - lost))
        amber = sum(f.status == AMBER for f in result.findings)
        card.notes["freshness"] = (f"{len(red)} 项超期或空白" if red else "无超期栏目") + (
            f"，{amber} 项即将超期" if amber else "")
        vetoes.freshness(card, result, rules, as_of, result.profile.pk in navigation_only)


def _links(cards, deduction, as_of):
    run = (
        InspectionRun.objects.filter(finished_at__isnull=False, finished_at__date__lte=as_of)
        .order_by("-finished_at").first()
    )
    if run is None:
        for card in cards.values():
            card.notes["links"] = "尚未进行链接巡查"
        return
    broken = dict(BrokenLink.objects.filter(run=run).values_list("site").annotate(n=Count("pk")).order_by())
    for pk, card in cards.items():
        count = broken.get(pk, 0)
        card.notes["links"] = f"{run.finished_at:%Y-%m-%d} 巡查发现 {count} 条失效链接"
        lost = card.deduct("links", card.notes["links"], deduction * count) if count else 0
        card.scores["links"] = _round(max(0, 100 - lost))


def _duty(cards, period, as_of):
    due_until = min(period.end, as_of - datetime.timedelta(days=1))
    logged = ReadingLog.objects.filter(
        profile=OuterRef("profile"), date=OuterRef("date"), user=OuterRef("user")
    )
    rows = (
        DutyAssignment.objects.filter(profile__in=list(cards), date__range=(period.start, period.end))
        .values("profile")
        .annotate(
            scheduled=Count("pk"),
            due=Count("pk", filter=Q(date__lte=due_until)),
            done=Count("pk", filter=Q(Exists(logged), date__lte=due_until)),
        )
        .order_by()
    )
    stats = {row["profile"]: row for row in rows}
    for pk, card in cards.items():
        row = stats.get(pk)
        if row is None:
            card.scores["duty"] = Decimal(0)
            card.notes["duty"] = "本期未排班"
        elif not row["due"]:
            card.notes["duty"] = "本期暂无到期的值班日"
        else:
            card.scores["duty"] = _round(100 * Decimal(row["done"]) / row["due"])
            card.notes["duty"] = f"应填 {row['due']} 天，已填 {row['done']} 天"


def _review(cards, by_home, period):
    # A live page counts as reviewed when the revision now live is the one a
    # review workflow approved; the ledger records that approval.
    # An uncorrelated IN: the approved revisions are read once, not probed per page.
    approved = LedgerEntry.objects.filter(action="workflow_approved").values("revision_id_ref")
    rows = (
        ArticlePage.objects.live()
        .filter(last_published_at__gte=period.starts_at, last_published_at__lt=period.ends_before)
        .annotate(site_path=_site_prefix())
        .values("site_path")
        .annotate(published=Count("pk"), reviewed=Count("pk", filter=Q(live_revision_id__in=approved)))
        .order_by()
    )
    stats = {row["site_path"]: row for row in rows}
    for path, pk in by_home.items():
        card, row = cards[pk], stats.get(path)
        if row is None:
            card.notes["review"] = "本期无发布"
            continue
        missing = row["published"] - row["reviewed"]
        card.scores["review"] = _round(100 * Decimal(row["reviewed"]) / row["published"])
        card.notes["review"] = f"本期发布 {row['published']} 篇，{missing} 篇未经审查" if missing else (
            f"本期发布 {row['published']} 篇，均经审查"
        )


def _filing(cards):
    for card in cards.values():
        missing = [
            str(SiteProfile._meta.get_field(name).verbose_name)
            for name in FILED_FIELDS if not str(getattr(card.profile, name) or "").strip()
        ]
        card.scores["filing"] = _round(100 * Decimal(len(FILED_FIELDS) - len(missing)) / len(FILED_FIELDS))
        card.notes["filing"] = "缺少：" + "、".join(missing) if missing else "备案信息完整"


def _interaction(cards, period, as_of, veto_on_unanswered, points):
    """Each valid message answered late (or still open past its limit) costs points; the 3-month rule vetoes."""
    numbers = interaction_figures(period.start, period.end, sites=list(cards), today=as_of)
    for pk, card in cards.items():
        f = numbers.get(pk)
        valid = (f.received - f.invalid) if f else 0
        if f and f.veto:
            card.notes["interaction"] = f"近一年有 {f.veto} 条有效留言超过 3 个月未答复（单项否决）"
            if veto_on_unanswered:
                card.vetoes.append((vetoes.LABELS["interaction"], card.notes["interaction"]))
        if not valid:
            card.notes.setdefault("interaction", "本期无有效留言")
            continue
        lost = card.deduct("interaction", f"{f.overdue} 条有效留言超过答复时限", points * f.overdue) if f.overdue else 0
        card.scores["interaction"] = _round(max(0, 100 - lost))
        average = f"，平均 {f.average_days} 个工作日答复" if f.average_days is not None else ""
        text = f"有效留言 {valid} 条，超期 {f.overdue} 条{average}"
        card.notes["interaction"] = text + ("；" + card.notes["interaction"] if "interaction" in card.notes else "")


def _disclosure(cards, by_path, period, as_of, points):
    """Each entry due in the period published after its 20 working days, or not at all, costs points."""
    for pk, figures in disclosure_timeliness(None, period.start, min(period.end, as_of), today=as_of,
                                             by_path=by_path).items():
        card = cards[pk]
        due = figures.published + figures.overdue
        if not due:
            card.notes["disclosure"] = "本期无到期的公开条目"
            continue
        card.notes["disclosure"] = f"到期 {due} 条，超期公开 {figures.late} 条，逾期未公开 {figures.overdue} 条"
        late = figures.late + figures.overdue
        lost = card.deduct("disclosure", f"{figures.late} 条超期公开、{figures.overdue} 条逾期未公开",
                           points * late) if late else 0
        card.scores["disclosure"] = _round(max(0, 100 - lost))


def _syndication(cards, period, as_of, quota):
    """信息报送: what each site offered in the period and the receivers accepted."""
    rows = syndication_figures([card.profile for card in cards.values()], period.start, min(period.end, as_of))
    for row in rows:
        card = cards[row.profile.pk]
        if row.profile.is_portal:
            card.notes["syndication"] = f"门户网站为接收方：本期收到报送 {row.received} 条，采用 {row.adopted} 条"
            continue
        text = f"报送 {row.submitted} 条，采用 {row.accepted} 条，退回 {row.returned} 条"
        if quota:
            card.scores["syndication"] = _round(min(Decimal(100), Decimal(100) * row.accepted / quota))
            card.notes["syndication"] = f"{text}（定额 {quota} 条）"
        elif row.rate is not None:
            card.scores["syndication"] = _round(row.rate)
            card.notes["syndication"] = f"{text}，采用率 {row.rate}%"
        else:
            card.notes["syndication"] = f"{text}，本期无已处理的报送" if row.submitted else "本期未报送信息"


def _bonuses(cards, period):
    """The office's 加分项 of the month for each portal (one query)."""
    found = {}
    rows = Bonus.objects.filter(month=period.start, profile__in=list(cards), profile__kind=SiteKind.PORTAL)
    for profile_id, reason, points in rows.order_by("pk").values_list("profile_id", "reason", "points"):
        found.setdefault(profile_id, []).append((reason, points))
    return found


def _grade(card, weights, settings, bonuses=()):
    card.weights = weights
    judged = {key: score for key, score in card.scores.items() if score is not None and weights.get(key)}
    total_weight = sum(weights[key] for key in judged)
    card.total = _round(sum(score * weights[key] for key, score in judged.items()) / total_weight) if total_weight \
        else Decimal(0)
    card.vetoed = bool(card.vetoes)
    # Bonus points count only for a portal above the threshold (national check indicators).
    if bonuses and not card.vetoed and card.total > settings.bonus_threshold:
        card.bonuses = [(reason, points) for reason, points in bonuses]
        card.total = _round(card.total + min(Decimal(settings.bonus_cap), sum(p for _r, p in bonuses)))
    pass_mark = settings.pass_mark
    if card.vetoed:
        card.grade = VETO_GRADE
    else:
        passed = card.total >= pass_mark
        card.grade = next(label for floor, label in GRADES if card.total >= floor) if passed else "不合格"


def _end_of(day):
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    return min(end, timezone.now())


def evaluate(period: Period, profiles=None, as_of=None) -> list[ScoreCard]:
    as_of = min(as_of or timezone.localdate(), period.end)
    settings = EvaluationWeights.load()
    weights = settings.as_dict()
    if profiles is None:
        profiles = SiteProfile.objects.filter(status=SiteStatus.RUNNING)
    profiles = list(profiles.select_related("site__root_page"))
    cards = {p.pk: ScoreCard(p) for p in profiles}
    if not cards:
        return []
    by_home = {p.site.root_page.path: p.pk for p in profiles}
    _freshness(cards, profiles, as_of, settings)
    vetoes.probes(cards, profiles, _end_of(as_of))
    vetoes.site_checks(cards, by_home, settings)
    _links(cards, settings.link_deduction, as_of)
    _duty(cards, period, as_of)
    _review(cards, by_home, period)
    _filing(cards)
    _interaction(cards, period, as_of, settings.veto_on_unanswered, settings.overdue_message_points)
    _disclosure(cards, {p.site.root_page.path: p for p in profiles}, period, as_of, settings.late_disclosure_points)
    _syndication(cards, period, as_of, settings.syndication_quota)
    bonuses = _bonuses(cards, period)
    for card in cards.values():
        _grade(card, weights, settings, bonuses.get(card.profile.pk))
    return sorted(cards.values(), key=lambda c: (c.vetoed, -c.total, c.profile.sort_order, c.profile.pk))
