"""Working days for every statutory clock (依申请公开, 主动公开, 政民互动 replies).

The day of receipt is not counted: N working days after DATE is the N-th
working day strictly after it. A year is loaded into the database the first
time it is needed: from ``chinese-calendar`` (the State Council's schedule,
holidays and 调休 working weekends) when the library knows the year, else
estimated from ``holidays``' China calendar (statutory holidays, lunar ones
included, but no 调休), which never fails for any year. Both libraries are
maintained; chinese-calendar raises for years it does not know, and the
schedule for next year is published only in late autumn, hence the fallback.
"""

import datetime
import logging

from django.db import IntegrityError, transaction

from .models import CalendarDay, CalendarYear, Source

logger = logging.getLogger(__name__)
MAX_DAYS = 3650  # a statutory clock is weeks long; anything beyond this is a typo


def _library_year(year):
    """(days, confirmed) from chinese-calendar, or None when it has no data."""
    from chinese_calendar import constants

    names = {holiday.value: holiday.chinese for holiday in constants.Holiday}
    if not any(day.year == year for day in constants.holidays):
        return None
    days = []
    for day, name in constants.holidays.items():
        if day.year == year and day.weekday() < 5:
            days.append(CalendarDay(date=day, is_working=False, name=names.get(name, name), source=Source.LIBRARY))
    for day, name in constants.workdays.items():
        if day.year == year and day.weekday() >= 5:
            label = f"{names.get(name, name)}调休上班"
            days.append(CalendarDay(date=day, is_working=True, name=label, source=Source.LIBRARY))
    return days


def _estimated_year(year):
    import holidays

    return [
        CalendarDay(date=day, is_working=False, name=name, source=Source.ESTIMATED)
        for day, name in sorted(holidays.China(years=year, language="zh_CN").items())
        if day.weekday() < 5
    ]


def ensure_year(year: int) -> CalendarYear:
    """Load ``year`` once (re-runnable; never raises for a year without data)."""
    existing = CalendarYear.objects.filter(year=year).first()
    if existing is not None:
        return existing
    days = _library_year(year)
    confirmed = days is not None
    if days is None:
        days = _estimated_year(year)
    try:
        with transaction.atomic():
            record = CalendarYear.objects.create(
                year=year, confirmed=confirmed, source=Source.LIBRARY if confirmed else Source.ESTIMATED
            )
            taken = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
            CalendarDay.objects.bulk_create([d for d in days if d.date not in taken])
    except IntegrityError:  # loaded by a concurrent request meanwhile
        record = CalendarYear.objects.get(year=year)
    if not confirmed:
        logger.warning("No holiday schedule for %s; working days are estimated", year)
    return record


def _exceptions(start: datetime.date, end: datetime.date) -> dict:
    for year in range(start.year, end.year + 1):
        ensure_year(year)
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_working"))


def is_working_day(day: datetime.date) -> bool:
    exceptions = _exceptions(day, day)
    return exceptions.get(day, day.weekday() < 5)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
    if count < 0:
        raise ValueError("工作日数不能为负数。")
    if count == 0:
        return start
    # Every year has far fewer rest days than this margin; extend if ever short.
    span = count * 2 + 40
    while True:
        end = start + datetime.timedelta(days=span)
        exceptions = _exceptions(start, end)
        day, left = start, count
        while day < end:
            day += datetime.timedelta(days=1)
            if exceptions.get(day, day.weekday() < 5):
                left -= 1
                if left == 0:
                    return day
        span *= 2
        if span > MAX_DAYS * 2:
            raise ValueError("工作日数过大。")


def unconfirmed_years(today: datetime.date) -> list[int]:
    """This year and next, where the schedule is not yet confirmed (dashboard warning)."""
    years = [today.year, today.year + 1]
    for year in years:
        ensure_year(year)
    return list(CalendarYear.objects.filter(year__in=years, confirmed=False).values_list("year", flat=True))


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 for the same day)."""
    if end <= start:
        return 0
    exceptions = _exceptions(start, end)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += exceptions.get(day, day.weekday() < 5)
    return count
