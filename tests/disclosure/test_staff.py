import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sitegroup.notices.models import Notification
from sitegroup.notices.services import send_reminders
from sitegroup.registry.roles import ensure_office_group
from sitegroup.workdays.calendar import add_working_days
from sites.disclosure import services
from sites.disclosure.kinds import GROUNDS, ApplicantKind, Result
from sites.disclosure.models import Application
from tests.factories import make_user
from tests.helpers import refused

from .conftest import VALID_ID
from .test_clock import DATA

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(county):
    return services.apply(county, DATA, [], "10.9.0.1")


def test_handlers_see_the_id_the_office_sees_it_masked(client, application, handler, department):
    client.force_login(handler)
    html = client.get(reverse("ysqgk_detail", args=[application.pk])).content.decode()
    assert VALID_ID in html and "答复并生成答复书" in html
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    html = client.get(reverse("ysqgk_detail", args=[application.pk])).content.decode()
    assert VALID_ID not in html and "360" + "*" * 11 + "1235" in html and "答复并生成答复书" not in html
    assert refused(client.post(reverse("ysqgk_act", args=[application.pk]), {"action": "register"}))
    client.force_login(make_user("jyj_editor", department, "editor"))
    assert client.get(reverse("ysqgk_detail", args=[application.pk])).status_code == 404
    assert client.post(reverse("ysqgk_act", args=[application.pk]), {"action": "register"}).status_code == 404


def test_staff_act_over_http(client, application, handler, department):
    client.force_login(handler)
    url = reverse("ysqgk_act", args=[application.pk])
    client.post(url, {"action": "register"})
    response = client.post(url, {"action": "extend", "days": "30", "reason": "复杂"}, follow=True)
    assert "1 至 20" in response.content.decode()
    response = client.post(url, {"action": "corrected", "date": "2026-02-30"}, follow=True)
    assert "不在补正中" in response.content.decode() or "日期格式不正确" in response.content.decode()
    client.post(url, {"action": "correction", "what": "请写明文件名称"})
    response = client.post(url, {"action": "corrected", "date": "2026-13-01"}, follow=True)
    assert "日期格式不正确" in response.content.decode()
    client.post(url, {"action": "corrected", "date": timezone.localdate().isoformat()})
    application.refresh_from_db()
    assert application.status == "registered" and application.clock_start == timezone.localdate()
    response = client.post(url, {"action": "answer", "result": "unable", "ground_unable": "not_held",
                                 "text": "经检索，本机关未制作或获取该信息。"})
    application.refresh_from_db()
    assert application.result == "unable" and application.ground == "not_held"
    letter = client.get(reverse("ysqgk_letter", args=[application.pk]))
    assert letter.status_code == 200 and "attachment" in letter["Content-Disposition"]
    # The applicant follows it by code and phone.
    client.logout()
    html = client.post("/ysqgk/query/", {"code": application.code, "phone": "13907920000"},
                       HTTP_HOST=application.site.site.hostname).content.decode()
    assert "本机关不掌握相关政府信息" in html and "请写明文件名称" in html


def test_transfer_over_http_hands_the_case_over(client, application, handler, department):
    client.force_login(handler)
    client.post(reverse("ysqgk_act", args=[application.pk]), {"action": "transfer", "site": department.pk})
    application.refresh_from_db()
    assert application.site == department
    assert client.get(reverse("ysqgk_detail", args=[application.pk])).status_code == 404


def make(profile, kind, result, ground, received, answered=None, n=0):
    data = {**DATA, "applicant_kind": kind, "description": f"第{n}件申请。"}
    if kind != ApplicantKind.NATURAL:
        data.update(id_type="credit_code", id_number="91360400MA35ABCD12", contact="联系人")
    application = services.apply(profile, data, [], f"10.{n // 250}.{n % 250}.9")
    Application.objects.filter(pk=application.pk).update(
        received_on=received, clock_start=received, status="answered" if answered else "registered",
        result=result or "", ground=ground or "", answered_on=answered,
    )
    return application


