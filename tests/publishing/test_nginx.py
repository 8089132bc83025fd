"""The generated nginx configuration, run by a real nginx in front of the live server.

Files are written into the tree by hand (the publisher has its own tests): what
is checked here is which requests nginx answers from the tree and which it
passes to Django, and the headers either way.
"""

import gzip
import io

import pytest
import requests
from django.core.management import call_command
from wagtail.models import Site

from sitegroup.publishing import nginx
from sitegroup.registry.models import SiteProfile, SiteStatus
from tests.factories import column, ensure_wagtail_tree, make_article, make_site
from tests.publishing.nginx_server import check_config, nginx_server, require_nginx, write_config

HOST = "pub.localhost"
PAGE = "<!doctype html><title>静态文件</title><p>STATIC-FILE-MARKER 新闻 A</p>\n".encode()
COLUMN_PAGE = "<!doctype html><title>栏目</title><p>STATIC-COLUMN-MARKER</p>\n".encode()
CSS = ("body { color: #222; }\n" + "".join(f".rule-{i} {{ margin: {i}px; }}\n" for i in range(200))).encode()
TIMEOUT = 20


def get(url, path, host=HOST, **kwargs):
    kwargs.setdefault("allow_redirects", False)
    return requests.get(url + path, headers={"Host": host, **kwargs.pop("headers", {})}, timeout=TIMEOUT, **kwargs)


def only(response, name):
    """The header's single value (fails when nginx sent it twice)."""
    values = response.raw.headers.getlist(name)
    assert len(values) == 1, (name, values)
    return values[0]


def relative_url(page, profile):
    return page.url_path[len(profile.site.root_page.url_path) - 1:]


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "public"
    for relative, content in {
        f"{HOST}/index.html": b"<!doctype html><title>home</title>STATIC-HOME\n",
        f"{HOST}/news/a/index.html": PAGE,
        f"{HOST}/ywdt/index.html": COLUMN_PAGE,
        "_shared/static/x.css": CSS,
    }.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


@pytest.fixture
def site(live_server):
    ensure_wagtail_tree()  # earlier transactional tests flush migration data
    profile = make_site("county", hostname=HOST, port=80)
    article = make_article(column(profile, "ywdt"), "未写入静态目录的文章", body="只由 Django 提供的正文。")
    return {"profile": profile, "article": article}


@pytest.fixture
def server(tmp_path, tree, site, live_server):
    port = int(live_server.url.rsplit(":", 1)[1])
    with nginx_server(tmp_path / "nginx", root=tree, upstream=f"127.0.0.1:{port}") as running:
        yield running


pytestmark = pytest.mark.django_db(transaction=True)


# --- served from the tree -------------------------------------------------------


def test_page_from_the_tree(server, settings):
    response = get(server.public, "/news/a/")
    assert response.status_code == 200, server.errors()
    assert response.content == PAGE
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert only(response, "Cache-Control") == "no-cache"
    assert only(response, "X-Content-Type-Options") == "nosniff"
    assert only(response, "Referrer-Policy") == settings.SECURE_REFERRER_POLICY
    assert only(response, "X-Frame-Options") == settings.X_FRAME_OPTIONS.upper()
    csp = only(response, "Content-Security-Policy")
    assert "nonce" not in csp
    assert "script-src 'self'" in csp
    assert "report-uri /csp-report/" in csp
    assert response.headers["Server"] == "nginx"  # no version

    assert get(server.public, "/").content.endswith(b"STATIC-HOME\n")
    head = requests.head(server.public + "/news/a/", headers={"Host": HOST}, timeout=TIMEOUT)
    assert head.status_code == 200 and head.content == b""


def test_address_without_slash_goes_to_django(server):
    response = get(server.public, "/news/a")
    assert response.status_code == 301  # Django's APPEND_SLASH, not the file under another address
    assert response.headers["Location"].endswith("/news/a/")


def test_page_missing_from_the_tree_falls_back_to_django(server, site, settings):
    static_value = settings.X_FRAME_OPTIONS.upper()
    django_value = "SAMEORIGIN" if static_value == "DENY" else "DENY"
    settings.X_FRAME_OPTIONS = django_value  # after the config was written: Django now differs
    response = get(server.public, relative_url(site["article"], site["profile"]))
    assert response.status_code == 200, server.errors()
    assert "只由 Django 提供的正文。" in response.text
    assert "STATIC" not in response.text
    # Django's own headers, each once; nginx's values only where Django sent none.
    assert only(response, "X-Frame-Options") == django_value
    assert only(response, "X-Content-Type-Options") == "nosniff"
    assert "'self'" in only(response, "Content-Security-Policy")
    assert only(get(server.public, "/news/a/"), "X-Frame-Options") == static_value


