"""URLs of the CSP reports.

``public_urlpatterns`` go at the top level of ``sitegroup.urls``, above
Wagtail's catch-all (browsers post to ``/csp-report/``,
``settings.CSP_REPORT_PATH``). ``admin_urlpatterns`` are relative to
``/admin/security/``: the security app's ``register_admin_urls`` hook includes
them as ``path("security/", include(admin_urlpatterns))``, and Wagtail wraps
them in its admin-access check (anonymous visitors go to the sign-in page).
"""

from django.urls import path
from django.views.decorators.cache import never_cache

from . import csp_views

public_urlpatterns = [
    path("csp-report/", csp_views.report, name="csp_report"),
]

admin_urlpatterns = [
    path("csp-reports/", never_cache(csp_views.reports), name="security_csp_reports"),
]
