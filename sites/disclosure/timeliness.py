"""主动公开 within 20 working days: which entries were published late, which are
unpublished past their deadline, and which are close to it (amber)."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from sitegroup.registry.lookup import profiles_by_root_path, site_root_path_expression
from sitegroup.workdays.calendar import add_working_days
from sites.models import DisclosureEntryPage

AMBER_DAYS = 5


@receiver(page_published, sender=DisclosureEntryPage)
def published(sender, instance, **kwargs):
    """Judged once, on publication: publishing again later does not make an entry late."""
    deadline = instance.publish_deadline
    first = instance.first_published_at
    late = bool(deadline and first and timezone.localdate(first) > deadline)
    if late != instance.published_late:
        DisclosureEntryPage.objects.filter(pk=instance.pk).update(published_late=late)


@dataclass
class SiteTimeliness:
    profile: object
    published: int = 0
    late: int = 0
    overdue: int = 0
    amber: int = 0


def by_site(profiles, start=None, end=None, today=None, by_path=None) -> dict[int, SiteTimeliness]:
    """Per site: entries whose deadline fell in [start, end] (default: this year so far)
    published on time or late, and (now) entries unpublished past their deadline or
    within AMBER_DAYS of it. Two aggregates, each bounded by an index."""
    today = today or timezone.localdate()
    start, end = start or today.replace(month=1, day=1), end or today
    amber_until = add_working_days(today, AMBER_DAYS)
    by_path = by_path if by_path is not None else profiles_by_root_path(profiles)
    result = {p.pk: SiteTimeliness(p) for p in by_path.values()}

    def per_site(queryset, **counts):
        rows = (
            queryset.annotate(site_path=site_root_path_expression()).filter(site_path__in=list(by_path))
            .values("site_path").annotate(**counts).order_by()
        )
        for row in rows:
            figures = result[by_path[row.pop("site_path")].pk]
            for key, value in row.items():
                setattr(figures, key, value)

    per_site(
        DisclosureEntryPage.objects.filter(publish_deadline__range=(start, end), first_published_at__isnull=False),
        published=Count("pk"), late=Count("pk", filter=Q(published_late=True)),
    )
    per_site(
        DisclosureEntryPage.objects.filter(live=False, first_published_at__isnull=True,
                                           publish_deadline__lte=amber_until),
        overdue=Count("pk", filter=Q(publish_deadline__lt=today)),
        amber=Count("pk", filter=Q(publish_deadline__gte=today)),
    )
    return result


def problem_entries(profiles, today=None, limit=200, by_path=None):
    """The entries behind the red and amber counts, most urgent first."""
    today = today or timezone.localdate()
    by_path = by_path if by_path is not None else profiles_by_root_path(profiles)
    entries = (
        DisclosureEntryPage.objects.filter(publish_deadline__isnull=False)
        .annotate(site_path=site_root_path_expression()).filter(site_path__in=list(by_path))
        .filter(Q(published_late=True) | Q(first_published_at__isnull=True,
                                           publish_deadline__lte=add_working_days(today, AMBER_DAYS)))
        .order_by("publish_deadline", "pk")
        .only("id", "title", "path", "publish_deadline", "first_published_at", "published_late", "formed_on",
              "written_date")[:limit]
    )
    for entry in entries:
        entry.profile = by_path.get(entry.site_path)
    return entries
