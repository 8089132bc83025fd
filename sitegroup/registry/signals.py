"""Keep the cached site directory current and announce when it changed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

from .directory import refresh_directory
from .events import directory_changed
from .models import SiteProfile


@receiver(post_save, sender=SiteProfile)
@receiver(post_delete, sender=SiteProfile)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _refresh_directory(sender, **kwargs):
    if refresh_directory():
        directory_changed.send(sender=SiteProfile)
