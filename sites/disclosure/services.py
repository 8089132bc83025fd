"""Everything that changes an application. Each function takes the acting user.

Only the receiving site's writers (admins, editors, 信息员) handle an
application; the group office reads every site's, with ID numbers masked.
"""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sitegroup.registry.models import SiteProfile, SiteRole, SiteStatus
from sitegroup.registry.roles import is_group_office, profiles_for_user, user_has_site_role
from sites.interaction import throttle
from sites.interaction.throttle import Throttled  # noqa: F401  (raised to the views from here)
from sites.interaction.uploads import check_attachment
from sites.public_forms import CODE_LENGTH, fingerprint, new_code, normalise_code, store_upload

from .clock import correction_deadline, due_date, limits_for, working_days_between
from .events import application_changed
from .kinds import GROUNDS, OPEN, RUNNING, Event, Result, State
from .models import Application, ApplicationFile, DisclosureSettings

HANDLER_ROLES = [SiteRole.ADMIN, SiteRole.EDITOR, SiteRole.OFFICER]
HOURLY_LIMIT, DAILY_LIMIT, ATTEMPT_LIMIT = 3, 10, 30
MAX_FILES, MAX_FILE_MB = 3, 10


# --- who may see and do what ---------------------------------------------------

def readable(user):
    if not user.is_authenticated:
        return Application.objects.none()
    if is_group_office(user):
        return Application.objects.all()
    return Application.objects.filter(site__in=profiles_for_user(user, roles=HANDLER_ROLES))


def handles(user, application) -> bool:
    """Staff of the site handling the case, who alone see the applicant's ID number."""
    return user_has_site_role(user, application.site, HANDLER_ROLES)


def _require(user, application):
    if not handles(user, application):
        raise PermissionDenied


def _record(application, action, user, note, public=True, site=None):
    application.events.create(action=action, actor=user if getattr(user, "pk", None) else None,
                              site=site or application.site, note=note[:500], public=public)
    application_changed.send(Application, application=application, action=action, user=user, note=note)


def _locked(application):
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.is_open:
        raise ValidationError("该申请已答复，不能再操作。")
    return locked


def _save_clock(application, *fields):
    application.due_on = due_date(application)
    application.save(update_fields=[*fields, "due_on"])


# --- the public side -----------------------------------------------------------

def check_rate(address):
    throttle.check_quota("ysq", address, HOURLY_LIMIT, DAILY_LIMIT)


def count_attempt(address):
    throttle.count_attempt("ysq-attempt", address, ATTEMPT_LIMIT)


@transaction.atomic
def apply(profile, data, files, address):
    """Store an application received through the site's public form."""
    check_rate(address)
    if len(files) > MAX_FILES:
        raise ValidationError(f"附件最多 {MAX_FILES} 个。")
    checked = [(upload, *check_attachment(upload, MAX_FILE_MB * 1024 * 1024)) for upload in files]
    print_ = fingerprint(data["id_number"], data["description"])
    if Application.objects.filter(fingerprint=print_, site=profile, status__in=OPEN).exists():
        raise ValidationError("您已提交过相同内容的申请，正在办理中，请勿重复提交。请使用当时获得的查询码查询进度。")
    today = timezone.localdate()
    limit, _extension, _publish = limits_for(profile)
    application = Application(
        code=new_code(Application), site=profile, received_site=profile, fingerprint=print_,
        address=address if address != "unknown" else None, received_on=today, clock_start=today,
        limit_days=limit, **{key: data.get(key, "") for key in (
            "applicant_kind", "name", "id_type", "id_number", "contact", "phone", "email", "postal_address",
            "description", "document_hint", "purpose", "delivery")},
    )
    application.due_on = due_date(application)
    application.save()
    for upload, extension, content_type in checked:
        store_upload(ApplicationFile(application=application), upload, extension, content_type)
    _record(application, Event.RECEIVED, None, f"答复期限 {application.due_on:%Y-%m-%d}（{limit} 个工作日，收到当天不计）")
    throttle.spend_quota("ysq", address)
    return application