def test_annual_report_counts_every_result_and_balances(client, county, handler):
    year = 2025
    n = 0
    expected_total = 0
    for result in Result:
        grounds = [g for g, _label in GROUNDS.get(result, [])] or [""]
        for ground in grounds:
            for kind in (ApplicantKind.NATURAL, ApplicantKind.COMMERCIAL):
                make(county, kind, result, ground, datetime.date(year, 3, 1), datetime.date(year, 4, 1), n=n)
                n += 1
                expected_total += 1
    make(county, ApplicantKind.RESEARCH, "disclose", "", datetime.date(year - 1, 12, 20),
         datetime.date(year, 1, 10), n=n + 1)  # carried over from the year before
    make(county, ApplicantKind.NATURAL, None, None, datetime.date(year, 12, 28), None, n=n + 2)  # carried to next
    make(county, ApplicantKind.WELFARE, "disclose", "", datetime.date(year, 12, 29),
         datetime.date(year + 1, 1, 5), n=n + 3)  # answered next year: also carried forward
    out = io.StringIO()
    call_command("disclosure_report", county.code, str(year), "--format", "csv", stdout=out)
    assert "属于国家秘密,1,1,0,0,0,0,2" in out.getvalue().replace("\r", "")
    from sites.disclosure.report import build

    report = build(county, year)
    assert report.balanced, report.problems
    rows = {row.label: row.counts for row in report.rows}
    assert rows["一、本年新收政府信息公开申请数量"]["total"] == expected_total + 2
    assert rows["二、上年结转政府信息公开申请数量"] == {"research": 1, "total": 1}
    assert rows["（七）总计"]["total"] == expected_total + 1
    assert rows["四、结转下年度继续办理"]["total"] == 2
    assert rows["1．属于国家秘密"] == {"natural": 1, "commercial": 1, "total": 2}
    assert rows["5．要求行政机关确认或重新出具已获取信息"]["total"] == 2
    # Excel from the admin, as the site's staff.
    client.force_login(handler)
    response = client.get(reverse("ysqgk_report") + f"?site={county.pk}&year={year}&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    labels = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in labels
    html = client.get(reverse("ysqgk_report") + f"?site={county.pk}&year={year}").content.decode()
    assert "平衡校验" in html and "通过" in html


def test_report_shows_imbalance_and_refuses_to_publish(client, county, handler):
    # Answered in 2025 but recorded as received in 2026: the table cannot balance.
    broken = make(county, ApplicantKind.NATURAL, "disclose", "", datetime.date(2026, 1, 5), datetime.date(2025, 12, 20))
    assert broken.pk
    from sites.disclosure.report import build

    report = build(county, 2025)
    assert not report.balanced
    assert any("答复日期早于收到日期" in p for p in report.problems)
    with pytest.raises(SystemExit) as exited:
        call_command("disclosure_report", county.code, "2025", stdout=io.StringIO(), stderr=io.StringIO())
    assert exited.value.code == 1
    client.force_login(handler)
    response = client.post(reverse("ysqgk_report"), {"site": county.pk, "year": 2025, "action": "publish"},
                           follow=True)
    assert "不平衡，不能发布" in response.content.decode()


def test_report_extras_and_publishing_as_a_disclosure_entry(client, county, handler):
    from sites.models import DisclosureEntryPage

    client.force_login(handler)
    url = reverse("ysqgk_report")
    response = client.post(url, {"site": county.pk, "year": 2025, "review_upheld": "x"}, follow=True)
    assert "整数" in response.content.decode()
    client.post(url, {"site": county.pk, "year": 2025, "review_upheld": "2", "direct_pending": "1"})
    response = client.post(url, {"site": county.pk, "year": 2025, "action": "publish"})
    page = DisclosureEntryPage.objects.get(slug="annual-report-2025")
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.genre == "report"
    assert "结果维持：2" in str(page.get_latest_revision_as_object().body)


def test_report_command_rejects_unknown_site(county):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="未知的网站代码"):
        call_command("disclosure_report", "nosuch", "2025")


def test_check_disclosure_and_reminders(county, handler, mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    late = services.apply(county, {**DATA, "description": "超期的申请。"}, [], "10.9.1.1")
    soon = services.apply(county, {**DATA, "description": "五天后到期的申请。"}, [], "10.9.1.2")
    Application.objects.filter(pk=late.pk).update(due_on=today - datetime.timedelta(days=1))
    Application.objects.filter(pk=soon.pk).update(due_on=add_working_days(today, 5))
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("check_disclosure", stdout=out)
    assert exited.value.code == 1 and late.code in out.getvalue() and "还剩 5 个工作日" in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()
    note = Notification.objects.get(user=handler, title__startswith="【依申请公开】")
    assert late.code in note.body and soon.code in note.body
    assert any(handler.email in m.to for m in mailoutbox)
    Application.objects.filter(pk=late.pk).update(status="answered")
    Application.objects.filter(pk=soon.pk).update(due_on=add_working_days(today, 3))
    out = io.StringIO()
    call_command("check_disclosure", stdout=out)
    assert "没有超期或临近期限的申请" in out.getvalue()


def test_office_dashboards_cost_the_same_at_any_size(client, county):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_site

    client.force_login(make_user("office", groups=[ensure_office_group()]))
    services.apply(county, DATA, [], "10.9.3.1")
    urls = [reverse("ysqgk_inbox") + "?status=overdue", reverse("ysqgk_inbox"), reverse("ysqgk_timeliness")]
    for url in urls:
        client.get(url)  # warm the per-process caches and the calendar

    def cost():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    few = cost()
    for n in range(3):
        site = make_site("department", name=f"部门{n}", code=f"bm{n}", hostname=f"bm{n}.localhost")
        for m in range(3):
            services.apply(site, {**DATA, "description": f"部门{n}第{m}件申请。"}, [], f"10.9.{n + 4}.{m}")
    many = cost()
    assert few == many, (few, many)
    assert max(many) <= 25
