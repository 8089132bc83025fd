"""What visitors get from a site that is not open: 网站建设中, or a closure notice."""

from django.template.response import TemplateResponse
from wagtail.models import Site

from .lookup import public_root_url
from .models import SiteStatus


def site_gate(request, profile):
    """A response replacing the page, or None when the site may be served.
    Staff signed in to the admin still see building and closed sites."""
    if profile.status == SiteStatus.RUNNING:
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"):
        return None
    portal = Site.objects.filter(is_default_site=True).first()
    context = {"profile": profile, "portal_url": public_root_url(portal.hostname, request) + "/" if portal else "/"}
    if profile.status == SiteStatus.BUILDING:
        response = TemplateResponse(request, "registry/site_building.html", context, status=503)
        response["Retry-After"] = "86400"
        return response
    return TemplateResponse(request, "registry/site_closed.html", context, status=410)
