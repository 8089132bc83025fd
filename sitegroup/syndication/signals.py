"""A story's copies follow it: Wagtail announces publishing and withdrawal, the
services here bring every copy in line."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from . import services


@receiver(page_published)
def _story_published(sender, instance, **kwargs):
    services.story_published(instance)


@receiver(page_unpublished)
def _story_unpublished(sender, instance, **kwargs):
    services.story_withdrawn(instance, kwargs.get("user"))


# sender=Page: see sitegroup.publishing.signals (other models keep their bulk delete).
@receiver(pre_delete, sender=Page)
def _story_deleted(sender, instance, **kwargs):
    services.story_withdrawn(instance)
