"""Keep a history row for every change of a site's filing record."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from review.context import current_request
from sitegroup.registry.models import SiteProfile

from .models import FILED_FIELDS, FilingHistory

TRACKED = FILED_FIELDS + ["status", "kind", "theme", "code"]


@receiver(pre_save, sender=SiteProfile)
def _snapshot(sender, instance, **kwargs):
    instance._filing_before = (
        SiteProfile.objects.filter(pk=instance.pk).values(*TRACKED).first() if instance.pk else None
    )


@receiver(post_save, sender=SiteProfile)
def _record(sender, instance, created, **kwargs):
    before = getattr(instance, "_filing_before", None) or {}
    changes = {
        field: [before.get(field), getattr(instance, field)]
        for field in TRACKED
        if before.get(field) != getattr(instance, field)
    }
    if not changes:
        return
    request = current_request()
    user = getattr(request, "user", None)
    FilingHistory.objects.create(
        profile=instance, changes=changes, user=user if user is not None and user.is_authenticated else None,
        application=getattr(instance, "_filing_application", None),
    )
