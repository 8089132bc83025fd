import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from sitegroup.freshness.assess import AMBER, GREEN, RED, assess
from sitegroup.freshness.models import FreshnessRule
from sitegroup.registry.roles import ensure_office_group
from sites.columns import STANDARD_COLUMNS
from tests.factories import column, make_article, make_site, make_user
from tests.helpers import kept_out_of_admin

TODAY = datetime.date(2026, 11, 24)


def fill(profile, news_age, notice_age=10, policy_age=10):
    dates = {"ywdt": news_age, "tzgg": notice_age, "zcwj": policy_age}
    for slug, _title, _kind in STANDARD_COLUMNS:
        age = dates.get(slug, 5)
        make_article(column(profile, slug), f"{profile.name}{slug}", date=TODAY - datetime.timedelta(days=age))


def status_of(results, profile):
    return next(r for r in results if r.profile.pk == profile.pk)


def test_thresholds_amber_before_red(county, department):
    fill(county, news_age=12)      # 14-day limit, 3-day lead: amber
    fill(department, news_age=20)  # red
    results = assess(today=TODAY)
    assert status_of(results, county).status == AMBER
    red = status_of(results, department)
    assert red.status == RED
    assert any("已 20 天未更新（期限 14 天）" in f.message for f in red.problems)


def test_notice_and_policy_six_months_and_empty_columns(county):
    fill(county, news_age=1, notice_age=200)
    result = status_of(assess(today=TODAY), county)
    assert result.status == RED and any("通知公告" in f.message for f in result.problems)
    empty = make_site("department")
    empty_result = status_of(assess(today=TODAY), empty)
    assert empty_result.status == RED
    assert any("空白栏目" in f.message for f in empty_result.problems)


def test_rules_are_configurable(county):
    fill(county, news_age=20)
    FreshnessRule.objects.filter(kind__in=["news", "home"]).update(max_days=30)
    assert status_of(assess(today=TODAY), county).status == GREEN


def test_unpublished_content_does_not_count(county):
    fill(county, news_age=1)
    for page in Page.objects.filter(title=f"{county.name}ywdt"):
        page.specific.unpublish()
    result = status_of(assess(today=TODAY), county)
    assert any("要闻动态" in f.message and "空白" in f.message for f in result.problems)


def test_future_dated_articles_are_not_an_update(county):
    fill(county, news_age=20)  # red on its own
    make_article(column(county, "ywdt"), "预发布的新闻", date=TODAY + datetime.timedelta(days=30))
    result = status_of(assess(today=TODAY), county)
    assert result.status == RED
    assert any("已 20 天未更新" in f.message for f in result.problems)


def test_check_freshness_exit_code(county, capsys):
    fill(county, news_age=1)
    call_command("check_freshness")
    make_site("department")  # empty: red
    with pytest.raises(SystemExit) as exc:
        call_command("check_freshness")
    assert exc.value.code == 1
    assert "空白栏目" in capsys.readouterr().out


def test_assessment_uses_a_fixed_number_of_queries(portal, county):
    fill(county, news_age=3)
    with CaptureQueriesContext(connection) as small:
        assess(today=TODAY)
    for i in range(4):
        site = make_site("department", name=f"部门{i}", code=f"d{i}", hostname=f"d{i}.localhost")
        fill(site, news_age=i)
    with CaptureQueriesContext(connection) as large:
        assess(today=TODAY)
    assert len(small.captured_queries) == len(large.captured_queries) <= 5


def test_dashboard_permissions_and_queries(client, county, department, django_assert_max_num_queries):
    fill(county, news_age=30)
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    with django_assert_max_num_queries(40):
        html = client.get("/admin/oversight/freshness/").content.decode()
    assert "修水县" in html and "九江市教育局" in html and "超期" in html

    client.force_login(make_user("xs_admin", county, "admin"))
    own = client.get("/admin/oversight/freshness/").content.decode()
    assert "修水县" in own and "九江市教育局" not in own
    home = client.get("/admin/").content.decode()
    assert "栏目更新监测" in home

    client.force_login(make_user("nobody"))
    assert kept_out_of_admin(client.get("/admin/oversight/freshness/"))
    client.logout()
    assert client.get("/admin/oversight/freshness/").status_code == 302