def test_query_string_goes_to_django(server):
    response = get(server.public, "/ywdt/?page=2")
    assert response.status_code == 200, server.errors()
    assert b"STATIC-COLUMN-MARKER" not in response.content
    assert "未写入静态目录的文章" in response.text  # the column as Django lists it
    assert get(server.public, "/ywdt/").content == COLUMN_PAGE

    dynamic = get(server.public, "/news/a/?page=2")
    assert dynamic.status_code == 404  # no such page in Django
    assert b"STATIC-FILE-MARKER" not in dynamic.content


def test_post_goes_to_django_with_its_body(server):
    response = requests.post(server.public + "/news/a/", data={"field": "值" * 5000},
                             headers={"Host": HOST}, timeout=TIMEOUT)
    assert response.status_code in (403, 404, 405), server.errors()  # Django's CSRF check or 404
    assert b"STATIC-FILE-MARKER" not in response.content
    assert only(response, "X-Content-Type-Options") == "nosniff"


# --- the application's own URLs -------------------------------------------------


def test_search_is_proxied(server):
    response = get(server.public, "/search/?q=x")
    assert response.status_code == 200, server.errors()
    assert "STATIC" not in response.text
    assert 'name="q"' in response.text
    assert "nonce" not in only(response, "Content-Security-Policy")


def test_dynamic_prefix_is_proxied_even_without_query(server, tree):
    # A file where a dynamic URL lives is never served.
    stray = tree / HOST / "search" / "index.html"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"STALE-SEARCH")
    response = get(server.public, "/search/")
    assert response.status_code == 200
    assert b"STALE-SEARCH" not in response.content
    robots = get(server.public, "/robots.txt")
    assert robots.status_code == 200 and "User-agent" in robots.text


def test_csp_report_post_reaches_django(server):
    from sitegroup.security.models import CspReport

    body = b'{"csp-report": {"document-uri": "http://pub.localhost/", "violated-directive": "script-src", ' \
           b'"effective-directive": "script-src", "blocked-uri": "inline"}}'
    response = requests.post(server.public + "/csp-report/", data=body, timeout=TIMEOUT,
                             headers={"Host": HOST, "Content-Type": "application/csp-report"})
    assert response.status_code in (200, 204), response.text
    assert CspReport.objects.exists()


def test_admin_only_on_the_internal_port(server):
    for path in ("/admin/", "/admin/login/", "/django-admin/"):
        response = get(server.public, path)
        assert response.status_code == 404, path
        assert only(response, "X-Content-Type-Options") == "nosniff"
    login = get(server.internal, "/admin/login/")
    assert login.status_code in (200, 302), server.errors()
    assert "admin" in login.text.lower() or login.status_code == 302
    # The admin keeps its own policy (no static CSP added on the internal server).
    assert "'unsafe-inline'" in only(login, "Content-Security-Policy")


def test_unknown_host_is_dropped(server):
    with pytest.raises(requests.ConnectionError):
        get(server.public, "/", host="elsewhere.example")


# --- shared assets ---------------------------------------------------------------


def test_static_asset_cached_and_compressed(server):
    response = get(server.public, "/static/x.css", headers={"Accept-Encoding": "gzip"}, stream=True)
    assert response.status_code == 200, server.errors()
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.GzipFile(fileobj=io.BytesIO(response.raw.read())).read() == CSS
    assert only(response, "Cache-Control") == "max-age=2592000"
    assert only(response, "X-Content-Type-Options") == "nosniff"
    assert response.headers["Content-Type"].startswith("text/css")


def test_static_asset_missing_from_the_tree_comes_from_django(server):
    response = get(server.public, "/static/themes/large-text.js")
    assert response.status_code == 200, server.errors()
    assert b"large-text" in response.content
    assert only(response, "X-Content-Type-Options") == "nosniff"


# --- sites that are not running ------------------------------------------------------