def find(code, phone):
    code = normalise_code(code)
    phone = re.sub(r"\s", "", phone or "")
    if len(code) != CODE_LENGTH or not phone:
        return None
    return Application.objects.select_related("site__site").filter(code=code, phone=phone).first()


# --- the staff side ------------------------------------------------------------

@transaction.atomic
def register(application, user):
    _require(user, application)
    application = _locked(application)
    if application.status != State.RECEIVED:
        return application
    application.status, application.registered_at = State.REGISTERED, timezone.now()
    application.save(update_fields=["status", "registered_at"])
    _record(application, Event.REGISTERED, user, "已登记，正在办理")
    return application


@transaction.atomic
def request_correction(application, user, what: str, today=None):
    """补正: once, within the limit; the clock stops until the completed application arrives."""
    _require(user, application)
    what = (what or "").strip()
    if not what:
        raise ValidationError("请写明需要补正的事项，申请人将看到这些内容。")
    application = _locked(application)
    today = today or timezone.localdate()
    if application.status not in RUNNING:
        raise ValidationError("只有计时中的申请可以告知补正。")
    if application.events.filter(action=Event.CORRECTION).exists():
        raise ValidationError("补正应一次性告知，本申请已告知过补正。")
    deadline = correction_deadline(application)
    if today > deadline:
        raise ValidationError(f"补正告知应在 {deadline:%Y-%m-%d} 前（收到申请之日起 "
                              f"{DisclosureSettings.load().correction_limit} 个工作日内）发出，已超过期限。")
    application.status, application.paused_since, application.correction_request = State.CORRECTION, today, what
    _save_clock(application, "status", "paused_since", "correction_request")
    _record(application, Event.CORRECTION, user, f"请补正：{what}（补正期间暂停计时，收到补正材料之日起重新计算）")
    return application


@transaction.atomic
def correction_received(application, user, day: datetime.date):
    """The completed application arrived on ``day``: the clock starts again from zero."""
    _require(user, application)
    application = _locked(application)
    if application.status != State.CORRECTION:
        raise ValidationError("该申请不在补正中。")
    if day < application.paused_since or day > timezone.localdate():
        raise ValidationError("补正材料收到日期应在告知补正之后、且不晚于今天。")
    application.status, application.paused_since, application.clock_start = State.REGISTERED, None, day
    application.extension_days, application.consultation_days = 0, 0
    _save_clock(application, "status", "paused_since", "clock_start", "extension_days", "consultation_days")
    _record(application, Event.CORRECTED, user, f"{day:%Y-%m-%d} 收到补正材料，重新计算期限，"
                                                f"答复期限 {application.due_on:%Y-%m-%d}")
    return application


@transaction.atomic
def start_consultation(application, user, third_party: str, today=None):
    _require(user, application)
    application = _locked(application)
    if application.status not in RUNNING:
        raise ValidationError("只有计时中的申请可以征求第三方意见。")
    if application.consultation_days >= DisclosureSettings.load().consultation_limit:
        raise ValidationError("征求第三方意见的时间已用满，不能再暂停计时。")
    application.status, application.paused_since = State.CONSULTATION, today or timezone.localdate()
    _save_clock(application, "status", "paused_since")
    _record(application, Event.CONSULTATION, user, "征求第三方意见，所需时间不计算在答复期限内", public=True)
    _record(application, Event.CONSULTATION, user, f"征求意见对象：{(third_party or '').strip()[:200]}",
            public=False)
    return application


@transaction.atomic
def end_consultation(application, user, day: datetime.date):
    _require(user, application)
    application = _locked(application)
    if application.status != State.CONSULTATION:
        raise ValidationError("该申请不在征求第三方意见中。")
    if day < application.paused_since or day > timezone.localdate():
        raise ValidationError("意见征询结束日期应在开始之后、且不晚于今天。")
    cap = DisclosureSettings.load().consultation_limit
    used = working_days_between(application.paused_since, day)
    application.consultation_days = min(cap, application.consultation_days + used)
    application.status, application.paused_since = State.REGISTERED, None
    _save_clock(application, "status", "paused_since", "consultation_days")
    _record(application, Event.CONSULTED, user, f"征求意见用时 {used} 个工作日（不计入期限），"
                                                f"答复期限 {application.due_on:%Y-%m-%d}")
    return application


