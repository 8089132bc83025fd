"""Content-Security-Policy settings (django-csp 4).

Two policies:

* ``CONTENT_SECURITY_POLICY``: every public page of every site (and anything
  else outside the admin). Strict: scripts and styles only from this origin,
  no 'unsafe-inline' anywhere, no plugins, no framing by other origins. The
  themes keep no inline script, no inline style and no event-handler
  attribute (the larger-text switch that must run before first paint is
  ``themes/static/themes/large-text.js``, a render-blocking static file), so
  the nonce is never needed there. It stays available for a script that truly
  must be inline: ``<script nonce="{{ request.csp_nonce }}">``; django-csp
  puts the nonce in the header only on responses that used it. Prefer a static
  file all the same: anonymous pages are cached whole
  (``sites.cache``), header and body together, so a cached page repeats its
  nonce to every visitor for ``PAGE_CACHE_SECONDS``.

* ``CSP_ADMIN_DIRECTIVES``: Wagtail's admin (``/admin/``) and Django's admin
  if it is ever mounted (``/django-admin/``), applied by
  ``sitegroup.security.csp_middleware.SitegroupCSPMiddleware``. The same
  policy with the few allowances Wagtail 8 needs, each explained below.

Violations go to ``/csp-report/`` (``sitegroup.security.csp_views.report``),
stored as ``CspReport`` and listed for the group office under
``/admin/security/csp-reports/``.
"""

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

# Only these become settings (``from .csp import *`` in base.py).
__all__ = [
    "CONTENT_SECURITY_POLICY", "CSP_ADMIN_DIRECTIVES", "CSP_ADMIN_PATH_PREFIXES", "CSP_REPORT_KEEP_DAYS",
    "CSP_REPORT_MAX_BYTES", "CSP_REPORT_PATH", "CSP_REPORT_PER_ADDRESS_PER_MINUTE", "CSP_REPORT_PER_MINUTE",
]

# Reports go to ``report-uri`` only. ``report-to`` would make Chromium ignore
# report-uri and send through the Reporting API instead: batched, up to a
# minute late, and only from secure contexts; Firefox still uses report-uri.
# The endpoint already accepts the Reporting API's format, should it be added
# (with a ``Reporting-Endpoints`` header).
CSP_REPORT_PATH = "/csp-report/"

# The report endpoint: at most this many reports stored per client address per
# minute, and this many per minute in all (a policy mistake on a busy page
# must not fill the database); larger bodies are refused unread.
CSP_REPORT_MAX_BYTES = 16 * 1024
CSP_REPORT_PER_ADDRESS_PER_MINUTE = 10
CSP_REPORT_PER_MINUTE = 120
# Reports older than this are deleted, a few at a time, as new ones arrive.
CSP_REPORT_KEEP_DAYS = 90

_PUBLIC = {
    "default-src": [SELF],
    # Static files only; NONCE is replaced by the response's nonce when a
    # template used ``request.csp_nonce`` and dropped otherwise.
    "script-src": [SELF, NONCE],
    # The themes style everything from static CSS (no style attributes, no
    # <style> elements; the 500 page links themes/error.css). Rich text cannot
    # carry style attributes (review.sanitise and Wagtail's whitelist), and the
    # table block marks alignment with classes.
    "style-src": [SELF],
    # data: for small images written inline as data: URIs (none in the themes
    # today; allowed as the group's baseline, an image cannot run code).
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],  # search suggestions (search/suggest.js)
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [SELF],  # Wagtail's preview frames the page from the same origin
    "form-action": [SELF],
    "report-uri": [CSP_REPORT_PATH],
}

CONTENT_SECURITY_POLICY = {"DIRECTIVES": _PUBLIC}

CSP_ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")

CSP_ADMIN_DIRECTIVES = {
    **_PUBLIC,
    # Wagtail 8 still writes inline scripts without a nonce, so the admin needs
    # 'unsafe-inline' for scripts. Seen in Chromium under a strict policy:
    # - initDateChooser/initDateTimeChooser (wagtailadmin/widgets/*_input.html):
    #   every listing's date filters and the page editor's scheduled-publishing
    #   dialog (inserted by jQuery from vendor.js);
    # - new PageChooser/ImageChooser(...) (render_js_init in
    #   wagtail/admin/widgets/chooser.py): page editors, sites, redirects, workflows;
    # - InlinePanel/MultipleChooserPanel set-up (wagtailadmin/panels/*.html);
    # - an inline event handler that Jcrop (image focal-point editor) sets.
    # No nonce can be given to them short of overriding Wagtail's templates.
    # NONCE is deliberately absent: a nonce in the header makes browsers ignore
    # 'unsafe-inline'. 'unsafe-eval' is not needed.
    "script-src": [SELF, UNSAFE_INLINE],
    # Style attributes stay blocked (style-src-attr falls back to style-src
    # 'self'): Wagtail's templates have none and its scripts style elements
    # through the CSSOM, which CSP allows. <style> elements are allowed inline
    # because Draftail (draft-js, the rich-text editor) injects its own.
    "style-src": [SELF],
    "style-src-elem": [SELF, UNSAFE_INLINE],
    # blob: for the previews the multiple image uploader draws from the chosen
    # file before uploading it.
    "img-src": [SELF, "data:", "blob:"],
}
