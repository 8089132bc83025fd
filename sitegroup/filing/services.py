"""Filing applications: site administrators apply, the group office decides."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sitegroup.notices.services import notify
from sitegroup.registry.models import SiteProfile, SiteStatus
from sitegroup.registry.roles import office_members
from sitegroup.registry.services import spec_from_profile, update_site, validate_spec

from .models import FILED_FIELDS, FilingApplication, FilingKind, FilingState

STATUS_AFTER = {FilingKind.OPEN: SiteStatus.RUNNING, FilingKind.CLOSE: SiteStatus.CLOSED}


def _spec_with(profile: SiteProfile, data: dict):
    spec = spec_from_profile(profile)
    for field in FILED_FIELDS:
        if data.get(field) is not None:
            setattr(spec, field, data[field])
    if data.get("hostname"):
        spec.hostname = data["hostname"]
    return spec


def submit(profile: SiteProfile, kind: str, data: dict, user) -> FilingApplication:
    if kind not in FilingKind.values:
        raise ValidationError({"kind": "备案类型无效。"})
    if profile.filings.filter(state=FilingState.SUBMITTED).exists():
        raise ValidationError("该网站已有待审核的备案申请，请等待市政府信息办审核后再提交。")
    if kind == FilingKind.OPEN and profile.status != SiteStatus.BUILDING:
        raise ValidationError({"kind": "只有筹建中的网站可以申请新建备案。"})
    if kind == FilingKind.CLOSE and profile.status == SiteStatus.CLOSED:
        raise ValidationError({"kind": "该网站已关停。"})
    clean = {k: str(v).strip() for k, v in data.items() if k in FILED_FIELDS + ["hostname"] and v not in (None, "")}
    validate_spec(_spec_with(profile, clean), instance=profile)  # codes, uniqueness: Chinese errors
    application = FilingApplication.objects.create(profile=profile, kind=kind, data=clean, submitted_by=user)
    notify(office_members(), f"【网站备案】{profile.name}提交了{application.get_kind_display()}申请，待审核",
           f"申请人：{user}", reverse("filing_list"))
    return application


@transaction.atomic
def approve(application: FilingApplication, user) -> SiteProfile:
    if application.state != FilingState.SUBMITTED:
        raise ValidationError("该申请已处理。")
    profile = application.profile
    spec = _spec_with(profile, application.data)
    if application.kind in STATUS_AFTER:
        spec.status = STATUS_AFTER[application.kind]
    # Validates again (codes may have been taken meanwhile); the history row
    # names this application as the cause of the change.
    update_site(profile, spec, user=user, cause=application)
    application.state = FilingState.APPROVED
    application.decided_by, application.decided_at = user, timezone.now()
    application.save()
    notify([application.submitted_by], f"【网站备案】{profile.name}的{application.get_kind_display()}申请已通过",
           "备案信息已按申请更新。", reverse("filing_history", args=[profile.pk]))
    return profile


def return_application(application: FilingApplication, user, reason: str):
    if application.state != FilingState.SUBMITTED:
        raise ValidationError("该申请已处理。")
    if not reason or not reason.strip():
        raise ValidationError({"reason": "退回必须说明理由。"})
    application.state = FilingState.RETURNED
    application.reason = reason.strip()
    application.decided_by, application.decided_at = user, timezone.now()
    application.save()
    notify([application.submitted_by],
           f"【网站备案】{application.profile.name}的{application.get_kind_display()}申请被退回",
           f"退回理由：{application.reason}\n请修改后重新提交。", reverse("filing_list"))
    return application
