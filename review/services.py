"""Review services: screening pages, who may approve, workflows per site, takedown."""

import logging

from django.db import transaction
from django.urls import reverse
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, TaskState, Workflow, WorkflowPage, WorkflowTask

from sitegroup.registry.models import SiteProfile
from sites.extraction import page_text_segments

from . import ledger
from .approvers import Stage, conflicts_of_interest, is_stage_reviewer
from .context import current_request
from .dictionary import dictionary_for
from .models import FindingDecision, ResponsibilityStatement, ReviewPolicy, SecrecyReviewTask, Withdrawal
from .screening import BLOCK, screen_text, unreadable

logger = logging.getLogger(__name__)

STATEMENT = (
    "本人已对拟发布信息进行保密审查，确认不涉及国家秘密、工作秘密、商业秘密和个人隐私，"
    "并对信息的真实性、准确性负责。"
)


def profile_for_page(page) -> SiteProfile | None:
    home_path = page.path[: Page.steplen * 2]
    return SiteProfile.objects.filter(site__root_page__path=home_path).select_related("site").first()


# ------------------------------------------------------------------ screening

def screen_page(page, site_id=None, with_files=True):
    """All findings for a specific page instance (live or from a revision)."""
    if site_id is None:
        profile = profile_for_page(page)
        site_id = profile.pk if profile else None
    dictionary = dictionary_for(site_id)
    findings = []
    for segment in page_text_segments(page, with_files=with_files):
        if segment.kind == "error":
            findings.append(unreadable(segment.location, segment.text))
        else:
            findings += screen_text(segment.text, segment.location, dictionary)
    return findings


def screen_revision(revision):
    return screen_page(revision.as_object())


def decisions_for(revision):
    return {d.finding_key: d for d in FindingDecision.objects.filter(revision=revision)}


def unresolved(findings, decisions):
    """Block findings need an override with a reason, warnings an acknowledgement.
    An unreadable attachment can never be overridden: screening must succeed."""
    open_items = []
    for finding in findings:
        decision = decisions.get(finding.key)
        if finding.kind == "unreadable":
            open_items.append(finding)
        elif finding.level == BLOCK:
            if not (decision and decision.overridden and decision.reason.strip()):
                open_items.append(finding)
        elif decision is None:
            open_items.append(finding)
    return open_items


# ------------------------------------------------------------------ approval

def approval_blockers(task_state, user, final=False) -> list[str]:
    page = task_state.workflow_state.content_object
    revision = task_state.revision or page.get_latest_revision()
    reasons = []
    task = task_state.task.specific
    if not is_stage_reviewer(task.stage, page, user):
        reasons.append(f"您不是本站点的{task.get_stage_display()}人员。")
    if conflicts_of_interest(page, user, task):
        reasons.append("不得审核本人提交或修改的内容，同一人也不得审核同一稿件的两个环节。")
    if not ResponsibilityStatement.objects.filter(page=page, revision=revision).exists():
        reasons.append("提交人未签署保密审查责任声明，请退回后重新提交。")
    if final:
        try:
            findings = screen_revision(revision)
        except Exception:  # noqa: BLE001 - a failed screening must stop approval, not pass it
            logger.exception("Screening failed for revision %s", revision.pk)
            reasons.append("自动审查未能完成，已阻止发布，请稍后重试或联系管理员。")
        else:
            open_items = unresolved(findings, decisions_for(revision))
            if open_items:
                reasons.append(f"自动审查发现 {len(open_items)} 项未处理的问题，请逐项处理后再审核通过。")
    return reasons


def record_blocked_approval(task_state, user, reasons):
    from django.contrib import messages

    page = task_state.workflow_state.content_object
    ledger.append("approve_refused", page, user, task_state.revision, reasons="；".join(reasons))
    request = current_request()
    if request is not None:
        for reason in reasons:
            messages.error(request, f"未能审核通过：{reason}")
    return reverse("review_findings", args=[page.pk])


def decide(revision, finding, user, *, reason="", acknowledge=False):
    if finding.level == BLOCK and not reason.strip():
        raise ValueError("忽略阻断项必须填写理由。")
    decision, _ = FindingDecision.objects.update_or_create(
        revision=revision, finding_key=finding.key,
        defaults={"user": user, "overridden": finding.level == BLOCK, "reason": reason.strip()},
    )
    page = revision.as_object()
    ledger.append(
        "override" if finding.level == BLOCK else "acknowledge", page, user, revision,
        finding=finding.line(), reason=reason.strip(),
    )
    return decision


# ------------------------------------------------------------------ workflows per site

WORKFLOW_NAMES = {2: "上网信息保密审查（两级）", 3: "上网信息保密审查（三级）"}
STAGES_FOR = {2: [Stage.FIRST, Stage.FINAL], 3: [Stage.FIRST, Stage.SECOND, Stage.FINAL]}


def stage_task(stage: str) -> SecrecyReviewTask:
    """The group's one task for a stage; approvers come from each page's site."""
    task = SecrecyReviewTask.objects.filter(stage=stage, name=Stage(stage).label).order_by("pk").first()
    if task is None:
        task = SecrecyReviewTask.objects.create(name=Stage(stage).label, stage=stage)
    elif not task.active:
        task.active = True
        task.save(update_fields=["active"])
    return task


def workflow_for(stages: int) -> Workflow:
    """The group's two-stage or three-stage workflow (shared by every site)."""
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAMES[stages], defaults={"active": True})
    if created:
        for order, stage in enumerate(STAGES_FOR[stages]):
            WorkflowTask.objects.create(workflow=workflow, task=stage_task(stage), sort_order=order)
    return workflow


@transaction.atomic
def apply_policy(profile: SiteProfile):
    """Attach the site's workflow to its root and any column overrides. Idempotent."""
    default = ReviewPolicy.objects.filter(site=profile, column__isnull=True).first()
    home = profile.site.root_page
    WorkflowPage.objects.update_or_create(
        page=home, defaults={"workflow": workflow_for(default.stages if default else 2)}
    )
    overridden = []
    for policy in ReviewPolicy.objects.filter(site=profile, column__isnull=False).select_related("column"):
        WorkflowPage.objects.update_or_create(
            page=policy.column, defaults={"workflow": workflow_for(policy.stages)}
        )
        overridden.append(policy.column_id)
    # A removed column policy falls back to the site's workflow.
    WorkflowPage.objects.filter(page__path__startswith=home.path, page__depth__gt=home.depth).exclude(
        page_id__in=overridden
    ).delete()


# ------------------------------------------------------------------ takedown

@transaction.atomic
def withdraw(page, user, reason: str) -> Withdrawal:
    if not reason or not reason.strip():
        raise ValueError("撤稿必须填写理由。")
    page = page.specific
    if not page.live:
        raise ValueError("该页面未发布，无需撤稿。")
    profile = profile_for_page(page)
    record = Withdrawal.objects.create(
        page=page, title=page.title, url=page.url or "", site=profile, reason=reason.strip(), user=user
    )
    ledger.append("withdraw", page, user, page.live_revision, reason=reason.strip())
    # The group office's authority to take down comes from this service, not
    # from page permissions (it holds none on the sites' trees).
    UnpublishPageAction(page, user=user, log_action=True).execute(skip_permission_checks=True)
    # Anything queued for approval must not publish the withdrawn content again.
    for state in page.workflow_states.filter(status="in_progress"):
        state.cancel(user=user)
    return record


def pending_task_state(page):
    state = page.current_workflow_state
    if state is None:
        return None
    return TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_IN_PROGRESS).first()