def test_closed_site_always_gets_djangos_notice(server, site, tmp_path, tree, live_server):
    SiteProfile.objects.filter(pk=site["profile"].pk).update(status=SiteStatus.CLOSED)
    port = int(live_server.url.rsplit(":", 1)[1])
    with nginx_server(tmp_path / "nginx-closed", root=tree, upstream=f"127.0.0.1:{port}") as closed:
        assert f"server_name {HOST};" in closed.config
        assert f'root "{tree}/{HOST}";' not in closed.config
        response = get(closed.public, "/")  # the home page file is still in the tree
        assert response.status_code == 410, closed.errors()
        assert b"STATIC-HOME" not in response.content
        assert only(response, "X-Content-Type-Options") == "nosniff"


# --- the configuration itself ------------------------------------------------------


def test_nginx_accepts_the_config_and_skips_bad_hostnames(tmp_path):
    require_nginx()
    path, config, _public, _internal = write_config(
        tmp_path, root=tmp_path / "public", upstream="127.0.0.1:9",
        sites=["pub.localhost", "bad host;", "UPPER.Example", "x" * 64 + ".example", "-dash.example"],
    )
    checked = check_config(path)
    assert checked.returncode == 0, checked.stderr
    assert config.skipped == ("bad host;", "x" * 64 + ".example", "-dash.example")
    assert "server_name pub.localhost;" in config
    assert "server_name upper.example;" in config
    assert "server_name bad" not in config
    assert "user root;" in config or "user " not in config


def test_fragment_fits_debians_http_block(tmp_path):
    """Without --standalone: a conf.d file under Debian's http {} (which has gzip on)."""
    require_nginx()
    body = nginx.render_config(root=tmp_path / "public", listen="127.0.0.1:9", internal_listen="127.0.0.1:10",
                               upstream="127.0.0.1:11", sites=["pub.localhost"])
    assert "http {" not in body and "events" not in body
    (tmp_path / "tmp").mkdir()
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "conf.d" / "sitegroup.conf").write_text(body, encoding="utf-8")
    temp = " ".join(f"{kind}_temp_path {tmp_path}/tmp/{kind};"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{ worker_connections 64; }}\n"
        f"http {{ sendfile on; tcp_nopush on; include /etc/nginx/mime.types; {temp} gzip on; "
        f"include {tmp_path}/conf.d/*.conf; }}\n", encoding="utf-8")
    checked = check_config(tmp_path / "nginx.conf")
    assert checked.returncode == 0, checked.stderr


def test_dynamic_routes_from_the_urlconf():
    prefixes, exact = nginx.dynamic_routes()
    for prefix in ("/search/", "/documents/", "/csp-report/", "/captcha/", "/ysqgk/", "/gkml/", "/_util/"):
        assert prefix in prefixes
    assert {"/robots.txt", "/sitemap.xml", "/favicon.ico"} <= set(exact)
    for never in ("/admin/", "/django-admin/", "/static/", "/media/", "/"):
        assert never not in prefixes


def test_values_that_would_break_the_config_are_refused(tmp_path):
    with pytest.raises(ValueError):
        nginx.render_config(root=tmp_path, listen="80; include /etc/passwd", internal_listen="8081",
                            upstream="127.0.0.1:8000", sites=[])


# --- the management command ----------------------------------------------------------


@pytest.mark.django_db
def test_command_writes_the_config(tmp_path, settings):
    ensure_wagtail_tree()
    profile = make_site("county", hostname=HOST)
    make_site("department", hostname="jyj.localhost")
    Site.objects.filter(hostname="jyj.localhost").update(hostname="bad_host")
    output = tmp_path / "nginx.conf"
    out, err = io.StringIO(), io.StringIO()
    call_command("nginx_config", "--standalone", "--output", str(output), "--root", str(tmp_path / "public"),
                 "--temp-dir", str(tmp_path / "tmp"), "--pid", str(tmp_path / "nginx.pid"),
                 "--error-log", "stderr", stdout=out, stderr=err)
    text = output.read_text(encoding="utf-8")
    assert f"server_name {profile.site.hostname};" in text
    assert f"server {settings.STATIC_PUBLISH_NGINX['upstream']};" in text
    assert f"listen {settings.STATIC_PUBLISH_NGINX['internal_listen']};" in text
    assert "bad_host" in err.getvalue() and "已跳过" in err.getvalue()
    assert "server_name bad_host" not in text

    stdout = io.StringIO()
    call_command("nginx_config", "--root", str(tmp_path / "public"), "--listen", "8080", stdout=stdout,
                 stderr=io.StringIO())
    assert "listen 8080 default_server;" in stdout.getvalue()
    assert "events {" not in stdout.getvalue()
