from django.db.models.signals import post_save
from django.dispatch import receiver

from sites.cache import purge_profile

from .models import SiteProfile


@receiver(post_save, sender=SiteProfile)
def _purge_site_cache(sender, instance, **kwargs):
    # Footer, theme and status are on every page of the site.
    purge_profile(instance)
