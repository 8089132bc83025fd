"""Content-Security-Policy: the strict public policy, the admin's allowances,
the /csp-report/ endpoint and the group office's list of reports.

The policies are in ``sitegroup/settings/csp.py``; the admin's is applied by
``sitegroup.security.csp_middleware.SitegroupCSPMiddleware``. The tests use this
module as the URLconf: the project's URLs plus two probes (an inline script with
the nonce, a server error).
"""

import json
import re

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.urls import path, reverse

from sitegroup import urls as project_urls
from sitegroup.registry.roles import ensure_office_group
from sitegroup.security import csp_views
from sitegroup.security.models import CspReport
from tests.factories import column, make_article, make_user
from tests.helpers import refused

HOST = "xiushui.localhost"
CSP = "Content-Security-Policy"


# --------------------------------------------------------------------------- URLconf for these tests

def _nonce_probe(request):
    """A page with the one kind of inline script the public policy admits."""
    template = engines["django"].from_string(
        '<!DOCTYPE html><title>t</title><script nonce="{{ request.csp_nonce }}">window.ok = 1;</script>'
    )
    return HttpResponse(template.render({}, request))


def _boom(request):
    raise RuntimeError("a server error for the 500 page")


urlpatterns = [
    path("test-csp/nonce/", _nonce_probe),
    path("test-csp/boom/", _boom),
    *project_urls.urlpatterns,
]


@pytest.fixture(autouse=True)
def csp_wiring(settings):
    settings.ROOT_URLCONF = __name__
    return settings


# --------------------------------------------------------------------------- helpers

def policy(response, header=CSP):
    assert header in response, f"no {header} header"
    directives = {}
    for part in response[header].split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def header_nonces(directives):
    return {w[len("'nonce-"):-1] for w in directives.get("script-src", []) if w.startswith("'nonce-")}


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)


def inline_script_nonces(html):
    """The nonce attribute of every <script> without src (None where missing)."""
    found = []
    for attrs in SCRIPT_TAG.findall(html):
        if re.search(r"\ssrc\s*=", " " + attrs):
            continue
        if re.search(r"type\s*=\s*[\"']application/(ld\+)?json", attrs):
            continue  # a data block, never executed
        match = re.search(r"nonce\s*=\s*[\"']([^\"']+)", attrs)
        found.append(match[1] if match else None)
    return found


@pytest.fixture
def public(county):
    news = column(county, "ywdt")
    article = make_article(news, "修水县召开常务会议")
    return {
        "home": "/",
        "column": news.url,
        "article": article.url,
        "search": "/search/?q=修水",
        "ysqgk": "/ysqgk/",
    }


def get(client, url):
    response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200, (url, response.status_code)
    return response


# --------------------------------------------------------------------------- public pages

STRICT = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "report-uri": ["/csp-report/"],
}


@pytest.mark.parametrize("page", ["home", "column", "article", "search", "ysqgk"])
def test_public_pages_have_the_strict_policy(client, public, page):
    directives = policy(get(client, public[page]))
    for name, value in STRICT.items():
        assert directives.get(name) == value, (page, name, directives.get(name))
    script_src = directives["script-src"]
    assert script_src[0] == "'self'"
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert all(w == "'self'" or w.startswith("'nonce-") for w in script_src), script_src


@pytest.mark.parametrize("page", ["home", "column", "article", "search", "ysqgk"])
def test_public_pages_hold_nothing_inline_the_policy_would_block(client, public, page):
    response = get(client, public[page])
    html = response.content.decode()
    nonces = header_nonces(policy(response))
    for nonce in inline_script_nonces(html):
        assert nonce is not None and nonce in nonces, f"{page}: inline <script> without the header's nonce"
    assert not EVENT_HANDLER.search(html), f"{page}: inline event handler"
    assert not STYLE_ATTRIBUTE.search(html), f"{page}: style attribute (style-src is 'self' only)"
    assert "<style" not in html.lower(), f"{page}: <style> element"
    assert "javascript:" not in html.lower()


def test_theme_scripts_are_static_files(client, public):
    html = get(client, public["home"]).content.decode()
    # The larger-text switch runs before first paint: a blocking script in <head>, not inline.
    head = html[: html.index("</head>")]
    assert re.search(r'<script src="/static/themes/large-text\.js"></script>', head)
    assert inline_script_nonces(html) == []
    for name in ("themes/large-text.js", "themes/site.js", "themes/error.css"):
        assert finders.find(name), name


def test_a_cached_page_keeps_its_header(client, public):
    first = get(client, public["article"])
    second = get(client, public["article"])
    assert second.get("X-Page-Cache") == "hit"
    assert second[CSP] == first[CSP]


