"""Which site a page or a request belongs to: the one answer every app uses.

Every site's root page sits directly under Wagtail's root (depth 2: provisioning
creates it there and ``registry.checks`` warns about a Site that does not), so a
page's site is told by the first two steps of its materialised path. That gives
a query-free ``site_root_path``, a SQL expression for batch queries, and
lookups of the filing record (``SiteProfile``) whose cost does not depend on how
deep the page is or how many pages are asked about.
"""

from django.conf import settings
from django.db.models.functions import Substr
from django.http.request import split_domain_port
from wagtail.models import Page, Site

from .models import SiteProfile

SITE_ROOT_DEPTH = 2
_UNSET = object()
_REQUEST_ATTR = "_sitegroup_profile"


def site_root_path(path_or_page) -> str | None:
    """The path of the site root a page (or a page path) lies under."""
    path = getattr(path_or_page, "path", path_or_page)
    if not path or len(path) < SITE_ROOT_DEPTH * Page.steplen:
        return None
    return path[: SITE_ROOT_DEPTH * Page.steplen]


def site_root_path_expression(field: str = "path"):
    """The same, as a database expression over a page path column."""
    return Substr(field, 1, SITE_ROOT_DEPTH * Page.steplen)


def per_site(queryset, by_home, **aggregates) -> dict:
    """profile pk → {name: value} of ``aggregates`` over ``queryset``'s pages grouped by
    site, for the sites in ``by_home`` (root page path → profile pk). One query."""
    rows = (queryset.annotate(site_path=site_root_path_expression()).filter(site_path__in=list(by_home))
            .values("site_path").annotate(**aggregates).order_by())
    return {by_home[row.pop("site_path")]: row for row in rows}


def _profiles():
    return SiteProfile.objects.select_related("site")


def profile_for_page(page) -> SiteProfile | None:
    """The filing record of the site ``page`` belongs to (one query)."""
    root = site_root_path(page)
    if root is None:
        return None
    return _profiles().filter(site__root_page__path=root).first()


def profiles_by_root_path(profiles=None) -> dict[str, SiteProfile]:
    """root path → filing record, for matching many pages against the sites."""
    profiles = _profiles() if profiles is None else profiles
    return {p.site.root_page.path: p for p in profiles.select_related("site__root_page")}


def site_for_request(request) -> Site | None:
    """The registered site a request is for, or None. Wagtail's documented
    ``Site.find_for_request`` falls back to the default site for a host it does
    not know; an unregistered host must not be served the portal under its name."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    hostname, _port = split_domain_port(request.get_host())
    return site if hostname.lower() == site.hostname.lower() else None


def profile_for_request(request) -> SiteProfile | None:
    """The filing record of the request's site, looked up once per request."""
    cached = getattr(request, _REQUEST_ATTR, _UNSET)
    if cached is not _UNSET:
        return cached
    site = site_for_request(request)
    profile = _profiles().filter(site_id=site.pk).first() if site is not None else None
    setattr(request, _REQUEST_ATTR, profile)
    return profile


def public_root_url(hostname: str, request=None) -> str:
    """Where visitors reach the site at ``hostname``: the group's public scheme
    and port (SITEGROUP_PUBLIC_SCHEME / SITEGROUP_PUBLIC_PORT; by default those
    of the current request), never the port stored on the Site record. All sites
    of the group are served by the same front end, so they share both."""
    scheme = getattr(settings, "SITEGROUP_PUBLIC_SCHEME", None) or (request.scheme if request else "http")
    port = getattr(settings, "SITEGROUP_PUBLIC_PORT", None)
    if port is None and request is not None:
        port = split_domain_port(request.get_host())[1] or None
    default = {"http": "80", "https": "443"}.get(scheme)
    suffix = f":{port}" if port and str(port) != default else ""
    return f"{scheme}://{hostname}{suffix}"
