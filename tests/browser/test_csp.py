"""Content-Security-Policy in a real browser: the public pages of a site load
without a single violation and the theme's scripts still work; a violation is
reported to /csp-report/ and stored; Wagtail's admin works under its policy.

Violations are caught as the browser sees them: a ``securitypolicyviolation``
listener installed before any page script (an init script, in every frame)
and the console messages Chromium writes for blocked content.
"""

import pathlib
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import (
    column,
    ensure_wagtail_tree,
    make_article,
    make_image,
    make_site,
    make_user,
    png_bytes,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push({directive: e.effectiveDirective, blocked: e.blockedURI,
                               source: e.sourceFile, line: e.lineNumber, page: e.documentURI});
});
document.addEventListener("DOMContentLoaded", () => {
  window.__largeTextAtReady = document.documentElement.classList.contains("large-text");
});
"""


@pytest.fixture
def site(live_server):
    from tests.interaction.conftest import make_channel

    ensure_wagtail_tree()  # earlier transactional tests flush migration data
    port = int(live_server.url.rsplit(":", 1)[1])
    county = make_site("county", hostname="xiushui.localhost", port=port)
    news = column(county, "ywdt")
    article = make_article(news, "修水县召开常务会议", body="修水县人民政府召开常务会议，研究部署近期工作。")
    channel = make_channel(county)
    return {
        "profile": county, "base": f"http://xiushui.localhost:{port}", "column": news, "article": article,
        "channel": channel,
    }


class Watched:
    """A browser tab that remembers every CSP violation and console complaint."""

    def __init__(self, context):
        context.add_init_script(WATCH)
        self.tab = context.new_page()
        self.console = []
        self.errors = []
        self.tab.on("console", self._console)
        self.tab.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def violations(self):
        found = []
        for frame in self.tab.frames:
            try:
                found += frame.evaluate("() => window.__cspViolations || []")
            except Exception:  # noqa: BLE001 - a frame that went away has nothing to tell
                pass
        return found

    def visit(self, url):
        response = self.tab.goto(url, wait_until="load")
        assert response is not None and response.status == 200, (url, response and response.status)
        return response

    def assert_clean(self, where):
        assert not self.violations(), f"{where}: {self.violations()}"
        assert not self.console, f"{where}: {self.console}"
        assert not self.errors, f"{where}: {self.errors}"


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield Watched(context)
    context.close()


def test_public_pages_load_without_violations(watched, site):
    base = site["base"]
    pages = {
        "home": "/",
        "column": site["column"].url,
        "article": site["article"].url,
        "search": "/search/?q=" + "修水",
        "ysqgk": "/ysqgk/",
        "ysqgk query": "/ysqgk/query/",
        "letter form": site["channel"].url + "write/",
        "letter list": site["channel"].url,
        "not found": None,
    }
    for name, path in pages.items():
        if path is None:
            response = watched.tab.goto(base + "/no-such-page/")
            assert response.status == 404
        else:
            response = watched.visit(base + path)
        header = response.header_value("content-security-policy")
        assert header and "'unsafe-inline'" not in header, (name, header)
        watched.tab.wait_for_timeout(100)  # late violations (deferred scripts) are events too
        watched.assert_clean(name)
    # The forms' image challenge is an <img> from this origin and loads.
    watched.visit(base + site["channel"].url + "write/")
    assert watched.tab.eval_on_selector("img.captcha", "img => img.complete && img.naturalWidth > 0")
    watched.assert_clean("captcha")


def test_theme_scripts_still_work(watched, site):
    tab = watched.tab
    article = site["base"] + site["article"].url
    watched.visit(article)
    assert tab.evaluate("() => window.__largeTextAtReady") is False
    size = lambda: tab.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")  # noqa: E731
    before = size()
    tab.click("#text-size-toggle")  # site.js
    assert tab.get_attribute("#text-size-toggle", "aria-pressed") == "true"
    assert size() > before
    # The next page applies it before first paint: large-text.js, a blocking script in <head>.
    watched.visit(site["base"] + "/")
    assert tab.evaluate("() => window.__largeTextAtReady") is True
    assert tab.get_attribute("#text-size-toggle", "aria-pressed") == "true"
    assert tab.inner_text("#text-size-toggle") == "标准字号"
    tab.click("#text-size-toggle")
    watched.visit(article)
    assert tab.evaluate("() => window.__largeTextAtReady") is False

    # Search suggestions (search/suggest.js) fetch from this origin: connect-src 'self'.
    watched.visit(site["base"] + "/search/?q=" + "修水")
    with tab.expect_response(re.compile(r"/search/suggest/\?q=")) as suggested:
        tab.fill("#search-q", "修水县")
    assert suggested.value.status == 200
    tab.wait_for_timeout(300)
    watched.assert_clean("theme scripts")


def test_a_violation_is_reported_and_stored(watched, site):
    from sitegroup.security.models import CspReport

    watched.visit(site["base"] + site["article"].url)
    # What an injected inline script would do: blocked, reported, stored.
    watched.tab.evaluate("""() => {
        const s = document.createElement("script");
        s.textContent = "window.__injected = true;";
        document.body.appendChild(s);
    }""")
    assert watched.tab.evaluate("() => window.__injected === true") is False
    assert [v["directive"] for v in watched.violations()] == ["script-src-elem"]
    for _ in range(50):
        if CspReport.objects.exists():
            break
        watched.tab.wait_for_timeout(100)
    report = CspReport.objects.get()
    assert report.violated_directive == "script-src-elem"
    assert report.blocked_uri == "inline"
    assert report.document_uri.endswith(site["article"].url)
    assert "Chrom" in report.user_agent


def test_admin_works_under_its_policy(browser, site, tmp_path):
    """Signed in as a superuser: the dashboard, the page editor with a chooser
    and the checks panel, the multiple image uploader and the CSP report list
    raise no violation. (Chromium under a strict policy, page by page, found
    what settings/csp.py lists; this keeps a Wagtail upgrade honest.)"""
    base = site["base"]
    make_image(site["profile"].collection, title="修水风光")
    client = Client()
    client.force_login(make_user("csp_root", superuser=True))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies([{
        "name": django_settings.SESSION_COOKIE_NAME,
        "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": base,
    }])
    watched = Watched(context)
    tab = watched.tab
    try:
        response = watched.visit(base + "/admin/")
        assert "'unsafe-inline'" in response.header_value("content-security-policy")  # the admin's policy
        watched.assert_clean("dashboard")

        watched.visit(base + f"/admin/pages/{site['article'].pk}/edit/")
        tab.locator("[data-chooser-action-choose]").first.click()  # 封面图片: a chooser modal
        tab.locator(".modal-content").get_by_text("修水风光").first.wait_for()
        tab.locator(".modal-content").get_by_text("修水风光").first.click()
        tab.locator(".modal-content").wait_for(state="detached")
        tab.locator("[data-side-panel-toggle='checks']").click()  # runs axe in the preview
        tab.wait_for_timeout(1500)
        watched.assert_clean("page editor")

        upload = tmp_path / "upload.png"
        upload.write_bytes(png_bytes((300, 200)))
        watched.visit(base + "/admin/images/multiple/add/")
        tab.set_input_files("input[type=file]", str(pathlib.Path(upload)))
        tab.locator("#upload-list li").first.wait_for()
        tab.wait_for_timeout(1000)
        watched.assert_clean("image upload")

        watched.visit(base + "/admin/security/csp-reports/")
        watched.assert_clean("CSP reports")
    finally:
        context.close()