def test_an_inline_script_nonce_matches_the_header_and_is_fresh(client, db):
    seen = set()
    for _ in range(2):
        response = client.get("/test-csp/nonce/", HTTP_HOST=HOST)
        nonces = header_nonces(policy(response))
        assert len(nonces) == 1
        (nonce,) = nonces
        assert inline_script_nonces(response.content.decode()) == [nonce]
        assert len(nonce) >= 16
        seen.add(nonce)
    assert len(seen) == 2, "each response needs its own nonce"


def test_the_server_error_page_has_the_policy_and_no_inline_style(county):
    client = Client(raise_request_exception=False)
    response = client.get("/test-csp/boom/", HTTP_HOST=HOST)
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务暂时不可用" in html
    assert "<style" not in html and not STYLE_ATTRIBUTE.search(html)
    assert '<link rel="stylesheet" href="/static/themes/error.css">' in html
    assert policy(response)["style-src"] == ["'self'"]


# --------------------------------------------------------------------------- admin pages

@pytest.fixture
def office(db):
    return make_user("csp_office", groups=[ensure_office_group()])


@pytest.fixture
def editor(county):
    return make_user("csp_editor", county, "editor")


@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", "/admin/security/csp-reports/"])
def test_admin_pages_have_the_admin_policy(client, office, url):
    client.force_login(office)
    response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200
    directives = policy(response)
    for name in ("default-src", "object-src", "base-uri", "frame-ancestors", "form-action", "report-uri"):
        assert directives[name] == STRICT[name], name
    # Wagtail 8's inline scripts (widgets, choosers, panels) and Draftail's <style>
    # elements: see settings/csp.py. No nonce, or browsers would ignore 'unsafe-inline'.
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert not header_nonces(directives)
    assert "'unsafe-eval'" not in response[CSP]


def test_admin_allowances_stay_out_of_public_pages(client, public, office):
    client.force_login(office)  # signed in: the same public policy, only the path decides
    directives = policy(get(client, public["article"]))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["style-src"] == ["'self'"]


# --------------------------------------------------------------------------- the report endpoint

REPORT_URL = "/csp-report/"


def csp_report(**fields):
    body = {
        "document-uri": "http://xiushui.localhost/ywdt/",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'; report-uri /csp-report/",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "source-file": "http://xiushui.localhost/ywdt/",
        "line-number": 12,
        "column-number": 3,
        "status-code": 200,
    }
    body.update(fields)
    return json.dumps({"csp-report": body})


def post(client, body, content_type="application/csp-report", address="203.0.113.7", **extra):
    return client.post(REPORT_URL, body, content_type=content_type, HTTP_HOST=HOST, REMOTE_ADDR=address,
                       HTTP_USER_AGENT="Mozilla/5.0 (测试)", **extra)


@pytest.fixture
def reporter(db):
    # Browsers post without a CSRF token; the endpoint must take that.
    return Client(enforce_csrf_checks=True)


def test_report_uri_format_is_stored(reporter):
    response = post(reporter, csp_report())
    assert response.status_code == 204
    report = CspReport.objects.get()
    assert report.document_uri == "http://xiushui.localhost/ywdt/"
    assert report.violated_directive == "script-src-elem"
    assert report.blocked_uri == "inline"
    assert report.source_file == "http://xiushui.localhost/ywdt/"
    assert report.line_number == 12
    assert report.user_agent == "Mozilla/5.0 (测试)"
    assert report.raw["original-policy"].startswith("default-src")


def test_reporting_api_format_is_stored(reporter):
    body = json.dumps([
        {"type": "csp-violation", "age": 10, "url": "https://xiushui.example/a/", "user_agent": "Chrome/140",
         "body": {"documentURL": "https://xiushui.example/a/", "effectiveDirective": "img-src",
                  "blockedURL": "https://tracker.example/p.gif", "sourceFile": None, "lineNumber": None,
                  "disposition": "enforce", "originalPolicy": "img-src 'self'"}},
        {"type": "deprecation", "url": "https://xiushui.example/a/", "body": {"id": "x"}},
        {"type": "csp-violation", "url": "https://xiushui.example/b/",
         "body": {"effectiveDirective": "style-src-attr", "blockedURL": "inline", "lineNumber": "7"}},
    ])
    response = post(reporter, body, content_type="application/reports+json")
    assert response.status_code == 204
    first, second = CspReport.objects.order_by("pk")
    assert (first.violated_directive, first.blocked_uri, first.user_agent) == (
        "img-src", "https://tracker.example/p.gif", "Chrome/140")
    assert first.line_number is None and first.source_file == ""
    assert (second.document_uri, second.violated_directive, second.line_number) == (
        "https://xiushui.example/b/", "style-src-attr", 7)
    assert second.user_agent == "Mozilla/5.0 (测试)"  # no user_agent in the report: the request's


