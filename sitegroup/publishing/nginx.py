"""The nginx configuration that serves the static tree (``manage.py nginx_config``).

Public servers, one per site, answer from ``<root>/<hostname>/`` and fall back
to the application for whatever the tree does not hold; the internal server
passes everything, the admin included, to the application::

    GET/HEAD without a query string   file from the tree, else the application
    other methods, any query string   the application (error_page 418 → @app)
    dynamic URL prefixes              the application (read from the URLconf)
    /static/, /media/                 <root>/_shared, else the application
    /admin/, /django-admin/           404 on the public servers
    an unknown Host                   connection closed (444)

Security headers: responses nginx makes itself (files, its own error pages)
get the values Django would have sent, built from the same settings (the
public Content-Security-Policy without its nonce: a file cannot carry a fresh
one). Proxied responses keep Django's own values: nginx hides the upstream
header and adds it back once, falling back to the static value only when
Django sent none (a map on ``$upstream_http_*``), so every response carries
each header exactly once. ``add_header`` is inherited only by locations that
define none, so the one location that adds ``Cache-Control`` repeats the set.

Building and closed sites get a server that passes every page to the
application, which answers with the 网站建设中 or closure notice; any file left
in their directory is never served.
"""

import logging
import os
import re
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

UPSTREAM = "sitegroup_app"
HOSTNAME_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
# The admin never answers on the public servers (it has the internal server).
ADMIN_PREFIXES = ("/admin/", "/django-admin/")
GZIP_TYPES = "text/css application/javascript application/json image/svg+xml text/plain"
# Public forms take attachments (互动交流, 依申请公开: by default three of at most
# 10 MB each, raised per channel); Django checks the real limits.
PUBLIC_BODY_LIMIT_MB = 64
# Characters that would end or escape a directive: refused in any value written
# into the configuration.
_UNSAFE = re.compile(r"[\s;{}\"'\\$#`]")
_REGEX_META = set(".^$*+?{}[]\\|()")


class Config(str):
    """The configuration text; ``skipped`` lists the hostnames left out as invalid."""

    skipped: tuple[str, ...]

    def __new__(cls, text: str, skipped=()):
        obj = super().__new__(cls, text)
        obj.skipped = tuple(skipped)
        return obj

    @property
    def text(self) -> str:
        return str(self)


@dataclass(frozen=True)
class _Site:
    hostname: str
    static: bool  # running: served from the tree; otherwise everything goes to Django


# --- values -----------------------------------------------------------------


def _token(value, what: str) -> str:
    value = str(value).strip()
    if not value or _UNSAFE.search(value):
        raise ValueError(f"{what} 不是可以写入 nginx 配置的值：{value!r}")
    return value


def _path(value, what: str) -> str:
    path = os.path.abspath(os.fspath(value))
    if _UNSAFE.search(path.replace(" ", "")):
        raise ValueError(f"{what} 含有不能写入 nginx 配置的字符：{path!r}")
    return f'"{path}"'


def _quoted(value: str) -> str:
    if any(c in value for c in '"\\$\n\r'):
        raise ValueError(f"响应头的值不能写入 nginx 配置：{value!r}")
    return f'"{value}"'


def normalise_hostname(hostname) -> str | None:
    """The hostname lowercased, or None when it is not a plain DNS name."""
    name = str(hostname or "").strip().lower().rstrip(".")
    return name if len(name) <= 253 and HOSTNAME_RE.match(name) else None


# --- what the settings and the URLconf say -----------------------------------


