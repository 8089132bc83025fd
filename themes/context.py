"""Which site (and so which theme and filing record) a request is for."""

from wagtail.models import Site

_UNSET = object()


def current_profile(request):
    """The SiteProfile of the request's site, looked up once per request."""
    cached = getattr(request, "_sitegroup_profile", _UNSET)
    if cached is not _UNSET:
        return cached
    from sitegroup.registry.models import SiteProfile

    site = Site.find_for_request(request)
    profile = None
    if site is not None:
        profile = SiteProfile.objects.select_related("site").filter(site_id=site.pk).first()
    request._sitegroup_profile = profile
    return profile
