"""Record every review and publication event in the ledger; attach workflows to new sites."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import (
    page_published,
    page_unpublished,
    task_approved,
    task_rejected,
    workflow_approved,
    workflow_cancelled,
    workflow_rejected,
    workflow_submitted,
)

from sitegroup.registry.services import site_provisioned

from . import ledger
from .context import current_request
from .models import ReviewPolicy
from .release import release_page_media, withdraw_page_media
from .services import apply_policy


@receiver(site_provisioned)
def _attach_workflow(sender, profile, **kwargs):
    apply_policy(profile)


@receiver(post_save, sender=ReviewPolicy)
@receiver(post_delete, sender=ReviewPolicy)
def _reapply_policy(sender, instance, **kwargs):
    apply_policy(instance.site)


def _acting_user():
    # Wagtail's publish/unpublish signals do not say who acted; the request does.
    request = current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@receiver(page_published)
def _published(sender, instance, revision=None, **kwargs):
    author = getattr(getattr(revision, "user", None), "username", "")
    ledger.append("publish", instance, _acting_user(), revision, author=author)
    release_page_media(instance)


@receiver(page_unpublished)
def _unpublished(sender, instance, **kwargs):
    ledger.append("unpublish", instance, _acting_user(), instance.live_revision)
    withdraw_page_media(instance)


def _workflow_event(action):
    def handler(sender, instance, user=None, **kwargs):
        page = instance.content_object
        if page is None or not hasattr(page, "path"):
            return
        revision = getattr(instance, "current_task_state", None)
        revision = revision.revision if revision else page.get_latest_revision()
        ledger.append(action, page, user, revision, workflow=instance.workflow.name)

    return handler


def _task_event(action):
    def handler(sender, instance, user=None, **kwargs):
        page = instance.workflow_state.content_object
        if page is None or not hasattr(page, "path"):
            return
        ledger.append(
            action, page, user, instance.revision, stage=instance.task.name,
            comment=getattr(instance, "comment", ""),
        )

    return handler


_handlers = {
    "submit": _workflow_event("submit"),
    "workflow_approved": _workflow_event("workflow_approved"),
    "reject": _workflow_event("reject"),
    "cancel": _workflow_event("cancel"),
    "approve": _task_event("approve"),
    "task_reject": _task_event("task_reject"),
}
workflow_submitted.connect(_handlers["submit"], dispatch_uid="review-ledger-submit")
workflow_approved.connect(_handlers["workflow_approved"], dispatch_uid="review-ledger-wf-approved")
workflow_rejected.connect(_handlers["reject"], dispatch_uid="review-ledger-reject")
workflow_cancelled.connect(_handlers["cancel"], dispatch_uid="review-ledger-cancel")
task_approved.connect(_handlers["approve"], dispatch_uid="review-ledger-approve")
task_rejected.connect(_handlers["task_reject"], dispatch_uid="review-ledger-task-reject")
