"""Second factor on django-otp: TOTP (an authenticator app) plus single-use
backup codes. Who must use it is decided here, from the user's roles."""

import io
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sitegroup.registry.models import SiteGroup, SiteRole
from sitegroup.registry.roles import is_group_office

from . import audit
from .models import AuditKind
from .separation import holds_separated_role

# 审核员 (all three stages) and 站点管理员; editors and 信息员 only when the office
# widens the rule to everyone.
ROLES_REQUIRING = [SiteRole.ADMIN, SiteRole.REVIEWER, SiteRole.SECOND_REVIEWER, SiteRole.FINAL_REVIEWER]
TOTP_NAME, BACKUP_NAME = "身份验证器", "备用验证码"


def required_for(user) -> bool:
    if not settings.SECURITY_2FA_ENFORCED or not user.is_authenticated:
        return False
    cached = getattr(user, "_sitegroup_2fa_required", None)
    if cached is None:
        cached = (
            user.is_superuser
            or settings.SECURITY_2FA_FOR_EVERYONE
            or is_group_office(user)
            or holds_separated_role(user)
            or SiteGroup.objects.filter(group__user=user, role__in=ROLES_REQUIRING).exists()
        )
        user._sitegroup_2fa_required = cached
    return cached


def enrolled(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def qr_svg(device) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def secret_text(device) -> str:
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def new_backup_codes(user) -> list[str]:
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME, defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(settings.SECURITY_BACKUP_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _clean(token: str) -> str:
    return "".join(str(token or "").split()).lower()


def confirm(request, device, token) -> list[str] | None:
    """Finish enrolment: the first correct code confirms the authenticator.
    Returns the new backup codes, or None when the code was wrong."""
    if not device.verify_token(_clean(token)):
        audit.record(AuditKind.OTP_FAILED, request.user, request=request, stage="enrolment")
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_backup_codes(request.user)
    otp_login(request, device)
    audit.record(AuditKind.OTP_ENROLLED, request.user, request=request, device=device.name)
    return codes


class Throttled(Exception):
    def __init__(self, seconds):
        self.seconds = seconds


def verify(request, token):
    """Check a code: six digits go to the authenticator, anything else to the
    backup codes, so using a backup code never counts as a wrong TOTP code."""
    user, token = request.user, _clean(token)
    kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    devices = [device for device in devices_for_user(user, confirmed=True) if isinstance(device, kind)]
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if not allowed and info and info.get("locked_until"):
            raise Throttled(max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1))
    for device in devices:
        if device.verify_token(token):
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                audit.record(AuditKind.OTP_BACKUP_USED, user, request=request, remaining=device.token_set.count())
            else:
                audit.record(AuditKind.OTP_VERIFIED, user, request=request)
            return device
    audit.record(AuditKind.OTP_FAILED, user, request=request)
    return None


def reset(user, actor, *, request=None):
    """The office removes a user's devices; they enrol again at next sign-in."""
    with transaction.atomic():
        removed = [device.name for device in devices_for_user(user, confirmed=None)]
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit.record(AuditKind.OTP_RESET, actor, request=request, target=user.username, devices=removed)
    return removed
