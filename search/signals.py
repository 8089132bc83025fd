"""Keep the index in step with the content through background tasks."""

import logging

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from sitegroup.registry.events import site_updated
from sitegroup.registry.models import SiteProfile

from .models import PendingUpdate

logger = logging.getLogger(__name__)


def enqueue(page_ids, remove=False):
    from .tasks import remove_page_index, update_page_index

    task = remove_page_index if remove else update_page_index
    for page_id in page_ids:
        try:
            task.enqueue(page_id)
        except Exception as exc:  # noqa: BLE001 - a queue outage must not break publishing
            logger.warning("Could not queue index update for %s: %s", page_id, exc)
            PendingUpdate.objects.get_or_create(page_id=page_id)


@receiver(page_published)
def _page_published(sender, instance, **kwargs):
    enqueue([instance.pk])


@receiver(page_unpublished)
def _page_unpublished(sender, instance, **kwargs):
    # Wagtail also sends this from pre_delete without saving, so the database may
    # still say "live": remove outright instead of re-reading the page.
    enqueue([instance.pk], remove=True)


@receiver(post_page_move)
def _page_moved(sender, instance, **kwargs):
    enqueue(Page.objects.filter(path__startswith=instance.path).values_list("pk", flat=True))


# sender=Page: every deleted page has a Page row (its own or its parent link's), so
# each page is removed once, and other models keep Django's single-query bulk delete.
@receiver(pre_delete, sender=Page)
def _page_deleted(sender, instance, **kwargs):
    from .engines import get_engine

    try:
        get_engine().delete([instance.pk])
    except Exception:  # noqa: BLE001
        PendingUpdate.objects.get_or_create(page_id=instance.pk)


@receiver(site_updated, sender=SiteProfile)
def _site_status_changed(sender, profile, changes, **kwargs):
    if "status" not in changes:
        return
    from .indexing import indexable_pages

    # Closing a site takes its pages out of search; reopening puts them back.
    enqueue(indexable_pages(profile).values_list("pk", flat=True))
