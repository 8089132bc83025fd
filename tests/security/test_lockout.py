"""Sign-in lockout over HTTP (django-axes): per account, per address, cool-off,
unlock by the office, Chinese messages; every step in the audit trail."""

import datetime

import pytest
from axes.models import AccessAttempt

from sitegroup.registry.models import SiteRole
from sitegroup.registry.roles import ensure_office_group
from sitegroup.security.models import AuditEvent, AuditKind
from tests.factories import make_user
from tests.helpers import refused

pytestmark = pytest.mark.django_db


def _fail(client, username, times, address="10.0.0.1"):
    responses = []
    for _ in range(times):
        responses.append(client.post("/admin/login/", {"username": username, "password": "wrong-password"},
                                     REMOTE_ADDR=address))
    return responses


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, county):
    user = make_user("ed", county, SiteRole.EDITOR)
    responses = _fail(client, "ed", 5)
    assert all(r.status_code == 200 for r in responses[:4])  # the form again, with its error
    response = client.post("/admin/login/", {"username": "ed", "password": "pw-ed"}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    body = response.content.decode()
    assert "登录失败次数过多" in body and "解除锁定" in body
    assert "_auth_user_id" not in client.session
    # Five wrong passwords and the refused sixth attempt.
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN_FAILED, target="ed").count() == 6
    assert AuditEvent.objects.filter(kind=AuditKind.LOCKOUT, target="ed").exists()
    assert not AuditEvent.objects.filter(kind=AuditKind.LOGIN, actor_ref=user.pk).exists()


def test_one_address_guessing_many_accounts_is_locked(client, county):
    for name in ("a1", "a2", "a3", "a4", "a5"):
        make_user(name, county, SiteRole.EDITOR)
        _fail(client, name, 1, address="10.9.9.9")
    response = client.post("/admin/login/", {"username": "a1", "password": "pw-a1"}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    # The same account from another address is not locked by that address.
    response = client.post("/admin/login/", {"username": "a1", "password": "pw-a1"}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302


def test_cool_off_ends_the_lock(client, county, settings):
    make_user("ed", county, SiteRole.EDITOR)
    _fail(client, "ed", 5)
    assert client.post("/admin/login/", {"username": "ed", "password": "pw-ed"}).status_code == 429
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1))
    response = client.post("/admin/login/", {"username": "ed", "password": "pw-ed"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302


def test_the_office_unlocks_and_the_trail_records_it(client, county):
    make_user("ed", county, SiteRole.EDITOR)
    _fail(client, "ed", 5)
    office = make_user("office", groups=[ensure_office_group()])
    client.force_login(office)
    page = client.get("/admin/security/accounts/")
    assert page.status_code == 200 and "账号 ed" in page.content.decode()
    response = client.post("/admin/security/unlock/", {"username": "ed"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="ed").exists()
    event = AuditEvent.objects.get(kind=AuditKind.UNLOCK)
    assert event.actor_name == "office" and event.target == "ed"
    client.logout()
    assert client.post("/admin/login/", {"username": "ed", "password": "pw-ed"},
                       REMOTE_ADDR="10.0.0.3").status_code == 302


def test_unlock_is_refused_to_site_roles_and_anonymous(client, county):
    make_user("ed", county, SiteRole.EDITOR)
    _fail(client, "ed", 5)
    for role in (SiteRole.ADMIN, SiteRole.REVIEWER, SiteRole.EDITOR):
        client.force_login(make_user(f"u-{role}", county, role))
        assert refused(client.post("/admin/security/unlock/", {"username": "ed"}))
        assert refused(client.get("/admin/security/accounts/"))
    client.logout()
    assert client.post("/admin/security/unlock/", {"username": "ed"})["Location"].startswith("/admin/login/")
    assert AccessAttempt.objects.filter(username="ed").exists()


def test_behind_a_proxy_the_visitor_address_counts_not_the_proxy(client, county, settings):
    settings.SECURITY_TRUSTED_PROXY_COUNT = 1
    make_user("ed", county, SiteRole.EDITOR)
    for n in range(5):  # five visitors, one wrong password each, all through the same nginx
        client.post("/admin/login/", {"username": f"nobody{n}", "password": "x"}, REMOTE_ADDR="127.0.0.1",
                    HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = client.post("/admin/login/", {"username": "ed", "password": "pw-ed"}, REMOTE_ADDR="127.0.0.1",
                           HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302  # the proxy's address is not locked
    # A forged extra entry in front does not let one visitor escape their own address.
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN_FAILED, address="203.0.113.4").exists()
