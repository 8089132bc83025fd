import csv
import io

import openpyxl
import pytest
from django.core import mail

from sitegroup.filing.models import FilingApplication, FilingHistory, FilingState
from sitegroup.registry.models import SiteStatus
from sitegroup.registry.roles import ensure_office_group
from tests.factories import change_site, column, make_article, make_site, make_user
from tests.helpers import refused


@pytest.fixture
def office(db):
    return make_user("office", groups=[ensure_office_group()])


@pytest.fixture
def building(portal):
    site = make_site("county", name="湖口县", code="hukou", hostname="hukou.localhost", status=SiteStatus.BUILDING)
    make_article(column(site, "ywdt"), "湖口县测试新闻")
    return site


def test_site_being_built_is_not_public_but_staff_can_look(client, building):
    response = client.get("/", HTTP_HOST="hukou.localhost")
    assert response.status_code == 503 and "网站建设中" in response.content.decode()
    assert response["Retry-After"]
    assert client.get("/ywdt/", HTTP_HOST="hukou.localhost").status_code == 503
    assert client.get("/search/", {"q": "测试"}, HTTP_HOST="hukou.localhost").status_code == 503
    client.force_login(make_user("hk_editor", building, "editor"))
    assert client.get("/", HTTP_HOST="hukou.localhost").status_code == 200


def test_open_filing_approved_by_group_office(client, building, office):
    admin = make_user("hk_admin", building, "admin")
    client.force_login(admin)
    response = client.post(f"/admin/filing/apply/{building.pk}/", {"kind": "open", "phone": "0792-6322000"})
    assert response.status_code == 302
    application = FilingApplication.objects.get()
    client.force_login(office)
    client.post(f"/admin/filing/{application.pk}/decide/", {"decision": "approve"})
    building.refresh_from_db()
    assert building.status == SiteStatus.RUNNING
    client.logout()
    assert client.get("/", HTTP_HOST="hukou.localhost").status_code == 200
    history = FilingHistory.objects.filter(profile=building).first()
    assert history.changes["status"] == ["building", "running"] and history.user == office


def test_returned_filing_notifies_with_reason(client, building, office, django_capture_on_commit_callbacks):
    admin = make_user("hk_admin", building, "admin")
    client.force_login(admin)
    client.post(f"/admin/filing/apply/{building.pk}/", {"kind": "open"})
    application = FilingApplication.objects.get()
    client.force_login(office)
    client.post(f"/admin/filing/{application.pk}/decide/", {"decision": "return", "reason": ""})
    application.refresh_from_db()
    assert application.state == FilingState.SUBMITTED  # a return needs a reason
    with django_capture_on_commit_callbacks(execute=True) as mailed:
        client.post(f"/admin/filing/{application.pk}/decide/", {"decision": "return", "reason": "ICP 备案号与主办单位不符"})
    assert len(mailed) == 1  # the mail waits for the decision to be stored
    application.refresh_from_db()
    assert application.state == FilingState.RETURNED
    returned = [m for m in mail.outbox if "被退回" in m.subject]
    assert returned and "ICP 备案号与主办单位不符" in returned[0].body and returned[0].to == [admin.email]


def test_conflicting_codes_are_refused(client, building, county):
    client.force_login(make_user("hk_admin", building, "admin"))
    response = client.post(
        f"/admin/filing/apply/{building.pk}/", {"kind": "open", "site_id_code": county.site_id_code}
    )
    assert response.status_code == 200 and "网站标识码已被其他站点使用" in response.content.decode()
    response = client.post(f"/admin/filing/apply/{building.pk}/", {"kind": "open", "icp_number": "bogus"})
    assert "ICP 备案号格式不正确" in response.content.decode()
    assert not FilingApplication.objects.exists()


def test_closing_serves_a_notice_and_archives(client, county, office):
    make_article(column(county, "ywdt"), "修水县历史新闻")
    client.force_login(make_user("xs_admin", county, "admin"))
    client.post(f"/admin/filing/apply/{county.pk}/", {"kind": "close"})
    client.force_login(office)
    client.post(f"/admin/filing/{FilingApplication.objects.get().pk}/decide/", {"decision": "approve"})
    client.logout()
    response = client.get("/ywdt/", HTTP_HOST="xiushui.localhost")
    assert response.status_code == 410 and "网站已关停" in response.content.decode()
    from sites.models import ArticlePage

    assert ArticlePage.objects.filter(title="修水县历史新闻").exists()  # archived, not deleted


