"""django-csp's middleware with the admin's policy on the admin's paths.

``settings.CONTENT_SECURITY_POLICY`` is the strict public policy;
``settings.CSP_ADMIN_DIRECTIVES`` (see ``sitegroup/settings/csp.py`` for why
each allowance exists) replaces it under ``settings.CSP_ADMIN_PATH_PREFIXES``.
A view decorated with django-csp's ``@csp_override`` / ``@csp_update`` /
``@csp_replace`` / ``@csp_exempt`` still gets exactly what it asked for.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.CSP_ADMIN_PATH_PREFIXES))


class SitegroupCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        # parts.config is set only by @csp_override on the view; otherwise
        # django-csp falls back to the settings, which we replace here.
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = default_config(settings.CSP_ADMIN_DIRECTIVES)
        return parts
