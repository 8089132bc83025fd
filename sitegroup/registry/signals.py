from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

from sites.cache import purge_all, purge_profile

from .directory import refresh_directory
from .models import SiteProfile


@receiver(post_save, sender=SiteProfile)
@receiver(post_delete, sender=SiteProfile)
def _purge_site_cache(sender, instance, **kwargs):
    # The directory (portal 站群导航, links home) is on every site's pages;
    # the footer, theme and status only on this site's.
    if refresh_directory():
        purge_all()
    else:
        purge_profile(instance)


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _refresh_directory(sender, **kwargs):
    refresh_directory()  # sites.cache purges every page on any Site change anyway
