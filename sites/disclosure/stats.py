"""Applications overdue or nearly due, for check_disclosure and the reminders."""

from dataclasses import dataclass

from django.utils import timezone

from sitegroup.workdays.calendar import add_working_days

from .kinds import OPEN
from .models import Application, DisclosureSettings


@dataclass
class Due:
    site: object
    overdue: list
    soon: list  # (application, working days left) at a reminder point


def due_by_site(today=None) -> list[Due]:
    today = today or timezone.localdate()
    points = DisclosureSettings.load().remind_days()
    horizon = add_working_days(today, max(points)) if points else today
    marks = {add_working_days(today, n): n for n in points}
    rows = (
        Application.objects.filter(status__in=OPEN, due_on__isnull=False, due_on__lte=horizon)
        .select_related("site__site").order_by("site_id", "due_on", "pk")
    )
    found: dict[int, Due] = {}
    for application in rows:
        entry = found.setdefault(application.site_id, Due(application.site, [], []))
        if application.due_on < today:
            entry.overdue.append(application)
        elif application.due_on in marks:
            entry.soon.append((application, marks[application.due_on]))
    return [entry for entry in found.values() if entry.overdue or entry.soon]
