"""Which site (and so which theme and filing record) a request is for."""

from django.http.request import split_domain_port
from wagtail.models import Site

_UNSET = object()


def current_profile(request):
    """The SiteProfile of the request's site, looked up once per request."""
    cached = getattr(request, "_sitegroup_profile", _UNSET)
    if cached is not _UNSET:
        return cached
    from sitegroup.registry.models import SiteProfile

    site = Site.find_for_request(request)
    # Wagtail falls back to the default site for a host it does not know; a
    # host that is not registered must not be served the portal under its name.
    if site is not None and not _is_registered_host(site, request):
        site = None
    profile = None
    if site is not None:
        profile = SiteProfile.objects.select_related("site").filter(site_id=site.pk).first()
    request._sitegroup_profile = profile
    return profile


def _is_registered_host(site, request) -> bool:
    hostname, _port = split_domain_port(request.get_host())
    return hostname.lower() == site.hostname.lower()
