"""报送 / 采用 / 采用率 per site and period, in one grouped query."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from .models import Status, Submission


@dataclass
class SiteFigures:
    profile: object
    submitted: int = 0
    accepted: int = 0
    returned: int = 0
    pending: int = 0
    received: int = 0  # offered to this site
    adopted: int = 0  # accepted by this site

    @property
    def rate(self) -> Decimal | None:
        """采用率 of what the site offered, of those decided (pending ones are not judged yet)."""
        decided = self.accepted + self.returned
        return (Decimal(100) * self.accepted / decided).quantize(Decimal("0.1")) if decided else None


def _bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return first, after


def figures(profiles, start: datetime.date, end: datetime.date) -> list[SiteFigures]:
    """Offers made between ``start`` and ``end`` (inclusive), counted where they stand now."""
    profiles = list(profiles)
    by_id = {p.pk: SiteFigures(p) for p in profiles}
    first, after = _bounds(start, end)
    period = Submission.objects.filter(submitted_at__gte=first, submitted_at__lt=after)
    counts = dict(
        submitted=Count("pk"),
        accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
    )
    for row in period.filter(from_site__in=by_id).values("from_site").annotate(**counts).order_by():
        card = by_id[row["from_site"]]
        card.submitted, card.accepted = row["submitted"], row["accepted"]
        card.returned, card.pending = row["returned"], row["pending"]
    for row in period.filter(to_site__in=by_id).values("to_site").annotate(
        received=Count("pk"), adopted=Count("pk", filter=Q(status=Status.ACCEPTED))
    ).order_by():
        card = by_id[row["to_site"]]
        card.received, card.adopted = row["received"], row["adopted"]
    return [by_id[p.pk] for p in profiles]


def as_xlsx(rows, label: str) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "信息报送统计"
    sheet.append([f"信息报送统计（{label}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["网站", "报送", "采用", "退回", "待处理", "采用率（%）", "收到报送", "本站采用"])
    for row in rows:
        sheet.append([row.profile.name, row.submitted, row.accepted, row.returned, row.pending,
                      None if row.rate is None else float(row.rate), row.received, row.adopted])
    for letter, width in zip("ABCDEFGH", (24, 8, 8, 8, 8, 12, 10, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
