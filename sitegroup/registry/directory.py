"""The group's public sites by kind: the portal's 站群导航 and every subsite's
link back to the portal. One query, cached until a site or its profile changes."""

from django.core.cache import cache

from .models import SiteKind, SiteProfile, SiteStatus

CACHE_KEY = "sitegroup:directory:v2"
TIMEOUT = 60 * 60


def _build() -> dict:
    directory = {"portal": None, SiteKind.COUNTY.value: [], SiteKind.DEPARTMENT.value: []}
    for profile in SiteProfile.objects.filter(status=SiteStatus.RUNNING).select_related("site"):
        # The address is made per request (``public_root_url``), not stored here.
        entry = {"code": profile.code, "name": profile.name, "hostname": profile.site.hostname}
        if profile.kind == SiteKind.PORTAL:
            directory["portal"] = directory["portal"] or entry
        else:
            directory[profile.kind].append(entry)
    return directory


def group_directory() -> dict:
    directory = cache.get(CACHE_KEY)
    if directory is None:
        directory = _build()
        cache.set(CACHE_KEY, directory, TIMEOUT)
    return directory


def refresh_directory() -> bool:
    """Rebuild after a registry change; True when what visitors see changed."""
    before = cache.get(CACHE_KEY)
    after = _build()
    cache.set(CACHE_KEY, after, TIMEOUT)
    return before != after  # a cold cache may hide a change: treat it as one