def test_permissions_from_outside(client, county, building):
    client.force_login(make_user("xs_editor", county, "editor"))
    assert refused(client.post(f"/admin/filing/apply/{county.pk}/", {"kind": "close"}))
    client.force_login(make_user("xs_admin", county, "admin"))
    assert refused(client.post(f"/admin/filing/apply/{building.pk}/", {"kind": "open"}))
    client.post(f"/admin/filing/apply/{county.pk}/", {"kind": "close"})
    application = FilingApplication.objects.get()
    client.post(f"/admin/filing/{application.pk}/decide/", {"decision": "approve"})
    county.refresh_from_db()
    assert county.status == SiteStatus.RUNNING  # a site admin cannot approve their own filing
    assert refused(client.get("/admin/filing/register.csv"))


def test_register_exports(client, county, office):
    client.force_login(office)
    response = client.get("/admin/filing/register.csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["网站名称", "域名", "网站类型"] and any(r[0] == "修水县" for r in rows)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/admin/filing/register.xlsx").content))
    assert workbook.active["G2"].value == county.site_id_code
    assert client.get("/admin/filing/register.pdf").status_code == 404


def test_filing_decisions_reach_the_admin_inbox(client, building, office):
    from sitegroup.notices.models import Notification

    admin = make_user("hk_admin", building, "admin")
    client.force_login(admin)
    client.post(f"/admin/filing/apply/{building.pk}/", {"kind": "open"})
    assert Notification.objects.filter(user=office, title__contains="待审核").exists()
    client.force_login(office)
    client.post(f"/admin/filing/{FilingApplication.objects.get().pk}/decide/",
                {"decision": "return", "reason": "主办单位名称有误"})

    client.force_login(admin)
    import json

    menu = client.get("/admin/").content.decode()
    # The sidebar is rendered from JSON, so its labels are escaped.
    assert json.dumps("我的提醒（1 条未读）")[1:-1] in menu and "申请被退回" in menu
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/admin/notices/")
    for n in range(20):
        Notification.objects.create(user=admin, title=f"提醒{n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/notices/")
    assert len(many) == len(one)  # the inbox does not grow with its messages
    Notification.objects.filter(title__startswith="提醒").delete()
    inbox = client.get("/admin/notices/").content.decode()
    assert "主办单位名称有误" in inbox
    notice = Notification.objects.get(user=admin)
    assert client.get(f"/admin/notices/{notice.pk}/")["Location"] == "/admin/filing/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "未读提醒" not in client.get("/admin/").content.decode()
    # Someone else's message is not readable, and nothing redirects off-site.
    other = Notification.objects.get(user=office)
    assert client.get(f"/admin/notices/{other.pk}/").status_code == 404
    notice.url = "https://evil.example.com/"
    notice.save()
    assert client.get(f"/admin/notices/{notice.pk}/")["Location"] == "/admin/notices/"


def test_filing_history_is_browsable_by_the_right_people(client, county, building, office,
                                                        django_assert_max_num_queries):
    change_site(county, phone="0792-1234567")
    for n in range(5):
        change_site(county, address=f"九江市某路 {n} 号")
    client.force_login(office)
    with django_assert_max_num_queries(25):  # one query for the history, whatever its length
        client.get(f"/admin/filing/history/{county.pk}/")
    page = client.get(f"/admin/filing/history/{county.pk}/").content.decode()
    assert "联系电话" in page and "0792-1234567" in page and "直接修改" in page
    change_site(county, status=SiteStatus.CLOSED)
    page = client.get(f"/admin/filing/history/{county.pk}/").content.decode()
    assert "运行状态：运行 → 关停" in page
    assert f"/admin/filing/history/{county.pk}/" in client.get("/admin/filing/").content.decode()

    client.force_login(make_user("xs_admin", county, "admin"))
    assert "0792-1234567" in client.get(f"/admin/filing/history/{county.pk}/").content.decode()
    other = client.get(f"/admin/filing/history/{building.pk}/")
    assert refused(other) and other.get("Location", "") != f"/admin/filing/history/{building.pk}/"
    client.force_login(make_user("xs_editor", county, "editor"))
    assert refused(client.get(f"/admin/filing/history/{county.pk}/"))
