"""政府信息公开 in a real browser: a citizen applies at /ysqgk/ and follows the application,
with and without JavaScript; axe-core, phone width and form references on every public page.

Same standard as test_interaction_accessibility.py: axe-core's default rules, failing on
violations of serious or critical impact; at phone width (375 px) each page must also fit
the screen without horizontal scrolling.
"""

import datetime
import re

import pytest

from tests.browser.conftest import run_axe
from tests.factories import ensure_wagtail_tree, make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True},
}
NAME = "王小明"
MASKED_NAME = "王**"
VALID_ID = "360421199001011235"  # check digit valid (GB 11643)
WRONG_ID = "36042119900101123X"  # same number, wrong check digit
PHONE = "13907920000"
EMAIL = "wxm@example.com"
ADDRESS = "九江市濂溪区长虹大道 1 号"
DESCRIPTION = "申请公开2025年修水县城区道路改造项目的立项批复文件。"
HINT = "修发改字〔2025〕12号"
PURPOSE = "了解本小区周边道路改造安排"


@pytest.fixture
def site(live_server):
    ensure_wagtail_tree()  # earlier transactional tests flush migration data
    port = int(live_server.url.rsplit(":", 1)[1])
    county = make_site("county", hostname="xiushui.localhost", port=port)
    return {"profile": county, "base": f"http://xiushui.localhost:{port}"}


@pytest.fixture(params=list(VIEWPORTS))
def tab(request, browser):
    context = browser.new_context(locale="zh-CN", **VIEWPORTS[request.param])
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


def label(text):
    # Labels read "证件号码 *"; anchoring keeps 联系电话 from matching another label by substring.
    return re.compile(rf"^\s*{re.escape(text)}")


def answer(page):
    from captcha.models import CaptchaStore

    key = page.locator("input[name=captcha_0]").get_attribute("value")
    return CaptchaStore.objects.get(hashkey=key).response


def fill_application(page, *, id_number=VALID_ID, captcha=None):
    """Fill 政府信息公开申请 as a citizen would, every field found by its visible label."""
    page.get_by_label(label("申请人类型")).select_option(label="自然人")
    page.get_by_label(label("申请人姓名或单位名称")).fill(NAME)
    page.get_by_label(label("证件类型")).select_option(label="居民身份证")
    page.get_by_label(label("证件号码")).fill(id_number)
    page.get_by_label(label("联系电话")).fill(PHONE)
    page.get_by_label(label("电子邮箱")).fill(EMAIL)
    page.get_by_label(label("通信地址")).fill(ADDRESS)
    page.get_by_label(label("所需政府信息的内容描述")).fill(DESCRIPTION)
    page.get_by_label(label("文件名称、文号或其他特征")).fill(HINT)
    page.get_by_label(label("用途")).fill(PURPOSE)
    page.get_by_label(label("获取信息的方式")).select_option(label="电子邮件")
    page.get_by_label(label("验证码")).fill(captcha if captcha is not None else answer(page))


def submit(page, button="提交申请"):
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    return navigation.value.status


