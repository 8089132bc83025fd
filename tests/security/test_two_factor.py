"""Second factor over HTTP: enrolment forced for the roles that need it, wrong
codes, backup codes, and the office's reset (recorded in the audit trail)."""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sitegroup.registry.models import SiteRole
from sitegroup.registry.roles import ensure_office_group
from sitegroup.security.models import AuditEvent, AuditKind
from sitegroup.security.separation import ensure_security_groups
from tests.factories import make_user
from tests.helpers import refused

from .conftest import sign_in, totp_now

pytestmark = pytest.mark.django_db


def _enrol(client, user):
    response = client.get("/admin/2fa/setup/")
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/admin/2fa/setup/", {"code": totp_now(device), "next": "/admin/"})
    assert response.status_code == 200, response.content[:500]
    return device, response.context["codes"]


@pytest.mark.parametrize("role", [SiteRole.REVIEWER, SiteRole.ADMIN, SiteRole.FINAL_REVIEWER])
def test_roles_that_need_it_are_sent_to_enrol_at_first_sign_in(client, county, enforce_2fa, role):
    user = make_user("r1", county, role)
    response = sign_in(client, user)
    assert response.status_code == 302
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/setup/")
    # Nothing else in the admin opens before enrolment.
    assert client.get(f"/admin/pages/{county.site.root_page_id}/").status_code == 302


def test_office_and_superuser_need_it_too(client, db, enforce_2fa):
    office = make_user("office", groups=[ensure_office_group()])
    root = make_user("root", superuser=True)
    for user in (office, root):
        client.force_login(user)
        assert client.get("/admin/")["Location"].startswith("/admin/2fa/setup/")


def test_editor_is_not_forced_unless_everyone_is(client, county, enforce_2fa):
    editor = make_user("ed", county, SiteRole.EDITOR)
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    enforce_2fa.SECURITY_2FA_FOR_EVERYONE = True
    client.force_login(editor)
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/setup/")


def test_enrolment_then_verification_on_the_next_sign_in(client, county, enforce_2fa):
    user = make_user("rev", county, SiteRole.REVIEWER)
    sign_in(client, user)
    device, codes = _enrol(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200  # verified in this session

    client.post("/admin/logout/")
    sign_in(client, user)
    response = client.get("/admin/pages/")
    assert response["Location"].startswith("/admin/2fa/verify/")
    # Wrong code: a clear error, still locked out of the admin.
    response = client.post("/admin/2fa/verify/", {"code": "000000", "next": "/admin/pages/"})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert client.get("/admin/pages/").status_code == 302
    # django-otp's back-off after a failure (1 s, 2 s, 4 s…), on every device of the user.
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)
    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)
    device.refresh_from_db()
    response = client.post("/admin/2fa/verify/", {"code": totp_now(device, offset=1), "next": "/admin/pages/"})
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    kinds = list(AuditEvent.objects.filter(actor_ref=user.pk).order_by("seq").values_list("kind", flat=True))
    assert kinds[:1] == [AuditKind.LOGIN]
    assert AuditKind.OTP_ENROLLED in kinds and AuditKind.OTP_FAILED in kinds and AuditKind.OTP_VERIFIED in kinds


def test_repeated_wrong_codes_are_throttled(client, county, enforce_2fa):
    user = make_user("rev", county, SiteRole.REVIEWER)
    sign_in(client, user)
    device, _codes = _enrol(client, user)
    client.post("/admin/logout/")
    sign_in(client, user)
    client.post("/admin/2fa/verify/", {"code": "111111"})
    response = client.post("/admin/2fa/verify/", {"code": totp_now(device)})
    assert "错误次数过多" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_backup_code_works_once(client, county, enforce_2fa):
    user = make_user("rev", county, SiteRole.REVIEWER)
    sign_in(client, user)
    _device, codes = _enrol(client, user)
    for attempt in range(2):
        client.post("/admin/logout/")
        sign_in(client, user)
        StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)
        response = client.post("/admin/2fa/verify/", {"code": codes[0].upper(), "next": "/admin/"})
        if attempt == 0:
            assert response.status_code == 302 and response["Location"] == "/admin/"
            assert client.get("/admin/").status_code == 200
        else:
            assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(kind=AuditKind.OTP_BACKUP_USED, actor_ref=user.pk).count() == 1


def test_regenerating_backup_codes_voids_the_old_ones(client, county, enforce_2fa):
    user = make_user("rev", county, SiteRole.REVIEWER)
    sign_in(client, user)
    _device, old = _enrol(client, user)
    response = client.post("/admin/2fa/")
    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    client.post("/admin/logout/")
    sign_in(client, user)
    assert "验证码不正确" in client.post("/admin/2fa/verify/", {"code": old[1]}).content.decode()


def test_office_resets_a_lost_phone_and_the_trail_records_it(client, county, enforce_2fa):
    user = make_user("rev", county, SiteRole.REVIEWER)
    sign_in(client, user)
    _enrol(client, user)
    client.post("/admin/logout/")
    enforce_2fa.SECURITY_2FA_ENFORCED = False  # the office member's own second factor is tested above
    office = make_user("office", groups=[ensure_office_group()])
    client.force_login(office)
    response = client.post(f"/admin/security/accounts/{user.pk}/reset-2fa/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(kind=AuditKind.OTP_RESET)
    assert event.actor_name == "office" and event.target == "rev"
    enforce_2fa.SECURITY_2FA_ENFORCED = True
    client.force_login(user)
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/setup/")


def test_reset_is_refused_to_everyone_else(client, county, enforce_2fa):
    enforce_2fa.SECURITY_2FA_ENFORCED = False
    target = make_user("rev", county, SiteRole.REVIEWER)
    TOTPDevice.objects.create(user=target, name="x", confirmed=True)
    groups = ensure_security_groups()
    for user in (make_user("adm", county, SiteRole.ADMIN), make_user("aud", groups=[groups["安全审计员"]]),
                 make_user("sys", groups=[groups["系统管理员"]])):
        client.force_login(user)
        assert refused(client.post(f"/admin/security/accounts/{target.pk}/reset-2fa/"))
    client.logout()
    assert client.post(f"/admin/security/accounts/{target.pk}/reset-2fa/")["Location"].startswith("/admin/login/")
    assert TOTPDevice.objects.filter(user=target).exists()
    security = make_user("sec", groups=[groups["安全管理员"]])
    client.force_login(security)
    assert client.post(f"/admin/security/accounts/{target.pk}/reset-2fa/").status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()


def test_the_page_asked_for_survives_the_detour_with_its_whole_query(client, county, enforce_2fa):
    user = make_user("rev", county, SiteRole.REVIEWER)
    sign_in(client, user)
    asked = "/admin/pages/search/?q=%E8%B7%AF%E7%81%AF&page=2"  # 路灯, percent-encoded as browsers send it
    response = client.get(asked)
    location = response["Location"]
    assert location.startswith("/admin/2fa/setup/?next=")
    # The inner query is encoded, not cut off at its "&".
    from urllib.parse import parse_qs, urlsplit

    assert parse_qs(urlsplit(location).query)["next"] == [asked]
