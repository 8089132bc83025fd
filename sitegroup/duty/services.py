"""Duty rosters and daily reading logs (值班读网)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sitegroup.registry.models import SiteRole
from sitegroup.registry.roles import user_has_site_role

from .models import DutyAssignment, Problem, ProblemKind, ReadingLog


def assign(profile, date, user) -> DutyAssignment:
    if not user_has_site_role(user, profile, [r.value for r in SiteRole]):
        raise ValidationError(f"{user} 不是{profile.name}的工作人员，不能安排值班。")
    try:
        with transaction.atomic():
            return DutyAssignment.objects.create(profile=profile, date=date, user=user)
    except IntegrityError:
        raise ValidationError(f"{user} 在 {date:%Y-%m-%d} 已安排在{profile.name}值班，不能重复安排。")


def _days(start, end) -> list[datetime.date]:
    return [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]


def _gaps(profiles, start, end) -> dict:
    """Each profile's days in [start, end] with nobody on duty, in one query."""
    covered = set(
        DutyAssignment.objects.filter(profile__in=profiles, date__range=(start, end)).values_list("profile_id", "date")
    )
    days = _days(start, end)
    return {p: [d for d in days if (p.pk, d) not in covered] for p in profiles}


MAX_ROTATION_DAYS = 92  # a quarter: rosters are planned monthly or quarterly


@transaction.atomic
def assign_rotation(profile, start, end, users, skip_weekends=False):
    """Put ``users`` on duty in turn, one a day, from ``start`` to ``end``.

    Days that already have someone on duty are left as they are and reported,
    so re-running the same rotation changes nothing. All or nothing: an
    outsider in the list refuses the whole rotation.
    Returns (created assignments, skipped dates).
    """
    if end < start:
        raise ValidationError("结束日期不能早于开始日期。")
    if (end - start).days + 1 > MAX_ROTATION_DAYS:
        raise ValidationError(f"一次最多安排 {MAX_ROTATION_DAYS} 天。")
    users = list(dict.fromkeys(users))
    if not users:
        raise ValidationError("请至少填写一名值班员。")
    outsiders = [str(u) for u in users if not user_has_site_role(u, profile, [r.value for r in SiteRole])]
    if outsiders:
        raise ValidationError(f"{'、'.join(outsiders)} 不是{profile.name}的工作人员，不能安排值班。")
    open_days = set(roster_gaps(profile, start, end))
    days = [d for d in _days(start, end) if not skip_weekends or d.weekday() < 5]
    skipped = [d for d in days if d not in open_days]
    todo = [d for d in days if d in open_days]
    created = DutyAssignment.objects.bulk_create(
        DutyAssignment(profile=profile, date=day, user=users[i % len(users)]) for i, day in enumerate(todo)
    )
    return created, skipped


def upcoming_gaps(profiles, days=14, today=None) -> dict:
    """Each site's unstaffed days in the coming fortnight, in one query."""
    today = today or timezone.localdate()
    return _gaps(profiles, today, today + datetime.timedelta(days=days - 1))


def roster_gaps(profile, start, end) -> list[datetime.date]:
    """Days in [start, end] nobody is on duty."""
    return _gaps([profile], start, end)[profile]


@transaction.atomic
def record_log(profile, user, date, checked, problems=()) -> ReadingLog:
    today = timezone.localdate()
    if date > today:
        raise ValidationError("不能为未来的日期填写读网记录。")
    if not DutyAssignment.objects.filter(profile=profile, date=date, user=user).exists():
        raise ValidationError(f"{date:%Y-%m-%d} 您未被安排在{profile.name}值班。")
    if not (checked or "").strip():
        raise ValidationError("请填写检查了哪些页面和栏目。")
    log, created = ReadingLog.objects.get_or_create(
        profile=profile, date=date, user=user, defaults={"checked": checked.strip()}
    )
    if not created:  # a second save adds to the day's log instead of losing the first
        log.checked = f"{log.checked}\n{checked.strip()}"
        log.save(update_fields=["checked"])
    for kind, url, description in problems:
        if kind not in ProblemKind.values:
            raise ValidationError(f"问题类型“{kind}”无效。")
        if not url.strip() or not description.strip():
            raise ValidationError("每个问题都要填写页面链接和问题描述。")
        Problem.objects.create(log=log, kind=kind, page_url=url.strip(), description=description.strip())
    return log


def mark_fixed(problem: Problem, user):
    if not user_has_site_role(user, problem.log.profile, [r.value for r in SiteRole]):
        raise ValidationError("只有本站工作人员可以确认整改。")
    problem.fixed_at, problem.fixed_by = timezone.now(), user
    problem.save(update_fields=["fixed_at", "fixed_by"])


def overdue(profiles=None, today=None):
    """Scheduled duty days before today with no log from the person on duty: one query."""
    today = today or timezone.localdate()
    assignments = DutyAssignment.objects.filter(date__lt=today).select_related("profile__site", "user")
    if profiles is not None:
        assignments = assignments.filter(profile__in=profiles)
    logged = ReadingLog.objects.filter(date__lt=today).values_list("profile_id", "date", "user_id")
    done = set(logged)
    return [a for a in assignments if (a.profile_id, a.date, a.user_id) not in done]
