"""Keep a history row for every change of a site's filing record."""

from django.dispatch import receiver

from sitegroup.registry.events import site_provisioned, site_updated
from sitegroup.registry.models import SiteProfile

from .models import FILED_FIELDS, FilingApplication, FilingHistory

TRACKED = FILED_FIELDS + ["status", "kind", "theme", "code"]


@receiver(site_provisioned, sender=SiteProfile)
def _record_creation(sender, profile, user=None, **kwargs):
    changes = {field: [None, getattr(profile, field)] for field in TRACKED if getattr(profile, field) not in (None, "")}
    FilingHistory.objects.create(profile=profile, changes=changes, user=user)


@receiver(site_updated, sender=SiteProfile)
def _record_change(sender, profile, changes, user=None, cause=None, **kwargs):
    tracked = {field: change for field, change in changes.items() if field in TRACKED}
    if not tracked:
        return
    FilingHistory.objects.create(
        profile=profile, changes=tracked, user=user if getattr(user, "is_authenticated", False) else None,
        application=cause if isinstance(cause, FilingApplication) else None,
    )
