"""Per-site figures of 政民互动 for a period, in a fixed number of queries.

Used by the office's inbox statistics, the Excel export, the evaluation
dashboard and ``check_interaction``.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from .kinds import OPEN_STATES, Satisfaction, Status
from .models import InteractionSettings, Message


@dataclass
class SiteFigures:
    site_id: int
    received: int = 0
    answered: int = 0
    overdue: int = 0
    open_overdue: int = 0
    transferred: int = 0
    invalid: int = 0
    average_days: float | None = None
    satisfaction: dict = field(default_factory=dict)
    veto: int = 0  # valid messages unanswered past the veto limit in the past year
    oldest_open_days: int | None = None

    @property
    def rated(self):
        return sum(self.satisfaction.values())

    @property
    def satisfied_rate(self):
        """满意 + 基本满意 among the rated, as a percentage."""
        if not self.rated:
            return None
        good = self.satisfaction.get(Satisfaction.SATISFIED, 0) + self.satisfaction.get(Satisfaction.FAIR, 0)
        return round(100 * good / self.rated, 1)


def veto_q(today, veto_days):
    """Valid messages of the past year left unanswered longer than the veto limit."""
    year_ago = today - datetime.timedelta(days=365)
    limit = today - datetime.timedelta(days=veto_days)
    return Q(received_on__gte=year_ago) & ~Q(status=Status.INVALID) & (
        Q(answer_days__gt=veto_days) | Q(status__in=OPEN_STATES, received_on__lt=limit)
    )


def figures(start: datetime.date, end: datetime.date, sites=None, today=None) -> dict[int, SiteFigures]:
    """site id -> figures for messages received from ``start`` to ``end`` (inclusive)."""
    today = today or timezone.localdate()
    rules = InteractionSettings.load()
    messages = Message.objects.all()
    if sites is not None:
        messages = messages.filter(site__in=sites)
    period = Q(received_on__range=(start, end))
    # Only rows that can count: the period's, the open ones, and the past year's
    # (the veto window); the index on (site, received_on) then bounds the scan.
    year_ago = today - datetime.timedelta(days=365)
    messages = messages.filter(period | Q(status__in=OPEN_STATES) | Q(received_on__gte=year_ago))
    rows = (
        messages.values("site")
        .annotate(
            received=Count("pk", filter=period),
            answered=Count("pk", filter=period & Q(status=Status.ANSWERED)),
            overdue=Count("pk", filter=period & (
                Q(status__in=OPEN_STATES, due_on__lt=today) | Q(status=Status.ANSWERED, answered_on__gt=F("due_on"))
            )),
            open_overdue=Count("pk", filter=Q(status__in=OPEN_STATES, due_on__lt=today)),
            invalid=Count("pk", filter=period & Q(status=Status.INVALID)),
            average=Avg("reply_working_days", filter=period & Q(status=Status.ANSWERED)),
            veto=Count("pk", filter=veto_q(today, rules.veto_days)),
            satisfied=Count("pk", filter=period & Q(satisfaction=Satisfaction.SATISFIED)),
            fair=Count("pk", filter=period & Q(satisfaction=Satisfaction.FAIR)),
            unsatisfied=Count("pk", filter=period & Q(satisfaction=Satisfaction.UNSATISFIED)),
        )
        .order_by()
    )
    result = {}
    for row in rows:
        result[row["site"]] = SiteFigures(
            site_id=row["site"], received=row["received"], answered=row["answered"], overdue=row["overdue"],
            open_overdue=row["open_overdue"], invalid=row["invalid"], veto=row["veto"],
            average_days=round(row["average"], 1) if row["average"] is not None else None,
            satisfaction={Satisfaction.SATISFIED: row["satisfied"], Satisfaction.FAIR: row["fair"],
                          Satisfaction.UNSATISFIED: row["unsatisfied"]},
        )
    # Transferred away: counted for the site that received the message first.
    transferred = Message.objects.filter(period, transfer_count__gt=0).exclude(site=F("received_site"))
    if sites is not None:
        transferred = transferred.filter(received_site__in=sites)
    for site_id, count in transferred.values_list("received_site").annotate(n=Count("pk")).order_by():
        result.setdefault(site_id, SiteFigures(site_id=site_id)).transferred = count
    return result



@dataclass
class Overdue:
    site_name: str
    open_overdue: list  # Message rows past their limit, still unanswered
    veto: list          # Message rows unanswered longer than the veto limit (past year)


def overdue_by_site(today=None, sites=None) -> list[Overdue]:
    """Sites with open messages past their limit or the veto condition, worst first."""
    today = today or timezone.localdate()
    rules = InteractionSettings.load()
    messages = Message.objects.select_related("site__site").only(
        "code", "title", "due_on", "received_on", "status", "answer_days", "site__site__site_name",
    )
    if sites is not None:
        messages = messages.filter(site__in=sites)
    late = messages.filter(status__in=OPEN_STATES, due_on__lt=today).order_by("due_on", "pk")
    vetoed = messages.filter(veto_q(today, rules.veto_days)).order_by("received_on", "pk")
    found: dict[int, Overdue] = {}
    for message in late:
        found.setdefault(message.site_id, Overdue(message.site.name, [], [])).open_overdue.append(message)
    for message in vetoed:
        found.setdefault(message.site_id, Overdue(message.site.name, [], [])).veto.append(message)
    return sorted(found.values(), key=lambda o: (-len(o.veto), -len(o.open_overdue), o.site_name))


@dataclass
class Reminder:
    site: object            # SiteProfile
    soon: list              # open messages due within the reminder window
    due: list               # open messages due today or already late


def reminders(today=None) -> list[Reminder]:
    """Per site, the open messages to remind its handlers of today."""
    from sitegroup.workdays.calendar import add_working_days

    today = today or timezone.localdate()
    horizon = add_working_days(today, InteractionSettings.load().remind_before)
    rows = (
        Message.objects.filter(status__in=OPEN_STATES, due_on__lte=horizon)
        .select_related("site__site").only("code", "title", "due_on", "site__site__site_name", "site__email")
        .order_by("site_id", "due_on", "pk")
    )
    found: dict[int, Reminder] = {}
    for message in rows:
        entry = found.setdefault(message.site_id, Reminder(message.site, [], []))
        (entry.due if message.due_on <= today else entry.soon).append(message)
    return list(found.values())
