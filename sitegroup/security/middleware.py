"""Request middleware of the security app.

Only the admin is policed here: public pages are anonymous, and the page cache
answers them before sessions are even read."""

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import HASH_SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from . import audit, passwords, two_factor
from .audit import client_address, current
from .models import AuditKind

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
# Reachable before the second factor (and with an expired password): signing in and
# out, the second-factor pages themselves, and the assets those pages load.
OPEN_URL_NAMES = {
    "wagtailadmin_login", "wagtailadmin_logout", "wagtailadmin_javascript_catalog", "wagtailadmin_sprite",
    "wagtailadmin_password_reset", "wagtailadmin_password_reset_done", "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete", "security_2fa_setup", "security_2fa_verify",
}
PASSWORD_URL_NAMES = OPEN_URL_NAMES | {"wagtailadmin_account"}
LAST_SEEN_KEY, PASSWORD_KEY = "sitegroup_last_seen", "sitegroup_password_expires"


def _admin_request(request) -> bool:
    return request.path_info.startswith(ADMIN_PREFIXES) and request.user.is_authenticated


def _url_name(request):
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class AuditContextMiddleware:
    """Leaves the request's user and address where ``audit.record`` finds them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current.set((getattr(request, "user", None), client_address(request)))
        try:
            return self.get_response(request)
        finally:
            current.reset(token)


class AdminSessionPolicyMiddleware:
    """Idle timeout (登录连接超时自动退出) and password expiry for admin sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _admin_request(request):
            response = self._idle(request) or self._expired_password(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _idle(self, request):
        limit = settings.SECURITY_ADMIN_IDLE_MINUTES * 60
        now, last = time.time(), request.session.get(LAST_SEEN_KEY)
        if limit and last and now - last > limit:
            request.sitegroup_idle_logout = True  # the logout receiver records "会话超时退出"
            logout(request)
            messages.warning(request, f"您已超过 {settings.SECURITY_ADMIN_IDLE_MINUTES} 分钟未操作，已自动退出，请重新登录。")
            return redirect(f"{reverse('wagtailadmin_login')}?next={quote(request.get_full_path())}")
        # Written at most once a minute, so most admin requests do not save the session.
        if last is None or now - last > 60:
            request.session[LAST_SEEN_KEY] = now
        return None

    def _expired_password(self, request):
        expires = password_expiry(request)
        if expires is None or time.time() < expires or _url_name(request) in PASSWORD_URL_NAMES:
            return None
        messages.warning(request, f"您的密码已超过 {settings.SECURITY_PASSWORD_MAX_AGE_DAYS} 天未修改，请先修改密码。")
        return redirect("wagtailadmin_account")


def password_expiry(request, user=None):
    """When the signed-in user's password expires (a timestamp, or None), kept in the
    session per password: the session's auth hash changes with the password."""
    stamp = request.session.get(HASH_SESSION_KEY, "")
    cached = request.session.get(PASSWORD_KEY)
    if not cached or cached[0] != stamp:
        expires = passwords.expires_at(user or request.user)
        cached = [stamp, expires.timestamp() if expires else None]
        request.session[PASSWORD_KEY] = cached
    return cached[1]


def start_admin_session(request, user):
    """At sign-in: the idle clock starts and the password's expiry is looked up
    once, so ordinary admin requests neither query nor write the session for it."""
    request.session[LAST_SEEN_KEY] = time.time()
    password_expiry(request, user)


class SecondFactorMiddleware:
    """Admin users who must (or chose to) use a second factor are sent to enrol
    or to enter a code before anything else in the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _admin_request(request) and settings.SECURITY_2FA_ENFORCED and not request.user.is_verified():
            enrolled = two_factor.enrolled(request.user)
            if (enrolled or two_factor.required_for(request.user)) and _url_name(request) not in OPEN_URL_NAMES:
                target = "security_2fa_verify" if enrolled else "security_2fa_setup"
                return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


class ExportAuditMiddleware:
    """Every file the admin hands out (registers, reports, citizens' attachments)
    is an export or download the audit trail records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        if (disposition.startswith("attachment") and request.path_info.startswith(ADMIN_PREFIXES)
                and response.status_code == 200 and not getattr(request, "sitegroup_audited", False)):
            audit.record(AuditKind.EXPORT, request=request, target=request.path_info[:255],
                         query=request.META.get("QUERY_STRING", "")[:300], file=disposition[:200],
                         view=_url_name(request))
        return response

