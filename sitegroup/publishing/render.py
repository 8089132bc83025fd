"""Render one address of one site exactly as an anonymous visitor gets it.

The request goes through the whole middleware stack (site gating, security
headers, the themes' context), so a static file holds the bytes Django would
have sent. Only responses the page cache would share between anonymous
visitors are published (``sites.cache.is_shareable``): a form with a CSRF
token, a restricted page, a closed site's notice or a 404 is left to Django,
which nginx falls back to for anything absent from the tree.
"""

import io
import re
import sys
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, unquote, unquote_to_bytes

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import request_finished
from django.db import close_old_connections

from sites.cache import FRESH_RENDER_KEY, is_shareable

USER_AGENT = "sitegroup-static-publisher"
# Assets a page uses: src/href attributes and CSS url() pointing into /static/ or /media/.
_ASSET_RE = re.compile(rb"""(?:src|href)=["'](/(?:static|media)/[^"'?#\s]+)|url\(\s*["']?(/(?:static|media)/[^"')?#\s]+)""")


@dataclass
class Rendered:
    content: bytes
    title: str
    assets: list[str]


@cache
def _handler():
    handler = BaseHandler()
    handler.load_middleware()
    return handler


def _environ(hostname, port, path):
    scheme = getattr(settings, "SITEGROUP_PUBLIC_SCHEME", None) or "http"
    default_port = 443 if scheme == "https" else 80
    host = hostname if int(port or default_port) in (80, 443) else f"{hostname}:{port}"
    return {
        "REQUEST_METHOD": "GET",
        # WSGI carries the path as bytes decoded as latin-1 (PEP 3333).
        "PATH_INFO": unquote_to_bytes(quote(path)).decode("iso-8859-1"),
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": hostname,
        "SERVER_PORT": str(port or default_port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "HTTP_USER_AGENT": USER_AGENT,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        FRESH_RENDER_KEY: True,
    }


def render_page(hostname, port, path, title="") -> Rendered | None:
    """The page at ``path`` of the site, or None when it must not be a static file."""
    request = WSGIRequest(_environ(hostname, port, path))
    response = _handler().get_response(request)
    try:
        if not is_shareable(response):
            return None
        content = response.content
    finally:
        # The render runs inside the caller's work (a worker's batch, a test's
        # transaction), not a request of its own: Django's end-of-request clean-up
        # would close the caller's database connection (as the test client also
        # prevents). Workers and commands are single-threaded, so the switch is safe.
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
    return Rendered(content=content, title=title, assets=assets_in(content))


def assets_in(content: bytes) -> list[str]:
    found = dict.fromkeys(
        unquote((a or b).decode("utf-8", "replace")) for a, b in _ASSET_RE.findall(content)
    )
    return [path for path in found if ".." not in path]
