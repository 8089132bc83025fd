"""Review services: screening pages, who may approve, workflows per site, takedown."""

import hashlib
import logging

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.documents import get_document_model
from wagtail.models import TaskState, Workflow, WorkflowPage, WorkflowTask

from sitegroup.registry.lookup import profile_for_page
from sitegroup.registry.models import SiteProfile
from sitegroup.security import audit
from sitegroup.security.models import AuditKind
from sites.extraction import page_text_segments
from sites.forms import RESPONSIBILITY_STATEMENT
from sites.media_use import media_used_by

from . import ledger
from .approvers import Stage
from .dictionary import dictionary_for, versioned_dictionary
from .models import (
    FindingDecision,
    LedgerEntry,
    ResponsibilityStatement,
    ReviewPolicy,
    SecrecyReviewTask,
    Withdrawal,
)
from .screening import BLOCK, screen_text, unreadable

logger = logging.getLogger(__name__)
SCREENING_CACHE_SECONDS = 24 * 3600

STATEMENT = RESPONSIBILITY_STATEMENT


# ------------------------------------------------------------------ screening

def screen_page(page, site_id=None, with_files=True, dictionary=None):
    """All findings for a specific page instance (live or from a revision)."""
    if dictionary is None:
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


def _files_fingerprint(page) -> str:
    """Changes when a document the revision links to is replaced (same id, new file)."""
    ids = media_used_by(page).document_ids
    if not ids:
        return ""
    rows = get_document_model().objects.filter(pk__in=ids).order_by("pk").values_list(
        "pk", "file", "file_size", "file_hash"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def screen_revision(revision):
    """Findings for one revision, cached per (revision, dictionary version, files):
    submitting, the approve modal, the approval itself and the findings page all
    ask, and parsing attachments is the expensive part."""
    page = revision.as_object()
    profile = profile_for_page(page)
    dictionary, version = versioned_dictionary(profile.pk if profile else None)
    key = "review:screen:" + hashlib.sha256(
        f"{revision.pk}|{version}|{_files_fingerprint(page)}".encode()
    ).hexdigest()
    findings = cache.get(key)
    if findings is None:
        findings = screen_page(page, dictionary=dictionary)
        cache.set(key, findings, SCREENING_CACHE_SECONDS)
    return findings


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
    # Who may act (stage role, separation of duties) was decided by
    # approvers.refusal() in SecrecyReviewTask.on_action before this gate runs.
    reasons = []
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


def refuse_blocked_approval(task_state, user, final=False) -> str | None:
    """The approval gate SecrecyReviewTask calls (wired in ReviewConfig.ready):
    None to let the approval proceed, or the URL to send the reviewer to. A
    refusal is recorded in the ledger, and the findings page shows its reasons."""
    reasons = approval_blockers(task_state, user, final=final)
    if not reasons:
        return None
    page = task_state.workflow_state.content_object
    ledger.append("approve_refused", page, user, task_state.revision, reasons="；".join(reasons))
    return reverse("review_findings", args=[page.pk]) + "?refused=1"


def last_refusal(page, user):
    """The reasons of this user's latest refused approval of ``page``, if any."""
    entry = (
        LedgerEntry.objects.filter(page_id_ref=page.pk, action="approve_refused", user=user)
        .order_by("-seq").only("detail").first()
    )
    return entry.detail.get("reasons", "").split("；") if entry else []


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


@transaction.atomic
def save_policy(policy: ReviewPolicy, user=None) -> ReviewPolicy:
    """Store a site's or column's number of stages and attach the workflow at once."""
    policy.full_clean()
    policy.save()
    apply_policy(policy.site)
    return policy


@transaction.atomic
def delete_policy(policy: ReviewPolicy, user=None) -> None:
    site = policy.site
    policy.delete()
    apply_policy(site)


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
    audit.record(AuditKind.TAKEDOWN, user, target=page.title, page=page.pk, site=profile.code if profile else None,
                 reason=reason.strip())
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



# ------------------------------------------------------------------ whole review in one call

class ReviewBlocked(Exception):
    """The content cannot pass review as it stands (a block finding, a refusal)."""


@transaction.atomic
def publish_through_review(page, editor, reviewers, *, acknowledge_warnings=False):
    """Submit ``page``'s latest revision as ``editor`` (with the signed statement)
    and approve every stage as the matching person in ``reviewers``, exactly as
    the admin does: the same gate, screening and ledger. For loading prepared
    content (the demo, batch imports). Block findings are never overridden here;
    warnings are acknowledged by the final reviewer only when asked to."""
    page = page.specific
    for state in page.workflow_states.filter(status="in_progress"):
        state.cancel(user=editor)  # an interrupted earlier run: start again
    revision = page.get_latest_revision() or page.save_revision(user=editor)
    ResponsibilityStatement.objects.get_or_create(
        page=page, revision=revision, defaults={"user": editor, "text": STATEMENT}
    )
    page.get_workflow().start(page, editor)
    for reviewer in reviewers:
        page = type(page).objects.get(pk=page.pk)
        task_state = pending_task_state(page)
        if task_state is None:
            break
        task = task_state.task.specific
        if task.final_stage and acknowledge_warnings:
            for finding in unresolved(screen_revision(task_state.revision), decisions_for(task_state.revision)):
                if finding.level != BLOCK and finding.kind != "unreadable":
                    decide(task_state.revision, finding, reviewer, acknowledge=True)
        refused_to = task.on_action(task_state, reviewer, "approve", comment="")
        if refused_to:
            raise ReviewBlocked(f"《{page.title}》未能通过{task.name}：{'；'.join(last_refusal(page, reviewer))}")
    page = type(page).objects.get(pk=page.pk)
    if not page.live:
        raise ReviewBlocked(f"《{page.title}》的审核环节多于所给的审核人员。")
    return page