def test_only_post(reporter):
    assert reporter.get(REPORT_URL, HTTP_HOST=HOST).status_code == 405
    assert reporter.put(REPORT_URL, csp_report(), content_type="application/csp-report",
                        HTTP_HOST=HOST).status_code == 405
    assert not CspReport.objects.exists()


@pytest.mark.parametrize("body, content_type, status", [
    (b"  ", "application/csp-report", 400),
    (b"not json at all", "application/csp-report", 400),
    (b"\xff\xfe\x00garbage", "application/csp-report", 400),
    (b'{"csp-report": "a string"}', "application/csp-report", 400),
    (b'{"something": {"else": 1}}', "application/json", 400),
    (b"[1, 2, 3]", "application/reports+json", 400),
    (b'[{"type": "csp-violation", "body": []}]', "application/reports+json", 400),
    (b'{"csp-report": {"line-number": NaN}}', "application/csp-report", 400),
    (b"[" * 5000 + b"]" * 5000, "application/reports+json", 400),
    (b"null", "application/csp-report", 400),
    (csp_report().encode(), "text/plain", 415),
    (csp_report().encode(), "application/x-www-form-urlencoded", 415),
])
def test_garbage_is_refused_cleanly(reporter, body, content_type, status):
    response = post(reporter, body, content_type=content_type)
    assert response.status_code == status
    assert not CspReport.objects.exists()


def test_hostile_values_are_cleaned_not_500(reporter):
    body = csp_report(**{
        "document-uri": "http://x/\u0000" + "a" * 5000,
        "violated-directive": {"nested": ["object"]},
        "effective-directive": None,
        "blocked-uri": "\ud800lone surrogate",
        "source-file": 12345,
        "line-number": -4,
        "extra": {"deep": [[[[[[[[[[[["too deep"]]]]]]]]]]]]},
    })
    response = post(reporter, body)
    assert response.status_code == 204
    report = CspReport.objects.get()
    assert len(report.document_uri) == 1000 and "\x00" not in report.document_uri
    assert report.violated_directive == ""
    assert report.blocked_uri.endswith("lone surrogate") and "\ud800" not in report.blocked_uri
    assert report.source_file == "12345"
    assert report.line_number is None
    json.dumps(report.raw)  # stored as valid JSON


def test_oversized_bodies_are_refused_unstored(reporter, settings):
    padding = "x" * (settings.CSP_REPORT_MAX_BYTES + 1)
    response = post(reporter, csp_report(**{"script-sample": padding}))
    assert response.status_code == 413
    # A body claiming a huge length is refused before anything is read.
    response = post(reporter, csp_report(), CONTENT_LENGTH=str(10 * 1024 * 1024))
    assert response.status_code == 413
    assert not CspReport.objects.exists()
    # Just under the limit is fine.
    fits = csp_report(**{"script-sample": ""})
    fits = csp_report(**{"script-sample": "x" * (settings.CSP_REPORT_MAX_BYTES - len(fits))})
    assert len(fits.encode()) == settings.CSP_REPORT_MAX_BYTES
    assert post(reporter, fits).status_code == 204


def test_floods_are_throttled_per_address(reporter, settings, monkeypatch):
    settings.CSP_REPORT_PER_ADDRESS_PER_MINUTE = 3
    monkeypatch.setattr(csp_views, "_minute", lambda: 1_000_000)
    statuses = [post(reporter, csp_report()).status_code for _ in range(6)]
    assert statuses == [204, 204, 204, 429, 429, 429]
    assert CspReport.objects.count() == 3
    # Another address still gets through; and so does this one the next minute.
    assert post(reporter, csp_report(), address="198.51.100.9").status_code == 204
    monkeypatch.setattr(csp_views, "_minute", lambda: 1_000_001)
    assert post(reporter, csp_report()).status_code == 204
    assert CspReport.objects.count() == 5


def test_a_batch_counts_report_by_report(reporter, settings, monkeypatch):
    settings.CSP_REPORT_PER_ADDRESS_PER_MINUTE = 2
    monkeypatch.setattr(csp_views, "_minute", lambda: 1_000_000)
    batch = json.dumps([{"type": "csp-violation", "url": f"https://x/{i}/", "body": {"effectiveDirective": "img-src"}}
                        for i in range(5)])
    assert post(reporter, batch, content_type="application/reports+json").status_code == 204
    assert CspReport.objects.count() == 2
    assert post(reporter, batch, content_type="application/reports+json").status_code == 429
    assert CspReport.objects.count() == 2