def security_headers() -> list[tuple[str, str]]:
    """(header, value) as Django's middleware sends them on a public page."""
    from csp.utils import build_policy

    headers = []
    for name, setting, report_only in (
        ("Content-Security-Policy", "CONTENT_SECURITY_POLICY", False),
        ("Content-Security-Policy-Report-Only", "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        # The nonce is dropped (no nonce given); directives keep the settings' order.
        policy = build_policy(report_only=report_only)
        if policy:
            order = list((getattr(settings, setting, None) or {}).get("DIRECTIVES", {}))
            parts = sorted(policy.split("; "), key=lambda part: _position(order, part.split(" ", 1)[0]))
            headers.append((name, "; ".join(parts)))
    headers.append(("X-Content-Type-Options", "nosniff"))
    referrer = getattr(settings, "SECURE_REFERRER_POLICY", "same-origin") or "same-origin"
    if not isinstance(referrer, str):
        referrer = ",".join(referrer)
    headers.append(("Referrer-Policy", referrer))
    headers.append(("X-Frame-Options", (getattr(settings, "X_FRAME_OPTIONS", "DENY") or "DENY").upper()))
    coop = getattr(settings, "SECURE_CROSS_ORIGIN_OPENER_POLICY", "same-origin")
    if coop:
        headers.append(("Cross-Origin-Opener-Policy", coop))
    return headers


def _position(order, directive):
    return order.index(directive) if directive in order else len(order)


def hsts_value() -> str:
    """Strict-Transport-Security as SecurityMiddleware sends it (HTTPS only), or ''."""
    seconds = int(getattr(settings, "SECURE_HSTS_SECONDS", 0) or 0)
    if not seconds:
        return ""
    value = f"max-age={seconds}"
    if getattr(settings, "SECURE_HSTS_INCLUDE_SUBDOMAINS", False):
        value += "; includeSubDomains"
    if getattr(settings, "SECURE_HSTS_PRELOAD", False):
        value += "; preload"
    return value


def _url_prefix(url, default):
    url = url or default
    return url if url.startswith("/") and url.endswith("/") else default


def asset_prefixes() -> tuple[str, str]:
    return (_url_prefix(getattr(settings, "STATIC_URL", None), "/static/"),
            _url_prefix(getattr(settings, "MEDIA_URL", None), "/media/"))


def _literal(pattern) -> tuple[str, bool]:
    """The literal start of a URL pattern and whether that is the whole pattern."""
    from django.urls.resolvers import RegexPattern, RoutePattern

    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        head = route.split("<", 1)[0]
        return head, head == route
    if isinstance(pattern, RegexPattern):
        regex = str(pattern).removeprefix("^")
        out, i = [], 0
        while i < len(regex):
            char = regex[i]
            if char == "\\" and i + 1 < len(regex) and not regex[i + 1].isalnum():
                out.append(regex[i + 1])
                i += 2
                continue
            if char in _REGEX_META:
                break
            out.append(char)
            i += 1
        return "".join(out), regex[i:] in ("", "$")
    return "", False


def dynamic_routes(patterns=None) -> tuple[list[str], list[str]]:
    """The application's own URLs outside the page tree, from the URLconf.

    Returns (prefixes such as ``/search/``, exact paths such as ``/robots.txt``):
    the first literal segment of every top-level pattern, looking inside the
    includes mounted at the root (Wagtail's ``_util/``) and leaving out
    Wagtail's catch-all, the admin and the static and media prefixes.
    """
    if patterns is None:
        from django.urls import get_resolver

        patterns = get_resolver().url_patterns
    excluded = {p.strip("/").split("/")[0] for p in (*ADMIN_PREFIXES, *asset_prefixes())}
    excluded |= {p.strip("/").split("/")[0] for p in getattr(settings, "CSP_ADMIN_PATH_PREFIXES", ())}
    prefixes, exact = set(), set()

    def visit(items):
        for item in items:
            literal, whole = _literal(item.pattern)
            if not literal:
                if hasattr(item, "url_patterns"):
                    visit(item.url_patterns)  # an include at the root
                continue  # the page tree
            segment, slash, _rest = literal.partition("/")
            if segment in excluded:
                continue
            if slash:
                prefixes.add(f"/{segment}/")
            elif whole and not hasattr(item, "url_patterns"):
                exact.add(f"/{segment}")
            else:
                # ``foo<int:n>`` would need a prefix that could also cover pages.
                logger.warning("nginx: URL pattern %r has no fixed first segment; left to the page fallback",
                               str(item.pattern))

    visit(patterns)
    return sorted(prefixes), sorted(exact)


def _sites(sites) -> tuple[list[_Site], list[str]]:
    if sites is not None:
        candidates = [(name, True) for name in sites]
    else:
        from sitegroup.registry.models import SiteProfile, SiteStatus

        candidates = [(p.site.hostname, p.status == SiteStatus.RUNNING)
                      for p in SiteProfile.objects.select_related("site").order_by("site__hostname", "id")]
    chosen, skipped = {}, []
    for raw, static in candidates:
        name = normalise_hostname(raw)
        if name is None:
            skipped.append(str(raw))
            logger.warning("nginx: hostname %r is not a valid DNS name; no server block written", raw)
            continue
        # One hostname on several ports: one server, from the tree if any of them runs.
        chosen[name] = chosen.get(name, False) or static
    return [_Site(name, static) for name, static in sorted(chosen.items())], skipped


# --- writing -----------------------------------------------------------------


def _block(head: str, lines, indent="    ") -> list[str]:
    out = [f"{head} {{"]
    out += [f"{indent}{line}" if line else "" for line in lines]
    out.append("}")
    return out


def _map_var(header: str) -> str:
    return "$sg_" + re.sub(r"[^a-z0-9]", "_", header.lower())


def _upstream_var(header: str) -> str:
    return "$upstream_http_" + re.sub(r"[^a-z0-9]", "_", header.lower())


def _maps(headers, hsts) -> list[str]:
    out = [
        "# GET and HEAD without a query string may come from the tree; everything else is dynamic.",
        *_block('map "$request_method:$args" $sg_dynamic', ['"~^(GET|HEAD):$" 0;', "default 1;"]),
        "# Files of the tree are revalidated on every use (an empty value sends no header).",
        *_block("map $sent_http_content_type $sg_cache", ['"~^text/html" "no-cache";', 'default "";']),
        "# Each security header once: Django's value on proxied responses, else the static one.",
    ]
    for name, value in headers:
        out += _block(f"map {_upstream_var(name)} {_map_var(name)}",
                      [f'"" {_quoted(value)};', f"default {_upstream_var(name)};"])
    if hsts:
        out += _block("map $scheme $sg_hsts_static", [f"https {_quoted(hsts)};", 'default "";'])
        out += _block(f"map {_upstream_var('Strict-Transport-Security')} $sg_strict_transport_security",
                      ['"" $sg_hsts_static;', f"default {_upstream_var('Strict-Transport-Security')};"])
    return out


def _header_lines(names) -> list[str]:
    return [f"add_header {name} {_map_var(name)} always;" for name in names]


def _proxy_lines(hidden=()) -> list[str]:
    return [
        "proxy_http_version 1.1;",
        "proxy_set_header Host $http_host;",
        "proxy_set_header X-Real-IP $remote_addr;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        'proxy_set_header Connection "";',
        *[f"proxy_hide_header {name};" for name in hidden],
    ]


def _common_lines() -> list[str]:
    return [
        "server_tokens off;",
        "gzip on;",
        "gzip_vary on;",
        f"gzip_types {GZIP_TYPES};",
        "gzip_min_length 1024;",
    ]


def _site_server(site: _Site, *, listen, root, names, prefixes, exact, static_url, media_url) -> list[str]:
    app = f"proxy_pass http://{UPSTREAM};"
    lines = [
        f"listen {listen};",
        f"server_name {site.hostname};",
    ]
    if site.static:
        lines += [
            f"root {_path(os.path.join(root, site.hostname), 'root')};",
            # try_files looks up two names per request: keep the lookups and descriptors.
            # The publisher replaces files (a new inode), seen within open_file_cache_valid.
            "open_file_cache max=50000 inactive=60s;",
            "open_file_cache_valid 1s;",
            "open_file_cache_errors on;",
        ]
    lines += [
        "charset utf-8;",
        "index index.html;",
        *_common_lines(),
        f"client_max_body_size {PUBLIC_BODY_LIMIT_MB}m;",
        "",
        "# Proxied requests (inherited by every location below that proxies).",
        *_proxy_lines(hidden=names),
        "",
        "# Security headers on every response, nginx's own error pages included.",
        *_header_lines(names),
        "",
    ]
    for prefix in ADMIN_PREFIXES:
        lines += _block(f"location ^~ {prefix}", ["return 404;"])
    shared = _path(os.path.join(root, "_shared"), "root")
    for prefix, expires in ((static_url, "30d"), (media_url, "7d")):
        lines += _block(f"location ^~ {prefix}", [f"root {shared};", f"expires {expires};", "try_files $uri @app;"])
    lines.append("# The application's own URLs (sitegroup.urls, read by sitegroup.publishing.nginx).")
    lines += [f"location ^~ {prefix} {{ {app} }}" for prefix in prefixes]
    lines += [f"location = {path} {{ {app} }}" for path in exact]
    if site.static:
        lines += _block("location /", [
            "error_page 418 = @app;",
            "if ($sg_dynamic) { return 418; }",
            "try_files $uri ${uri}index.html @app;",
            "# add_header here replaces the server's: repeat them.",
            "add_header Cache-Control $sg_cache;",
            *_header_lines(names),
        ])
    else:
        lines.append("# Not running: the application shows the building or closure notice.")
        lines += _block("location /", [app])
    lines += _block("location @app", [app])
    return _block("server", lines)


def _internal_server(internal_listen) -> list[str]:
    largest = max(int(getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", 0) or 0),
                  int(getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 0) or 0))
    limit_mb = max(PUBLIC_BODY_LIMIT_MB, -(-largest // (1024 * 1024)) + 16)
    return [
        "# Internal address: everything, the admin included, goes to the application,",
        "# which sends its own headers (the admin has its own Content-Security-Policy).",
        *_block("server", [
            f"listen {internal_listen};",
            "server_name _;",
            *_common_lines(),
            f"client_max_body_size {limit_mb}m;",
            "proxy_read_timeout 300s;",
            *_proxy_lines(),
            *_block("location /", [f"proxy_pass http://{UPSTREAM};"]),
        ]),
    ]


def render_http(*, root, listen, internal_listen, upstream, sites=None) -> Config:
    """What goes inside ``http {}`` (a file in /etc/nginx/conf.d/)."""
    listen = _token(listen, "listen")
    internal_listen = _token(internal_listen, "internal_listen")
    upstream = _token(upstream, "upstream")
    root = os.path.abspath(os.fspath(root))
    _path(root, "root")
    chosen, skipped = _sites(sites)
    headers = security_headers()
    hsts = hsts_value()
    names = [name for name, _value in headers] + (["Strict-Transport-Security"] if hsts else [])
    prefixes, exact = dynamic_routes()
    static_url, media_url = asset_prefixes()

    out = [
        "# Generated by `manage.py nginx_config` (sitegroup.publishing.nginx); do not edit by hand.",
        f"# Static tree: {root}; application: {upstream}.",
        "# Debian: remove /etc/nginx/sites-enabled/default, whose default_server would clash.",
        "",
        *_block(f"upstream {UPSTREAM}", [f"server {upstream};", "keepalive 16;"]),
        "",
        *_maps(headers, hsts),
        "",
        "# Hosts that are no site of the group: close the connection.",
        *_block("server", [f"listen {listen} default_server;", "server_name _;", "server_tokens off;",
                           "return 444;"]),
        "",
    ]
    for site in chosen:
        out += _site_server(site, listen=listen, root=root, names=names, prefixes=prefixes, exact=exact,
                            static_url=static_url, media_url=media_url)
        out.append("")
    out += _internal_server(internal_listen)
    if skipped:
        out += ["", *[f"# Skipped, not a valid hostname: {name!r}" for name in skipped]]
    return Config("\n".join(out) + "\n", skipped)


def render_config(*, root, listen, internal_listen, upstream, standalone=False, pid=None, error_log=None,
                  temp_dir=None, sites=None) -> Config:
    """The configuration as text (a ``str``); ``.skipped`` names the hostnames left out.

    Without ``standalone`` only the contents of ``http {}``; with it a whole
    nginx.conf (for ``nginx -c``), with its pid file, error log and temporary
    directories (by default Debian's).
    """
    body = render_http(root=root, listen=listen, internal_listen=internal_listen, upstream=upstream, sites=sites)
    if not standalone:
        return body
    temp = os.path.abspath(os.fspath(temp_dir or "/var/lib/nginx"))
    error_log = error_log or "/var/log/nginx/error.log"
    error_log = "stderr" if error_log == "stderr" else _path(error_log, "error_log")
    head = []
    if os.geteuid() == 0:
        # Started as root, nginx would run its workers as nobody, who may not read the tree.
        head.append("user root;")
    head += [
        "worker_processes auto;",
        f"pid {_path(pid or '/run/nginx.pid', 'pid')};",
        f"error_log {error_log};",
        "",
        *_block("events", ["worker_connections 1024;"]),
        "",
    ]
    http = [
        "include /etc/nginx/mime.types;",
        "default_type application/octet-stream;",
        "types_hash_max_size 2048;",
        "access_log off;",
        *[f"{kind}_temp_path {_path(os.path.join(temp, name), 'temp_dir')};" for kind, name in (
            ("client_body", "body"), ("proxy", "proxy"), ("fastcgi", "fastcgi"), ("uwsgi", "uwsgi"),
            ("scgi", "scgi"))],
        "sendfile on;",
        "tcp_nopush on;",
        "keepalive_timeout 65;",
        "",
        *str(body).rstrip("\n").split("\n"),
    ]
    return Config("\n".join(head + _block("http", http)) + "\n", body.skipped)
