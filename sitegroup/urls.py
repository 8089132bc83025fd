from django.conf import settings
from django.urls import include, path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from review.media_views import serve_media
from sitegroup.registry.admin_guards import OVERRIDES as GUARDED_VIEWS
from sitegroup.registry.admin_reports import OVERRIDES as SCOPED_REPORTS
from sitegroup.security.csp_urls import public_urlpatterns as csp_public_urls
from sites import seo
from sites.disclosure import urls as disclosure_urls

urlpatterns = [
    # Wagtail's reports with filters scoped to the user's sites, on Wagtail's own paths.
    *[path("admin/" + route, never_cache(view)) for route, view, _name in SCOPED_REPORTS + GUARDED_VIEWS],
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", include("search.urls")),
    # Uploaded files only through the release check (never straight from MEDIA_ROOT).
    path(settings.MEDIA_URL.lstrip("/") + "<path:path>", serve_media, name="serve_media"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("favicon.ico", seo.favicon, name="favicon"),
    # Image challenges of the public forms (django-simple-captcha, served here, no external service).
    path("captcha/", include("captcha.urls")),
    # 依申请公开 on every site, answered by the site the request is for; and every
    # site's 公开目录, 公开指南 and 公开年报.
    path("ysqgk/", include(disclosure_urls.apply_urls)),
    *disclosure_urls.catalogue_urls,
    # Browsers report Content-Security-Policy violations here (/csp-report/).
    *csp_public_urls,
    # --- feature URLs go above this line ---
]

urlpatterns += [path("", include(wagtail_urls))]
