"""Record every review and publication event in the ledger; attach workflows to new sites."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page, PageLogEntry
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

from sitegroup.registry.events import site_provisioned
from sitegroup.registry.models import SiteProfile
from sites.disclosure.events import application_changed
from sites.disclosure.models import Application

from . import ledger
from .release import release_page_media, withdraw_page_media
from .services import apply_policy


@receiver(site_provisioned, sender=SiteProfile)
def _attach_workflow(sender, profile, **kwargs):
    apply_policy(profile)


@receiver(post_save, sender=PageLogEntry)
def _record_publication(sender, instance, created=False, raw=False, **kwargs):
    """Wagtail's audit log says who published or unpublished (its publish signals
    do not), so the ledger records the fact from there."""
    if raw or not created or instance.action not in ("wagtail.publish", "wagtail.unpublish"):
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    if instance.action == "wagtail.publish":
        revision = instance.revision
        author = getattr(getattr(revision, "user", None), "username", "")
        ledger.append("publish", page, instance.user, revision, author=author)
    else:
        ledger.append("unpublish", page, instance.user, page.live_revision)


@receiver(page_published)
def _release_media(sender, instance, revision=None, **kwargs):
    release_page_media(instance)


@receiver(page_unpublished)
def _withdraw_media(sender, instance, **kwargs):
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


@receiver(application_changed, sender=Application)
def _record_disclosure_action(sender, application, action, user, note, **kwargs):
    """依申请公开: every action on an application goes into the same hash-chained ledger,
    filed under the home page of the site handling it."""
    ledger.append(f"ysqgk_{action}", application.site.site.root_page, user=user, code=application.code,
                  note=note[:300])
