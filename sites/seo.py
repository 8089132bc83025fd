"""What every site answers besides its pages: robots.txt, the sitemap, the icon."""

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from sitegroup.registry.lookup import profile_for_request, public_root_url


@require_GET
def robots_txt(request):
    profile = profile_for_request(request)
    if profile is None or not profile.is_public:
        # Unregistered, being built or closed: nothing here is for indexing.
        return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain; charset=utf-8")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {public_root_url(profile.site.hostname, request)}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_page(600)
def sitemap(request):
    """Wagtail's sitemap of the request's site, for running registered sites only."""
    profile = profile_for_request(request)
    if profile is None or not profile.is_public:
        raise Http404("本站点暂未对外提供服务。")
    return wagtail_sitemap(request)


@require_GET
def favicon(request):
    # Resolved per request: with hashed static names the address exists only
    # after collectstatic, and URL loading must not depend on it.
    return HttpResponsePermanentRedirect(static("themes/favicon.ico"))
