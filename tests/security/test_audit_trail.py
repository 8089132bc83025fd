"""The security audit trail: every event kind is recorded, the chain detects
tampering, nobody can change or delete a row, and only 安全审计员 reads it."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sitegroup.evaluation.models import EvaluationWeights
from sitegroup.registry.models import SiteRole
from sitegroup.registry.roles import ensure_office_group
from sitegroup.security import audit
from sitegroup.security.models import AuditEvent, AuditKind
from sitegroup.security.separation import ensure_security_groups
from tests.factories import make_article, make_user
from tests.helpers import refused

pytestmark = pytest.mark.django_db


def kinds():
    return list(AuditEvent.objects.order_by("seq").values_list("kind", flat=True))


def test_sign_in_out_and_failures(client, county):
    user = make_user("ed", county, SiteRole.EDITOR)
    client.post("/admin/login/", {"username": "ed", "password": "nope"}, REMOTE_ADDR="10.2.3.4")
    client.post("/admin/login/", {"username": "ed", "password": "pw-ed"}, REMOTE_ADDR="10.2.3.4")
    client.post("/admin/logout/", REMOTE_ADDR="10.2.3.4")
    failed, login, logout = AuditEvent.objects.filter(
        kind__in=[AuditKind.LOGIN_FAILED, AuditKind.LOGIN, AuditKind.LOGOUT]).order_by("seq")
    assert (failed.kind, failed.target, failed.address) == (AuditKind.LOGIN_FAILED, "ed", "10.2.3.4")
    assert (login.kind, login.actor_ref, login.actor_name) == (AuditKind.LOGIN, user.pk, "ed")
    assert (logout.kind, logout.actor_ref) == (AuditKind.LOGOUT, user.pk)


# Changes announced by model signals are written when the transaction commits; the
# test transaction never does, so each test runs its whole body inside a capture.
def test_user_group_and_permission_changes_name_who_did_them(client, county, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        groups = ensure_security_groups()
        sysadmin = make_user("sys", groups=[groups["系统管理员"]])
        client.force_login(sysadmin)
        editors = Group.objects.get(name__endswith="编辑")
        response = client.post("/admin/users/new/", {
            "username": "newbie", "email": "n@example.gov.cn", "first_name": "新", "last_name": "人",
            "password1": "Jiujiang-2026-web", "password2": "Jiujiang-2026-web", "groups": [editors.pk],
        })
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    created = AuditEvent.objects.filter(kind=AuditKind.USER_CHANGED, target="newbie")
    assert created.exists() and {event.actor_name for event in created} == {"sys"}
    changes = [change for event in created for change in event.detail["changes"]]
    assert "创建账号" in changes and f"+用户组 {editors.name}" in changes
    newbie = get_user_model().objects.get(username="newbie")
    with django_capture_on_commit_callbacks(execute=True):
        newbie.is_active = False
        newbie.save()
    assert any("is_active: True → False" in event.detail["changes"]
               for event in AuditEvent.objects.filter(kind=AuditKind.USER_CHANGED, target="newbie"))
    with django_capture_on_commit_callbacks(execute=True):
        group = Group.objects.create(name="临时组")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
    assert AuditEvent.objects.filter(kind=AuditKind.GROUP_CHANGED, target="用户组 临时组").exists()
    event = AuditEvent.objects.get(kind=AuditKind.PERMISSION_CHANGED, target="用户组 临时组")
    assert event.detail["changes"] == ["+wagtailadmin.access_admin"]


def test_password_change_settings_takedown_and_export(client, county, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = make_user("ed", county, SiteRole.EDITOR)
        user.set_password("Jiujiang-2026-web")
        user.save()
    assert AuditEvent.objects.filter(kind=AuditKind.PASSWORD_CHANGED, target="ed").exists()

    with django_capture_on_commit_callbacks(execute=True):
        weights = EvaluationWeights.load()
        weights.save()
    assert AuditEvent.objects.filter(kind=AuditKind.SETTINGS_CHANGED).exists()

    from review.services import withdraw

    office = make_user("office", groups=[ensure_office_group()])
    article = make_article(county.site.root_page, "要撤下的文章")
    withdraw(article, office, "内容有误")
    event = AuditEvent.objects.get(kind=AuditKind.TAKEDOWN)
    assert event.actor_name == "office" and event.detail["reason"] == "内容有误"

    client.force_login(office)
    response = client.get(f"/admin/ysqgk/report/?site={county.pk}&year=2025&format=csv")
    assert response.status_code == 200
    event = AuditEvent.objects.get(kind=AuditKind.EXPORT)
    assert event.actor_name == "office" and event.detail["view"] == "ysqgk_report"
    assert "format=csv" in event.detail["query"]


def test_rows_cannot_be_changed_or_deleted_through_the_orm():
    event = audit.record(AuditKind.BACKUP, None, target="/srv/backup")
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.update(target="x")
    event.target = "x"
    with pytest.raises(PermissionDenied):
        event.save()


@pytest.mark.parametrize("tamper", ["edit", "delete", "insert"])
def test_verify_ledger_finds_tampering_done_behind_the_orm(tamper):
    for n in range(3):
        audit.record(AuditKind.BACKUP, None, target=f"/srv/backup/{n}")
    call_command("verify_ledger", stdout=io.StringIO())
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if tamper == "edit":
            cursor.execute(f"UPDATE {table} SET target = 'elsewhere' WHERE seq = 2")
        elif tamper == "delete":
            cursor.execute(f"DELETE FROM {table} WHERE seq = 2")
        else:  # a forged row appended with a made-up hash
            last = AuditEvent.objects.order_by("-seq").first()
            cursor.execute(
                f"INSERT INTO {table} (seq, kind, actor_ref, actor_name, address, target, detail, created_at,"
                " prev_hash, entry_hash) VALUES (%s, 'login', NULL, 'ghost', '', '', '{}', %s, %s, %s)",
                [last.seq + 1, last.created_at, last.entry_hash, "f" * 64],
            )
    with pytest.raises(CommandError, match="安全审计记录校验失败"):
        call_command("verify_ledger", stdout=io.StringIO(), stderr=io.StringIO())


def test_only_the_auditor_reads_and_exports_the_trail(client, county):
    groups = ensure_security_groups()
    audit.record(AuditKind.BACKUP, None, target="/srv/backup/x")
    auditor = make_user("aud", groups=[groups["安全审计员"]])
    client.force_login(auditor)
    page = client.get("/admin/security/audit/?verify=1")
    assert page.status_code == 200 and "校验通过" in page.content.decode()
    response = client.get("/admin/security/audit/?format=csv&kind=backup")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "序号" and rows[1][4:6] == ["", "/srv/backup/x"]
    assert AuditEvent.objects.filter(kind=AuditKind.AUDIT_EXPORTED, actor_name="aud").exists()
    assert not AuditEvent.objects.filter(kind=AuditKind.EXPORT).exists()  # recorded once, with its query
    assert "格式不正确" in client.get("/admin/security/audit/?from=2026-02-30").content.decode()

    others = [make_user("office", groups=[ensure_office_group()]), make_user("root", superuser=True),
              make_user("sys", groups=[groups["系统管理员"]]), make_user("sec", groups=[groups["安全管理员"]]),
              make_user("adm", county, SiteRole.ADMIN), make_user("ed", county, SiteRole.EDITOR)]
    for user in others:
        client.force_login(user)
        assert refused(client.get("/admin/security/audit/")), user.username
        assert refused(client.get("/admin/security/audit/?format=csv")), user.username
    client.logout()
    assert client.get("/admin/security/audit/")["Location"].startswith("/admin/login/")
