"""政府网站工作年度报表: figures the system holds, per site, as Excel from the admin and a command."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from review import ledger
from search.models import QueryLog
from sitegroup.availability.models import Probe
from sitegroup.evaluation.annual import NOT_TRACKED, build
from sitegroup.registry.models import SiteRole
from sitegroup.registry.roles import ensure_office_group
from tests.factories import column, make_article, make_site, make_user

from .test_evaluation import equip

YEAR = timezone.localdate().year


def values(report):
    return {label: value for _section, label, value in report.rows}


def test_the_years_figures_of_one_site(county, department):
    for n in range(3):
        make_article(column(county, "ywdt"), f"动态{n}")
    make_article(column(county, "tzgg"), "通知")
    equip(county, timezone.localdate())  # a 办事服务 column with its guide, and a channel
    QueryLog.objects.create(query="社保", site_code=county.code, results=3)
    QueryLog.objects.create(query="不存在的词", site_code=county.code, results=0)
    QueryLog.objects.create(query="别站", site_code=department.code, results=1)
    Probe.objects.create(profile=county, url="http://x/", ok=True)
    Probe.objects.create(profile=county, url="http://x/", ok=False, error="HTTP 500")
    ledger.append("static_tamper", county.site.root_page, site=county.site.hostname)

    reports = {r.profile.pk: r for r in build(YEAR)}
    xs = values(reports[county.pk])
    assert xs["网站名称"] == "修水县" and xs["网站类型"] == "政府门户网站"
    assert xs["政府网站标识码"] == county.site_id_code and xs["首页网址"].endswith("xiushui.localhost/")
    assert xs["独立用户访问总量（个）"] == NOT_TRACKED
    assert xs["信息发布总数（条）"] == 5  # 3 动态, 1 通知 and the 办事指南
    assert xs["其中：政务动态（条）"] == 3 and xs["其中：通知公告（条）"] == 1
    assert xs["是否提供办事服务入口"] == "是"
    assert (xs["检索次数"], xs["无结果检索次数"]) == (2, 1)
    assert (xs["可用性监测次数"], xs["可用性监测失败次数"]) == (2, 1)
    assert xs["网页防篡改发现并恢复事件（次）"] == 1
    assert xs["是否明确网站安全责任人"] == "是"
    other = values(reports[department.pk])
    assert other["网站类型"] == "部门网站" and other["是否提供办事服务入口"] == "否" and other["检索次数"] == 1


def test_last_years_content_is_not_this_years(county):
    article = make_article(column(county, "ywdt"), "去年的动态")
    type(article).objects.filter(pk=article.pk).update(
        first_published_at=timezone.make_aware(datetime.datetime(YEAR - 1, 6, 1)))
    assert values(build(YEAR)[0])["信息发布总数（条）"] == 0
    assert values(build(YEAR - 1)[0])["信息发布总数（条）"] == 1


def test_the_report_costs_the_same_queries_for_two_sites_or_six(county, department):
    build(YEAR)  # settings rows are created on first use
    with CaptureQueriesContext(connection) as few:
        build(YEAR)
    for n in range(4):
        make_site("department", name=f"部门{n}", code=f"d{n}", hostname=f"d{n}.localhost")
    with CaptureQueriesContext(connection) as many:
        assert len(build(YEAR)) == 6
    assert len(many) == len(few)


def test_command_writes_the_workbook_and_refuses_bad_input(county, department, tmp_path):
    output = tmp_path / "report.xlsx"
    call_command("annual_report", str(YEAR), "--site", county.code, "--output", str(output))
    sheet = openpyxl.load_workbook(output).active
    assert sheet["A1"].value == f"政府网站工作年度报表（{YEAR}年度）"
    assert [cell.value for cell in sheet[2]] == ["类别", "指标", "修水县"]
    with pytest.raises(CommandError, match="年度格式不正确"):
        call_command("annual_report", "明年")
    with pytest.raises(CommandError, match="只能生成 2000 年至"):
        call_command("annual_report", str(YEAR + 1))
    with pytest.raises(CommandError, match="没有这些站点代码：nosuch"):
        call_command("annual_report", "--site", "nosuch")


def test_admin_download_gives_each_user_their_own_sites(client, county, department):
    url = "/admin/oversight/evaluation/annual/"
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    response = client.get(url, {"year": YEAR})
    assert response["Content-Disposition"] == f'attachment; filename="annual-report-{YEAR}.xlsx"'
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(response.content)).active[2]]
    assert set(header[2:]) == {"修水县", "九江市教育局"}
    client.force_login(make_user("xs_admin", county, SiteRole.ADMIN))
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(client.get(url).content)).active[2]]
    assert header[2:] == ["修水县"]
    bad = client.get(url, {"year": "abc"}, follow=True)
    assert "年度格式不正确" in bad.content.decode()
    client.force_login(make_user("xs_editor", county, SiteRole.EDITOR))
    assert client.get(url).status_code in (302, 403)
