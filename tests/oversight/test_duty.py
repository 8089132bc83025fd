import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sitegroup.duty import services
from sitegroup.duty.models import Problem, ReadingLog
from sitegroup.registry.roles import ensure_office_group
from tests.factories import make_user

TODAY = timezone.localdate()


@pytest.fixture
def staff(county):
    return {
        "admin": make_user("xs_admin", county, "admin"),
        "officer": make_user("xs_officer", county, "officer"),
        "outsider": make_user("outsider"),
    }


def test_roster_refuses_overlaps_and_outsiders_and_reports_gaps(county, staff):
    services.assign(county, TODAY, staff["officer"])
    with pytest.raises(ValidationError, match="不能重复安排"):
        services.assign(county, TODAY, staff["officer"])
    with pytest.raises(ValidationError, match="不是修水县的工作人员"):
        services.assign(county, TODAY, staff["outsider"])
    gaps = services.roster_gaps(county, TODAY, TODAY + datetime.timedelta(days=2))
    assert gaps == [TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=2)]


def test_logs_problems_overdue_and_fixing(client, county, staff):
    yesterday = TODAY - datetime.timedelta(days=1)
    services.assign(county, yesterday, staff["officer"])
    services.assign(county, TODAY, staff["officer"])
    assert [a.date for a in services.overdue()] == [yesterday]

    client.force_login(staff["officer"])
    client.post("/admin/duty/log/", {
        "site": county.pk, "date": (TODAY + datetime.timedelta(days=1)).isoformat(), "checked": "首页",
    })
    assert not ReadingLog.objects.exists()  # no logs for the future
    client.post("/admin/duty/log/", {
        "site": county.pk, "date": yesterday.isoformat(), "checked": "首页、要闻动态",
        "kind_0": "broken_link", "url_0": "http://xiushui.localhost/ywdt/x/", "description_0": "附件链接失效",
    })
    assert services.overdue() == []
    problem = Problem.objects.get()
    assert problem.kind == "broken_link" and problem.fixed_at is None

    client.force_login(staff["outsider"])
    assert client.post(f"/admin/duty/problems/{problem.pk}/fix/").status_code in (302, 403)
    problem.refresh_from_db()
    assert problem.fixed_at is None
    client.force_login(staff["admin"])
    page = client.get("/admin/duty/").content.decode()
    assert "附件链接失效" in page
    client.post(f"/admin/duty/problems/{problem.pk}/fix/")
    problem.refresh_from_db()
    assert problem.fixed_by == staff["admin"]


def test_second_log_the_same_day_loses_nothing(county, staff):
    services.assign(county, TODAY, staff["officer"])
    services.record_log(county, staff["officer"], TODAY, "首页")
    services.record_log(county, staff["officer"], TODAY, "通知公告")
    log = ReadingLog.objects.get()
    assert "首页" in log.checked and "通知公告" in log.checked


def test_only_site_admins_and_office_arrange_duty(client, county, staff):
    client.force_login(staff["officer"])
    response = client.post("/admin/duty/assign/", {"site": county.pk, "username": "xs_officer",
                                                   "date": TODAY.isoformat()})
    assert response.status_code in (302, 403)
    from sitegroup.duty.models import DutyAssignment

    assert not DutyAssignment.objects.exists()
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    client.post("/admin/duty/assign/", {"site": county.pk, "username": "xs_officer", "date": "bad-date"})
    assert not DutyAssignment.objects.exists()
    client.post("/admin/duty/assign/", {"site": county.pk, "username": "xs_officer", "date": TODAY.isoformat()})
    assert DutyAssignment.objects.count() == 1


def test_overdue_uses_fixed_queries(county, staff, django_assert_max_num_queries):
    for n in range(1, 8):
        services.assign(county, TODAY - datetime.timedelta(days=n), staff["officer"])
    with django_assert_max_num_queries(2):
        assert len(services.overdue()) == 7


def test_overdue_logs_show_on_the_group_dashboard(client, county, staff):
    services.assign(county, TODAY - datetime.timedelta(days=2), staff["officer"])
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    html = client.get("/admin/oversight/freshness/").content.decode()
    assert "逾期未填写的读网记录（1）" in html and "xs_officer" in html
