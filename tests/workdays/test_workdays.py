"""The group working-day calendar: holidays, 调休 Saturdays, years without data."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sitegroup.registry.roles import ensure_office_group
from sitegroup.workdays.calendar import add_working_days, is_working_day, unconfirmed_years
from sitegroup.workdays.models import CalendarDay, CalendarYear
from tests.factories import make_user
from tests.helpers import refused

D = datetime.date


@pytest.mark.parametrize("start,days,expected", [
    (D(2026, 9, 30), 1, D(2026, 10, 8)),   # 国庆 10/1–10/7 are not counted
    (D(2026, 10, 8), 2, D(2026, 10, 10)),  # Saturday 10/10 is a 调休 working day
    (D(2026, 11, 20), 1, D(2026, 11, 23)),  # an ordinary weekend
    (D(2026, 11, 25), 0, D(2026, 11, 25)),
    (D(2026, 12, 30), 2, D(2027, 1, 4)),   # into a year without a published schedule: 1/1 estimated
])
def test_working_days_after(db, start, days, expected):
    assert add_working_days(start, days) == expected


def test_the_day_of_receipt_is_not_counted(db):
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 24)  # received Monday, due Tuesday


def test_a_year_the_library_does_not_know_never_crashes(db):
    # chinese-calendar raises for 2028; the estimate still knows the lunar Spring Festival.
    assert not is_working_day(D(2028, 1, 26)) and not is_working_day(D(2028, 10, 2))
    assert is_working_day(D(2028, 3, 1))
    assert CalendarYear.objects.get(year=2028).confirmed is False
    assert add_working_days(D(2028, 1, 24), 3) == D(2028, 2, 2)  # 除夕 1/25 and 春节 1/26–28 are rest days


def test_the_office_confirms_next_year_and_the_warning_goes(db):
    today = D(2026, 11, 25)
    assert unconfirmed_years(today) == [2027]
    CalendarDay.objects.create(date=D(2027, 1, 31), is_working=True, name="春节调休上班")  # a Sunday
    CalendarYear.objects.filter(year=2027).update(confirmed=True)
    assert unconfirmed_years(today) == []
    assert is_working_day(D(2027, 1, 31))


def test_workdays_command(db, capsys):
    call_command("workdays", "2026-09-30", "1")
    assert capsys.readouterr().out == "2026-10-08\n"
    with pytest.raises(CommandError, match="日期无效"):
        call_command("workdays", "2026-02-30", "5")
    with pytest.raises(CommandError, match="工作日数无效"):
        call_command("workdays", "2026-09-30", "五")
    with pytest.raises(CommandError, match="工作日数须在"):
        call_command("workdays", "2026-09-30", "-1")


def test_only_the_office_edits_the_calendar(client, county):
    url = reverse("calendarday:index")
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    assert client.get(url).status_code == 200
    response = client.post(reverse("calendarday:add"), {"date": "2027-02-06", "is_working": "on", "name": "春节调休上班"})
    assert response.status_code == 302 and CalendarDay.objects.filter(date=D(2027, 2, 6), is_working=True).exists()
    for role in ("admin", "editor", "reviewer"):
        client.force_login(make_user(f"xs_{role}", county, role))
        assert refused(client.get(url))
        assert refused(client.post(reverse("calendarday:add"), {"date": "2027-02-07", "name": "x"}))
    assert not CalendarDay.objects.filter(date=D(2027, 2, 7)).exists()


def test_the_office_dashboard_says_when_next_years_schedule_is_missing(client, county):
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    html = client.get("/admin/").content.decode()
    assert "的法定节假日安排尚未确认" in html