@transaction.atomic
def extend(application, user, days: int, reason: str, today=None):
    """Once, at most the extension limit, before the deadline, with a reason the applicant sees."""
    _require(user, application)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("延期答复须说明理由，并告知申请人。")
    application = _locked(application)
    today = today or timezone.localdate()
    _limit, extension_limit, _publish = limits_for(application.site)
    if application.status not in RUNNING:
        raise ValidationError("只有计时中的申请可以延期。")
    if application.extension_days:
        raise ValidationError("延期答复只能一次。")
    if not 1 <= days <= extension_limit:
        raise ValidationError(f"延长的期限应为 1 至 {extension_limit} 个工作日。")
    if application.due_on and today > application.due_on:
        raise ValidationError("已超过答复期限，不能再延期。")
    application.extension_days, application.extension_reason = days, reason[:300]
    _save_clock(application, "extension_days", "extension_reason")
    _record(application, Event.EXTENDED, user, f"延长 {days} 个工作日，答复期限延至 {application.due_on:%Y-%m-%d}。理由：{reason}")
    return application


@transaction.atomic
def transfer(application, user, target: SiteProfile, note: str):
    """转办 to the competent site: its limit applies, counted again from today."""
    _require(user, application)
    application = _locked(application)
    if target is None or target.status != SiteStatus.RUNNING:
        raise ValidationError("请选择运行中的办理网站。")
    if target.pk == application.site_id:
        raise ValidationError("不能转办给本网站。")
    today = timezone.localdate()
    limit, _extension, _publish = limits_for(target)
    application.site, application.clock_start, application.limit_days = target, today, limit
    application.extension_days, application.consultation_days = 0, 0
    application.status, application.paused_since, application.registered_at = State.RECEIVED, None, None
    application.transfer_count += 1
    _save_clock(application, "site", "clock_start", "limit_days", "extension_days", "consultation_days", "status",
                "paused_since", "registered_at", "transfer_count")
    text = f"转交{target.name}办理，答复期限 {application.due_on:%Y-%m-%d}"
    if (note or "").strip():
        text += f"（{note.strip()[:200]}）"
    _record(application, Event.TRANSFERRED, user, text, site=target)
    return application


@transaction.atomic
def answer(application, user, result: str, ground: str, text: str, files=()):
    """Reply with a national result type (and its ground); the reply letter is generated."""
    from .letters import reply_letter

    _require(user, application)
    if result not in Result.values:
        raise ValidationError("请选择办理结果。")
    grounds = dict(GROUNDS.get(result, []))
    if grounds and ground not in grounds:
        raise ValidationError("请选择具体情形（不予公开的理由、无法提供或不予处理的情形）。")
    if not grounds:
        ground = ""
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写答复内容。")
    application = _locked(application)
    checked = [(upload, *check_attachment(upload, 50 * 1024 * 1024)) for upload in files]
    application.status, application.result, application.ground = State.ANSWERED, result, ground
    application.reply_text, application.answered_on = text, timezone.localdate()
    application.paused_since = None
    application.reply_letter.save(f"{application.code}.docx", reply_letter(application), save=False)
    _save_clock(application, "status", "result", "ground", "reply_text", "answered_on", "paused_since", "reply_letter")
    for upload, extension, content_type in checked:
        store_upload(ApplicationFile(application=application, from_applicant=False), upload, extension,
                     content_type, name="reply")
    label = Result(result).label.split("（")[0]
    _record(application, Event.ANSWERED, user, f"{label}{'：' + grounds[ground] if ground else ''}")
    return application
