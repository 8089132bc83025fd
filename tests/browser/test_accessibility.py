"""Each theme's home, column and article pages in a real browser."""

import pytest
from wagtail.models import Page

from tests.browser.conftest import run_axe
from tests.factories import (
    column,
    ensure_wagtail_tree,
    make_article,
    make_document,
    make_image,
    make_site,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THEMES = {"portal": "jiujiang", "county": "xiushui", "department": "jyj"}


@pytest.fixture
def group(live_server):
    port = int(live_server.url.rsplit(":", 1)[1])
    ensure_wagtail_tree()  # earlier transactional tests flush migration data
    urls = {}
    for kind, code in THEMES.items():
        hostname = f"{code}.localhost"
        profile = make_site(kind, hostname=hostname, port=port)
        news = column(profile, "ywdt")
        image = make_image(profile.collection, "会议现场", description="工作会议现场照片")
        for n in range(3):
            make_article(news, f"{profile.name}政务动态第{n + 1}篇", body="政府网站集约化建设稳步推进。")
        article = make_article(
            news, f"{profile.name}召开政府网站工作会议", publish=False,
            source=profile.organiser,
        )
        article.body = [
            ("heading", "会议要求"),
            ("paragraph", "<p>落实值班读网和网站备案制度。</p>"),
            ("image", {"image": image, "alt": "会议现场，工作人员正在发言", "caption": "会议现场"}),
        ]
        article.attachments.create(document=make_document(profile.collection, "会议纪要"))
        article.save_revision().publish()
        article = Page.objects.get(pk=article.pk)
        base = f"http://{hostname}:{port}"
        urls[kind] = {"home": f"{base}/", "column": f"{base}/ywdt/", "article": f"{base}/ywdt/{article.slug}/"}
    return urls


def test_no_serious_axe_violations_in_any_theme(page, group):
    failures = {}
    for kind, pages in group.items():
        for name, url in pages.items():
            response = page.goto(url)
            assert response.status == 200, (url, response.status)
            violations = run_axe(page)
            if violations:
                failures[f"{kind}/{name}"] = violations
            assert page.locator("h1").count() == 1, f"{url} must have exactly one h1"
            levels = page.eval_on_selector_all("h1,h2,h3,h4,h5,h6", "els => els.map(e => +e.tagName[1])")
            assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (url, levels)
            for label in ("主办单位", "承办单位", "联系方式", "网站标识码", "ICP备案号", "公安机关备案号"):
                assert page.locator("footer").get_by_text(label, exact=False).count() >= 1, (url, label)
            assert page.eval_on_selector_all("img", "imgs => imgs.filter(i => !i.hasAttribute('alt')).length") == 0
    assert not failures, "\n".join(f"{where}: {v}" for where, v in failures.items())


def test_skip_link_and_visible_focus(page, group):
    page.goto(group["county"]["article"])
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert "skip-link" in focused
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_larger_text_mode_persists(page, group):
    page.goto(group["portal"]["home"])
    size = lambda: page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")  # noqa: E731
    before = size()
    page.click("#text-size-toggle")
    after = size()
    assert after >= before * 1.2
    assert page.get_attribute("#text-size-toggle", "aria-pressed") == "true"
    page.goto(group["portal"]["column"])
    assert size() == after


def test_mobile_width_has_no_horizontal_scroll(browser, group):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    tab = context.new_page()
    try:
        for pages in group.values():
            for url in pages.values():
                tab.goto(url)
                overflow = tab.evaluate(
                    "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, (url, overflow)
                assert tab.locator("nav.site-nav a").first.is_visible()
    finally:
        context.close()


def test_error_page_is_accessible(page, group):
    response = page.goto(group["county"]["home"] + "no-such-page/")
    assert response.status == 404
    assert not run_axe(page)
    assert page.locator("h1").count() == 1