def test_floods_are_throttled_overall(reporter, settings, monkeypatch):
    settings.CSP_REPORT_PER_MINUTE = 4
    monkeypatch.setattr(csp_views, "_minute", lambda: 1_000_000)
    statuses = [post(reporter, csp_report(), address=f"192.0.2.{i}").status_code for i in range(6)]
    assert statuses == [204, 204, 204, 204, 429, 429]
    assert CspReport.objects.count() == 4


def test_old_reports_are_pruned(reporter, settings):
    import datetime

    from django.utils import timezone

    old = CspReport.objects.create(violated_directive="img-src")
    CspReport.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=settings.CSP_REPORT_KEEP_DAYS + 1))
    recent = CspReport.objects.create(violated_directive="font-src")
    assert post(reporter, csp_report()).status_code == 204
    assert not CspReport.objects.filter(pk=old.pk).exists()
    assert CspReport.objects.filter(pk=recent.pk).exists()


# --------------------------------------------------------------------------- the list of reports

LIST_URL = "/admin/security/csp-reports/"


def test_list_url_name():
    assert reverse("security_csp_reports") == LIST_URL
    assert reverse("csp_report") == REPORT_URL == django_settings.CSP_REPORT_PATH


@pytest.fixture
def some_reports(db):
    for i in range(3):
        CspReport.objects.create(violated_directive="script-src-elem", blocked_uri="inline",
                                 document_uri=f"http://xiushui.localhost/{i}/", raw={"n": i})
    CspReport.objects.create(violated_directive="img-src", blocked_uri="https://tracker.example/p.gif",
                             document_uri="http://xiushui.localhost/latest/", raw={"note": "最新"})


def test_office_sees_the_reports_newest_first_with_counts(client, office, some_reports):
    client.force_login(office)
    response = client.get(LIST_URL, HTTP_HOST=HOST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "CSP 违规报告" in html
    rows = list(response.context["page_obj"])
    assert rows[0].document_uri == "http://xiushui.localhost/latest/"
    assert [r.pk for r in rows] == sorted((r.pk for r in rows), reverse=True)
    by_directive = {g["violated_directive"]: g["n"] for g in response.context["by_directive"]}
    assert by_directive == {"script-src-elem": 3, "img-src": 1}
    assert "https://tracker.example/p.gif" in html and "最新" in html


def test_grouped_counts_cover_recent_days_only(client, office, some_reports):
    import datetime

    from django.utils import timezone

    old = CspReport.objects.create(violated_directive="font-src", blocked_uri="https://fonts.example/x.woff")
    CspReport.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=csp_views.GROUP_DAYS + 1))
    client.force_login(office)
    response = client.get(LIST_URL, HTTP_HOST=HOST)
    assert "font-src" not in {g["violated_directive"] for g in response.context["by_directive"]}
    assert old.pk in {r.pk for r in response.context["page_obj"]}  # still listed
    assert response.context["total"] == 5


def test_superuser_sees_the_reports(client, some_reports):
    client.force_login(make_user("csp_root", superuser=True))
    assert client.get(LIST_URL, HTTP_HOST=HOST).status_code == 200


def test_list_filters_and_pages(client, office, some_reports):
    CspReport.objects.bulk_create(
        CspReport(violated_directive="style-src-attr", blocked_uri="inline") for _ in range(csp_views.PAGE_SIZE + 5)
    )
    client.force_login(office)
    response = client.get(LIST_URL, {"directive": "img-src"}, HTTP_HOST=HOST)
    assert [r.violated_directive for r in response.context["page_obj"]] == ["img-src"]
    response = client.get(LIST_URL, {"directive": "style-src-attr", "page": 2}, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 5
    assert response.context["page_obj"].paginator.count == csp_views.PAGE_SIZE + 5
    assert "directive=style-src-attr&amp;page=1" in response.content.decode()


def test_site_editor_is_refused(client, editor, some_reports):
    client.force_login(editor)
    assert refused(client.get(LIST_URL, HTTP_HOST=HOST))


def test_anonymous_is_sent_to_sign_in(client, some_reports):
    response = client.get(LIST_URL, HTTP_HOST=HOST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_security_admin_reads_the_reports_and_the_auditor_does_not(client, some_reports):
    from sitegroup.security.separation import ensure_security_groups

    groups = ensure_security_groups()
    client.force_login(make_user("csp_sec", groups=[groups["安全管理员"]]))
    assert client.get(LIST_URL, HTTP_HOST=HOST).status_code == 200
    client.force_login(make_user("csp_aud", groups=[groups["安全审计员"]]))
    assert refused(client.get(LIST_URL, HTTP_HOST=HOST))
