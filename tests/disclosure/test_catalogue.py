import datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sitegroup.registry.roles import ensure_office_group
from sitegroup.workdays.calendar import add_working_days
from sites.disclosure.models import DisclosureSettings, SiteDisclosureRule
from sites.disclosure.timeliness import by_site
from sites.models import DisclosureEntryPage
from tests.factories import column, make_user

pytestmark = pytest.mark.django_db


def entry(profile, title, *, publish=True, written=datetime.date(2026, 3, 2), **fields):
    page = DisclosureEntryPage(
        title=title, live=False, written_date=written, date=fields.pop("date", written), issuer="修水县人民政府办公室",
        topic=fields.pop("topic", "综合政务"), body=[("paragraph", "<p>正文。</p>")], **fields,
    )
    column(profile, "xxgk").add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return DisclosureEntryPage.objects.get(pk=page.pk)


def test_index_numbers_follow_the_group_format_and_never_change(county):
    SiteDisclosureRule.objects.create(profile=county, org_code="014500345")
    first = entry(county, "第一份文件")
    second = entry(county, "第二份文件")
    assert first.index_number == "014500345/2026-00001"
    assert second.index_number == "014500345/2026-00002"
    first.title = "第一份文件（修订）"
    first.save_revision().publish()
    assert DisclosureEntryPage.objects.get(pk=first.pk).index_number == "014500345/2026-00001"
    copy = first.copy(update_attrs={"slug": "copy-of-first", "title": "副本"})
    copy = DisclosureEntryPage.objects.get(pk=copy.pk)
    copy.save_revision()
    assert DisclosureEntryPage.objects.get(pk=copy.pk).get_latest_revision_as_object().index_number not in (
        first.index_number, second.index_number, "")
    settings = DisclosureSettings.load()
    settings.index_format = "{org}-{year}-{serial:04d}"
    settings.save()
    assert entry(county, "第三份文件").index_number == "014500345-2026-0001"


def test_publishing_deadline_is_twenty_working_days_from_formation(county):
    formed = datetime.date(2026, 9, 25)
    page = entry(county, "节前形成的文件", formed_on=formed, publish=False)
    page = page.get_latest_revision_as_object()
    assert page.publish_deadline == add_working_days(formed, 20)
    on_time = entry(county, "按时公开的文件", written=timezone.localdate())
    assert not on_time.published_late
    late = entry(county, "迟到的文件", written=datetime.date(2025, 1, 6))
    assert late.published_late


def test_repealed_entry_links_to_what_replaced_it(client, county):
    new = entry(county, "新办法")
    old = entry(county, "旧办法", validity="repealed", replaced_by=new)
    html = client.get(old.url, HTTP_HOST=county.site.hostname).content.decode()
    assert "已废止" in html and "新办法" in html and old.index_number in html
    from django.core.exceptions import ValidationError

    old.validity = "valid"
    with pytest.raises(ValidationError, match="已修订或已废止"):
        old.full_clean()


def test_site_catalogue_filters_and_pages_at_a_fixed_cost(client, county):
    host = county.site.hostname
    for n in range(3):
        entry(county, f"规范性文件{n}", genre="normative", topic="政策法规")
    entry(county, "废止的规章", genre="regulation", validity="repealed", written=datetime.date(2024, 5, 1))

    def get(query=""):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/gkml/" + query, HTTP_HOST=host, HTTP_CACHE_CONTROL="no-cache")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    get()
    few, html = get("?page=1&x=1")
    assert "规范性文件0" in html and "废止的规章" in html and "已废止" in html
    for n in range(3, 45):
        entry(county, f"规范性文件{n}", genre="normative", topic="政策法规")
    many, html = get("?page=2&x=2")
    assert few == many, (few, many)
    assert "第 2 页 / 共 3 页" in html
    _, html = get("?genre=regulation")
    assert "废止的规章" in html and "规范性文件1" not in html
    _, html = get("?year=2024")
    assert "共 1 条" in html
    _, html = get("?validity=repealed&topic=" + quote("政策法规"))
    assert "没有符合条件的公开信息" in html
    _, html = get("?q=" + quote("<script>alert(1)</script>") + "&year=abcd&page=999")
    assert "<script>alert(1)</script>" not in html


def test_portal_catalogue_covers_every_site(client, portal, county):
    entry(county, "修水县的公开文件")
    html = client.get("/gkml/", HTTP_HOST=portal.site.hostname).content.decode()
    assert "九江市政府信息公开目录" in html and "修水县的公开文件" in html and "修水县</td>" in html
    html = client.get("/gkml/", HTTP_HOST=county.site.hostname).content.decode()
    assert "修水县的公开文件" in html and "九江市政府信息公开目录" not in html


def test_guide_states_the_sites_limits_and_reports_list(client, county):
    SiteDisclosureRule.objects.create(profile=county, reply_limit=15)
    html = client.get("/gkzn/", HTTP_HOST=county.site.hostname).content.decode()
    assert "15 个工作日内答复" in html and "不收取费用" in html and "/ysqgk/" in html
    report = entry(county, "修水县2025年政府信息公开工作年度报告", genre="report")
    html = client.get("/gknb/", HTTP_HOST=county.site.hostname).content.decode()
    assert report.title in html


def test_timeliness_dashboard_and_counts(client, county, department):
    today = timezone.localdate()
    entry(county, "按时公开", written=today)
    entry(county, "超期公开", written=datetime.date(today.year, 1, 5))
    entry(county, "逾期未公开", written=datetime.date(2025, 2, 3), publish=False)
    formed = today
    while add_working_days(formed, 20) > add_working_days(today, 3):
        formed -= datetime.timedelta(days=1)
    entry(county, "即将到期", written=formed, publish=False)
    figures = by_site(type(county).objects.filter(pk__in=[county.pk, department.pk]))[county.pk]
    # "published" counts entries whose deadline has come: the on-time one is not due yet.
    assert (figures.published, figures.late, figures.overdue, figures.amber) == (1, 1, 1, 1)
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    html = client.get(reverse("ysqgk_timeliness")).content.decode()
    assert "逾期未公开" in html and "超期公开" in html
    client.force_login(make_user("jyj_editor", department, "editor"))
    html = client.get(reverse("ysqgk_timeliness")).content.decode()
    assert "修水县" not in html


def test_portal_catalogue_is_purged_when_any_site_publishes(client, portal, county):
    entry(county, "先发布的文件")
    first = client.get("/gkml/", HTTP_HOST=portal.site.hostname).content.decode()
    assert "先发布的文件" in first
    entry(county, "后发布的文件")
    again = client.get("/gkml/", HTTP_HOST=portal.site.hostname).content.decode()
    assert "后发布的文件" in again


def test_an_index_number_query_finds_exactly_that_entry(client, county):
    SiteDisclosureRule.objects.create(profile=county, org_code="014500345")
    wanted = entry(county, "要找的文件")
    entry(county, "别的文件")
    html = client.get("/gkml/?q=" + quote(wanted.index_number), HTTP_HOST=county.site.hostname).content.decode()
    assert "要找的文件" in html and "别的文件" not in html
