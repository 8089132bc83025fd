"""A story's copies follow it: Wagtail announces publishing and withdrawal, the
services here bring every copy in line."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from sitegroup.registry.events import site_updated
from sitegroup.registry.models import SiteProfile
from sites.syndicated import copies_under

from . import services


@receiver(page_published)
def _story_published(sender, instance, **kwargs):
    services.story_published(instance)


@receiver(page_unpublished)
def _story_unpublished(sender, instance, **kwargs):
    services.story_withdrawn(instance, kwargs.get("user"))


@receiver(post_page_move)
def _story_moved(sender, instance, **kwargs):
    services.story_moved(instance)


# sender=Page: see sitegroup.publishing.signals (other models keep their bulk delete).
@receiver(pre_delete, sender=Page)
def _story_deleted(sender, instance, **kwargs):
    services.story_withdrawn(instance)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _story_restricted(sender, instance, **kwargs):
    # A restricted source is not public, so its copies stop showing it (and come back when lifted).
    page = Page.objects.filter(pk=instance.page_id).only("path").first()
    if page is not None:
        services.refresh_copies(copies_under(page.path))


@receiver(site_updated, sender=SiteProfile)
def _source_site_changed(sender, profile, changes, **kwargs):
    if "status" in changes:
        services.refresh_copies(copies_under(profile.site.root_page.path))
