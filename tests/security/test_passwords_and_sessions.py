"""Password rules, expiry with forced change, idle timeout, and every other
session of a user ended on password change or deactivation."""

import datetime
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from sitegroup.registry.models import SiteRole
from sitegroup.security.middleware import LAST_SEEN_KEY
from sitegroup.security.models import AuditEvent, AuditKind, PasswordRecord
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password, message", [
    ("Ab1!", "至少"),                     # too short (Django's rule, Chinese catalogue)
    ("abcdefghijk", "至少 3 类"),         # one class
    ("abcdefgh12345", "至少 3 类"),       # two classes
])
def test_weak_passwords_are_refused_in_chinese(password, message):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        validate_password(password)
    assert any(message in text for text in raised.value.messages)


def test_a_strong_password_passes():
    validate_password("Jiujiang-2026-web")


def test_the_last_five_passwords_cannot_be_reused(county):
    user = make_user("ed", county, SiteRole.EDITOR)
    passwords = [f"Passw0rd!{n}x" for n in range(6)]
    for password in passwords:
        validate_password(password, user)
        user.set_password(password)
        user.save()
    assert PasswordRecord.objects.filter(user=user).count() == 5
    for password in passwords[1:]:
        with pytest.raises(ValidationError, match="最近 5 次"):
            validate_password(password, user)
    validate_password(passwords[0], user)  # six changes ago: allowed again


def _account_change(client, old, new):
    return client.post("/admin/account/", {
        "password-old_password": old, "password-new_password1": new, "password-new_password2": new,
        "name_email-first_name": "编辑", "name_email-last_name": "王", "name_email-email": "ed@example.gov.cn",
        "locale-preferred_language": "zh-hans", "locale-current_time_zone": "Asia/Shanghai",
        "theme-theme": "system", "theme-density": "default", "theme-contrast": "system",
        "theme-keyboard_shortcuts": "on",
    })


def test_expired_password_forces_a_change_then_lets_the_user_in(client, county, settings):
    user = make_user("ed", county, SiteRole.EDITOR)
    # An account created before the rule counts from the day it joined.
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=settings.SECURITY_PASSWORD_MAX_AGE_DAYS + 1)
    get_user_model().objects.filter(pk=user.pk).update(date_joined=long_ago)
    client.post("/admin/login/", {"username": "ed", "password": "pw-ed"})
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"] == "/admin/account/"
    page = client.get("/admin/account/")
    assert page.status_code == 200 and "请先修改密码" in page.content.decode()
    response = _account_change(client, "pw-ed", "simple")  # the rules apply on this form too
    assert response.status_code == 200 and client.get("/admin/").status_code == 302
    response = _account_change(client, "pw-ed", "Jiujiang-2026-web")
    assert response.status_code == 302, response.context["panels_by_tab"] if response.context else response
    assert client.get("/admin/").status_code == 200
    assert PasswordRecord.objects.filter(user=user).count() == 1


def test_idle_admin_session_ends(client, county, settings):
    user = make_user("ed", county, SiteRole.EDITOR)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - settings.SECURITY_ADMIN_IDLE_MINUTES * 60 - 5
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.get("/admin/").status_code == 302  # really signed out
    assert AuditEvent.objects.filter(kind=AuditKind.SESSION_EXPIRED, actor_ref=user.pk).exists()


def test_activity_within_the_limit_keeps_the_session(client, county, settings):
    client.force_login(make_user("ed", county, SiteRole.EDITOR))
    client.get("/admin/")
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - settings.SECURITY_ADMIN_IDLE_MINUTES * 60 + 120
    session.save()
    assert client.get("/admin/").status_code == 200


def test_password_change_ends_every_other_session(county):
    make_user("ed", county, SiteRole.EDITOR)
    elsewhere, here = Client(), Client()
    for c in (elsewhere, here):
        assert c.post("/admin/login/", {"username": "ed", "password": "pw-ed"}).status_code == 302
        assert c.get("/admin/").status_code == 200
    assert _account_change(here, "pw-ed", "Jiujiang-2026-web").status_code == 302
    assert here.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/")["Location"].startswith("/admin/login/")


def test_deactivation_ends_every_session(county):
    user = make_user("ed", county, SiteRole.EDITOR)
    c = Client()
    c.post("/admin/login/", {"username": "ed", "password": "pw-ed"})
    assert c.get("/admin/").status_code == 200
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert c.get("/admin/")["Location"].startswith("/admin/login/")