def query(page, base, code, phone=PHONE):
    page.goto(base + "/ysqgk/query/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label(label("申请时填写的联系电话")).fill(phone)
    return submit(page, "查询")


def apply_and_follow(page, base, profile):
    from sites.disclosure.models import Application

    response = page.goto(base + "/ysqgk/")
    assert response.status == 200
    assert page.locator("h1").inner_text().strip() == "政府信息公开申请"

    # A wrong ID number and a wrong captcha: Chinese errors, what was typed kept, a new challenge.
    first_key = page.locator("input[name=captcha_0]").get_attribute("value")
    fill_application(page, id_number=WRONG_ID, captcha="WRONG")
    assert submit(page) == 400
    form = page.locator(".message-form")
    errors = form.locator(".field-error").all_inner_texts()
    assert any("居民身份证号码不正确" in e for e in errors), errors
    assert any("验证码不正确" in e for e in errors), errors
    assert "提交未成功" in page.locator(".form-errors").inner_text()
    assert page.get_by_label(label("申请人类型")).input_value() == "natural"
    assert page.get_by_label(label("申请人姓名或单位名称")).input_value() == NAME
    assert page.get_by_label(label("证件类型")).input_value() == "resident"
    assert page.get_by_label(label("证件号码")).input_value() == WRONG_ID
    assert page.get_by_label(label("联系电话")).input_value() == PHONE
    assert page.get_by_label(label("电子邮箱")).input_value() == EMAIL
    assert page.get_by_label(label("通信地址")).input_value() == ADDRESS
    assert page.get_by_label(label("所需政府信息的内容描述")).input_value() == DESCRIPTION
    assert page.get_by_label(label("文件名称、文号或其他特征")).input_value() == HINT
    assert page.get_by_label(label("用途")).input_value() == PURPOSE
    assert page.get_by_label(label("获取信息的方式")).input_value() == "email"
    assert page.locator("input[name=captcha_0]").get_attribute("value") != first_key
    assert not Application.objects.exists()

    # Corrected, the application goes in and the page gives the 查询码.
    page.get_by_label(label("证件号码")).fill(VALID_ID)
    page.get_by_label(label("验证码")).fill(answer(page))
    assert submit(page) == 200
    assert page.locator("h1").inner_text().strip() == "申请已提交"
    code = page.locator("#query-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{12}", code), code
    assert VALID_ID not in page.content()

    application = Application.objects.get(code=code)
    assert application.site == profile and application.received_site == profile
    assert (application.applicant_kind, application.name, application.id_type, application.id_number) == (
        "natural", NAME, "resident", VALID_ID)
    assert (application.phone, application.email, application.postal_address) == (PHONE, EMAIL, ADDRESS)
    assert (application.description, application.document_hint, application.purpose) == (
        DESCRIPTION, HINT, PURPOSE)
    assert application.delivery == "email" and application.contact == ""
    assert application.status == "received"
    assert application.limit_days == 20 and application.due_on is not None

    # Following it by code and phone shows the state, the name masked, never the full ID number.
    assert query(page, base, code) == 200
    assert page.locator("#application-state").inner_text().strip() == "已收到"
    status = page.locator(".message-status")
    assert code in status.locator("h2").inner_text()
    status_text = status.inner_text()
    assert MASKED_NAME in status_text and NAME not in status_text
    assert DESCRIPTION in status_text
    body = page.locator("body").inner_text()
    assert NAME not in body and VALID_ID not in body
    assert VALID_ID not in page.content()  # nor in the markup (attributes, hidden text)
    shown_id = status.locator("dt", has_text="证件号码").locator("xpath=following-sibling::dd").inner_text().strip()
    assert shown_id and "*" in shown_id and shown_id != VALID_ID, shown_id
    return application


def test_citizen_applies_and_follows_the_application(page, site):
    apply_and_follow(page, site["base"], site["profile"])


def test_application_works_without_javascript(browser, site):
    # Same as the page fixture's context, with scripts off: the form is plain HTML.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        assert page.evaluate("() => 1") == 1  # evaluate still works; page scripts do not run
        apply_and_follow(page, site["base"], site["profile"])
    finally:
        context.close()


# --- accessibility -----------------------------------------------------------------


def axe_details(page):
    """The serious and critical violations with every node's HTML, for a readable failure."""
    return page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                                          summary: n.failureSummary}))}));
        }"""
    )


def overflow(page):
    """How far the page scrolls sideways, and the outermost elements that stick out past the viewport.

    With mobile emulation Chromium widens the layout viewport (and innerWidth) to fit
    content that is too wide, so the width is measured against the root element's
    client width, which stays at 375.
    """
    return page.evaluate(
        """() => {
            const width = Math.min(window.innerWidth, document.documentElement.clientWidth);
            const extra = document.scrollingElement.scrollWidth - width;
            const wide = [...document.body.querySelectorAll('*')].filter(e => {
                const box = e.getBoundingClientRect();
                return box.width && box.right > width + 0.5;
            });
            const outermost = wide.filter(e => !wide.includes(e.parentElement)).slice(0, 5).map(e => {
                const box = e.getBoundingClientRect();
                return {html: e.outerHTML.slice(0, 200), left: Math.round(box.left), right: Math.round(box.right)};
            });
            return {extra, width, innerWidth: window.innerWidth, elements: outermost};
        }"""
    )


def audit(page, where, failures):
    """axe at this viewport and, at phone width, no horizontal scrolling; problems go to failures."""
    where = f"{where} [{page.viewport_name}]"
    if run_axe(page):
        failures.append(f"{where} {page.url}: axe {axe_details(page)}")
    if page.viewport_name == "phone":
        result = overflow(page)
        if result["extra"] > 0:
            failures.append(f"{where} {page.url}: scrolls sideways {result}")
    assert page.locator("h1").count() == 1, f"{where} must have exactly one h1"


def report(failures):
    assert not failures, "\n".join(failures)


def submit_with_errors(page):
    fill_application(page, id_number=WRONG_ID, captcha="WRONG")
    assert submit(page) == 400
    errors = page.locator(".message-form .field-error").all_inner_texts()
    assert any("居民身份证号码不正确" in e for e in errors) and any("验证码不正确" in e for e in errors), errors


def make_entries(profile):
    """A few catalogue entries, one repealed by its successor, and an annual report."""
    from tests.disclosure.test_catalogue import entry

    new = entry(profile, "修水县城区道路改造管理办法", genre="normative", topic="政策法规",
                document_number="修府发〔2026〕3号")
    entry(profile, "修水县城区道路管理暂行办法", genre="normative", topic="政策法规", validity="repealed",
          replaced_by=new, written=datetime.date(2024, 5, 1), document_number="修府发〔2024〕7号")
    entry(profile, "关于2026年春季农业生产的通知", genre="notice")
    entry(profile, "修水县2025年政府信息公开工作年度报告", genre="report", written=datetime.date(2026, 1, 20))


def test_application_form_empty_and_with_errors(tab, site):
    failures = []
    response = tab.goto(site["base"] + "/ysqgk/")
    assert response.status == 200
    audit(tab, "依申请公开（空表单）", failures)
    submit_with_errors(tab)
    assert tab.locator(".form-errors").is_visible()
    audit(tab, "依申请公开（有错误提示）", failures)
    report(failures)


def test_applied_and_query_result_pages(tab, site):
    failures = []
    tab.goto(site["base"] + "/ysqgk/")
    fill_application(tab)
    assert submit(tab) == 200
    code = tab.locator("#query-code").inner_text().strip()
    audit(tab, "申请已提交", failures)
    tab.goto(site["base"] + "/ysqgk/query/")
    audit(tab, "依申请公开查询", failures)
    assert query(tab, site["base"], code) == 200
    assert tab.locator("#application-state").inner_text().strip() == "已收到"
    audit(tab, "依申请公开查询结果", failures)
    assert query(tab, site["base"], code, phone="13900000000") == 404
    assert "查询码或联系电话不正确" in tab.locator(".form-errors").inner_text()
    audit(tab, "依申请公开查询（未找到）", failures)
    report(failures)


def test_catalogue_guide_and_reports(tab, site):
    make_entries(site["profile"])
    failures = []
    response = tab.goto(site["base"] + "/gkml/")
    assert response.status == 200
    rows = tab.locator("table.catalogue tbody tr")
    assert rows.count() == 4
    repealed = rows.filter(has_text="修水县城区道路管理暂行办法")
    assert repealed.locator(".tag").inner_text().strip() == "已废止"
    audit(tab, "政府信息公开目录", failures)
    response = tab.goto(site["base"] + "/gkml/?validity=repealed")
    assert response.status == 200 and tab.locator("table.catalogue tbody tr").count() == 1
    audit(tab, "政府信息公开目录（筛选）", failures)
    response = tab.goto(site["base"] + "/gkzn/")
    assert response.status == 200
    assert "政府信息公开指南" in tab.locator("h1").inner_text()
    audit(tab, "政府信息公开指南", failures)
    response = tab.goto(site["base"] + "/gknb/")
    assert response.status == 200
    assert tab.locator(".article-list a", has_text="修水县2025年政府信息公开工作年度报告").count() == 1
    audit(tab, "政府信息公开年报", failures)
    report(failures)


def test_no_horizontal_scroll_at_375px(browser, site):
    make_entries(site["profile"])
    context = browser.new_context(locale="zh-CN", **VIEWPORTS["phone"])
    page = context.new_page()
    base = site["base"]
    wide = []

    def check(where):
        result = overflow(page)
        # innerWidth grows past 375 when mobile emulation zooms out to fit a too-wide page.
        fits = page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth && innerWidth === 375")
        if not fits or result["extra"] > 0:
            wide.append(f"{where} {page.url}: {result}")

    try:
        page.goto(base + "/ysqgk/")
        check("依申请公开")
        submit_with_errors(page)
        check("依申请公开（有错误提示）")
        page.get_by_label(label("证件号码")).fill(VALID_ID)
        page.get_by_label(label("验证码")).fill(answer(page))
        assert submit(page) == 200
        check("申请已提交")
        code = page.locator("#query-code").inner_text().strip()
        page.goto(base + "/ysqgk/query/")
        check("依申请公开查询")
        assert query(page, base, code) == 200
        check("依申请公开查询结果")
        for path, where in (("/gkml/", "政府信息公开目录"), ("/gkzn/", "政府信息公开指南"), ("/gknb/", "政府信息公开年报")):
            assert page.goto(base + path).status == 200
            check(where)
    finally:
        context.close()
    assert not wide, "\n".join(wide)


def broken_references(page):
    return page.evaluate(
        """() => [...document.querySelectorAll(
                '.message-form [aria-describedby], .message-form [aria-labelledby], .message-form [aria-errormessage]')]
            .flatMap(e => ['aria-describedby', 'aria-labelledby', 'aria-errormessage'].flatMap(attr =>
                (e.getAttribute(attr) || '').split(/\\s+/).filter(id => id && !document.getElementById(id))
                    .map(id => `${e.name || e.id}: ${attr}="${id}" has no element`)))"""
    )


def test_application_form_points_to_its_help_and_errors(page, site):
    # Past axe's serious/critical standard (axe only lists these as "incomplete"):
    # a description that points nowhere is never read out.
    page.goto(site["base"] + "/ysqgk/")
    described = page.locator(".message-form [aria-describedby]").count()
    assert described >= 4, described  # help texts of applicant_kind, id_number, phone, and the captcha box
    broken = [f"空表单 {b}" for b in broken_references(page)]
    submit_with_errors(page)
    broken += [f"有错误提示 {b}" for b in broken_references(page)]
    assert not broken, broken
    # Each field's error is read out with the field: the field is marked invalid and points to it.
    unreferenced = page.evaluate(
        """() => {
            const invalid = [...document.querySelectorAll('.message-form [aria-invalid="true"][aria-describedby]')];
            const read = new Set(invalid.flatMap(e => e.getAttribute('aria-describedby').split(/\\s+/)));
            return [...document.querySelectorAll('.message-form .field-error')]
                .map(p => p.parentElement.id).filter(id => !read.has(id));
        }"""
    )
    assert not unreferenced, unreferenced
