import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sitegroup.duty import services
from sitegroup.duty.models import Problem, ReadingLog
from sitegroup.registry.roles import ensure_office_group
from tests.factories import make_user
from tests.helpers import kept_out_of_admin, refused

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
    assert kept_out_of_admin(client.post(f"/admin/duty/problems/{problem.pk}/fix/"))
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
    assert refused(response)
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


def test_rotation_fills_a_month_in_turn_and_can_be_rerun(county, staff):
    from sitegroup.duty.models import DutyAssignment

    second = make_user("xs_officer2", county, "officer")
    monday = TODAY + datetime.timedelta(days=7 - TODAY.weekday())
    services.assign(county, monday + datetime.timedelta(days=1), staff["admin"])  # already staffed
    created, skipped = services.assign_rotation(
        county, monday, monday + datetime.timedelta(days=13), [staff["officer"], second], skip_weekends=True
    )
    assert skipped == [monday + datetime.timedelta(days=1)]
    assert len(created) == 9  # ten weekdays, one already staffed
    days = {a.date: a.user.username for a in DutyAssignment.objects.filter(profile=county).select_related("user")}
    assert days[monday] == "xs_officer" and days[monday + datetime.timedelta(days=2)] == "xs_officer2"
    assert monday + datetime.timedelta(days=5) not in days  # Saturday
    again, skipped = services.assign_rotation(county, monday, monday + datetime.timedelta(days=13),
                                              [staff["officer"]], skip_weekends=True)
    assert again == [] and len(skipped) == 10


def test_rotation_refuses_bad_input_whole(county, staff):
    from sitegroup.duty.models import DutyAssignment

    with pytest.raises(ValidationError, match="不是修水县的工作人员"):
        services.assign_rotation(county, TODAY, TODAY + datetime.timedelta(days=3),
                                 [staff["officer"], staff["outsider"]])
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        services.assign_rotation(county, TODAY, TODAY - datetime.timedelta(days=1), [staff["officer"]])
    with pytest.raises(ValidationError, match="一次最多安排 92 天"):
        services.assign_rotation(county, TODAY, TODAY + datetime.timedelta(days=200), [staff["officer"]])
    assert not DutyAssignment.objects.exists()


def test_rotation_over_http_and_gaps_on_the_duty_page(client, county, staff):
    from sitegroup.duty.models import DutyAssignment

    data = {"site": county.pk, "usernames": "xs_officer、nobody", "start": TODAY.isoformat(),
            "end": (TODAY + datetime.timedelta(days=6)).isoformat()}
    client.force_login(staff["officer"])
    assert refused(client.post("/admin/duty/rotation/", data))
    assert not DutyAssignment.objects.exists()  # officers do not arrange duty

    client.force_login(staff["admin"])
    page = client.get("/admin/duty/").content.decode()
    assert "未来两周未排班的日期" in page and f"{TODAY:%m-%d}" in page
    response = client.post("/admin/duty/rotation/", data, follow=True)
    assert "用户不存在：nobody" in response.content.decode() and not DutyAssignment.objects.exists()
    data["usernames"] = "xs_officer xs_admin"
    response = client.post("/admin/duty/rotation/", data, follow=True)
    assert "已为修水县安排 7 天值班" in response.content.decode()
    assert DutyAssignment.objects.count() == 7
