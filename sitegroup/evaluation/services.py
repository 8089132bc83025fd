"""Monthly snapshots of the score cards, and reading them back for trends."""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import EvaluationSnapshot
from .scoring import Period, ScoreCard, evaluate


def parse_month(text: str | None) -> datetime.date:
    """'2026-10' -> 2026-10-01; empty means the current month."""
    if not text:
        return timezone.localdate().replace(day=1)
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        first = datetime.date(year, month, 1)
    except ValueError:
        raise ValidationError("月份格式不正确，应为 2026-10。")
    if first > timezone.localdate() or first.year < 2000:
        raise ValidationError("只能评估已经开始的月份。")
    return first


def parse_year(text) -> int:
    """The report's year: this year or an earlier one (the default: last year, due by 31 January)."""
    today = timezone.localdate()
    if not text:
        return today.year - 1
    try:
        year = int(str(text).strip())
    except ValueError:
        raise ValidationError("年度格式不正确，应为 2026。")
    if not 2000 <= year <= today.year:
        raise ValidationError(f"只能生成 2000 年至 {today.year} 年的年度报表。")
    return year


def previous_month(first: datetime.date) -> datetime.date:
    return (first - datetime.timedelta(days=1)).replace(day=1)


@transaction.atomic
def take_snapshot(first: datetime.date, as_of=None) -> list[EvaluationSnapshot]:
    """Compute and store every running site's card for the month; re-running replaces it."""
    period = Period.month(first)
    snapshots = []
    for card in evaluate(period, as_of=as_of):
        snapshot, _ = EvaluationSnapshot.objects.update_or_create(
            profile=card.profile, month=period.start,
            defaults={
                "scores": {key: None if value is None else float(value) for key, value in card.scores.items()},
                "notes": card.notes, "weights": card.weights, "total": card.total, "grade": card.grade,
                "vetoed": card.vetoed, "vetoes": [list(v) for v in card.vetoes],
                "deductions": [list(d) for d in card.deductions],
                "bonuses": [[reason, float(points)] for reason, points in card.bonuses],
            },
        )
        snapshots.append(snapshot)
    return snapshots


def cards_from_snapshots(first: datetime.date, profiles) -> list[ScoreCard]:
    snapshots = EvaluationSnapshot.objects.filter(month=first, profile__in=profiles).select_related("profile__site")
    return [
        ScoreCard(s.profile, scores=s.scores, notes=s.notes, total=s.total, grade=s.grade, vetoed=s.vetoed,
                  weights=s.weights, vetoes=[tuple(v) for v in s.vetoes],
                  deductions=[tuple(d) for d in s.deductions], bonuses=[tuple(b) for b in s.bonuses])
        for s in snapshots.order_by("vetoed", "-total", "profile__sort_order", "profile_id")
    ]


def trends(profiles, until: datetime.date, months: int = 6) -> dict[int, list[tuple[datetime.date, object]]]:
    """Each site's stored totals for the months before `until`, oldest first."""
    since = until
    for _ in range(months):
        since = previous_month(since)
    rows = EvaluationSnapshot.objects.filter(
        profile__in=profiles, month__gte=since, month__lt=until
    ).values_list("profile_id", "month", "total").order_by("month")
    series = defaultdict(list)
    for profile_id, month, total in rows:
        series[profile_id].append((month, total))
    return series
