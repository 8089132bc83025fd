"""The portal's group-wide catalogue lists every site's entries, so a change to
any entry must purge the portal's cached pages too, not only its own site's."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from sitegroup.registry.models import SiteKind, SiteProfile
from sites.cache import purge_site
from sites.models import DisclosureEntryPage


def _purge_portal(**kwargs):
    for site_id in SiteProfile.objects.filter(kind=SiteKind.PORTAL).values_list("site_id", flat=True):
        purge_site(site_id)


@receiver(page_published, sender=DisclosureEntryPage)
def _published(sender, **kwargs):
    _purge_portal()


@receiver(page_unpublished, sender=DisclosureEntryPage)
def _unpublished(sender, **kwargs):
    _purge_portal()
