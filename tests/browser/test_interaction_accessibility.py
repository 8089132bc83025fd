"""政民互动 pages in a real browser: axe-core at desktop and phone width, keyboard-only use.

Same standard as test_accessibility.py: axe-core's default rules, failing on
violations of serious or critical impact. At phone width (375 px) each page must
also fit the screen without horizontal scrolling.
"""

import re

import pytest

from tests.browser.conftest import run_axe
from tests.factories import ensure_wagtail_tree, make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True},
}
TITLE = "小区门口路灯损坏"
CONTENT = "修水县某小区门口路灯已损坏两周，夜间出行不便。"
NAME = "张三丰"
PHONE = "13812345678"
# The message form's visible fields, in document order (an ordinary letter channel has no page_url).
FIELDS = ["category", "title", "content", "name", "phone", "email", "publish_consent", "attachments", "captcha_1"]


@pytest.fixture
def channel(live_server):
    from tests.interaction.conftest import make_channel
    from tests.interaction.test_public_pages import publish_reply

    ensure_wagtail_tree()  # earlier transactional tests flush migration data
    port = int(live_server.url.rsplit(":", 1)[1])
    county = make_site("county", hostname="xiushui.localhost", port=port)
    channel = make_channel(county)
    reply = publish_reply(channel, 1)
    base = f"http://xiushui.localhost:{port}"
    return {
        "channel": channel,
        "url": base + channel.url,
        "reply_url": base + reply.url,
        "reply_code": reply.message.code,
    }


@pytest.fixture(params=list(VIEWPORTS))
def tab(request, browser):
    context = browser.new_context(locale="zh-CN", **VIEWPORTS[request.param])
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


def label(text):
    # Labels read "姓名 *"; anchoring keeps 姓名 from also matching the consent checkbox.
    return re.compile(rf"^\s*{re.escape(text)}")


def answer(page):
    from captcha.models import CaptchaStore

    key = page.locator("input[name=captcha_0]").get_attribute("value")
    return CaptchaStore.objects.get(hashkey=key).response


def fill_form(page, channel, *, title=TITLE, captcha=None):
    page.get_by_label(label("分类")).select_option(channel.category_list[0])
    page.get_by_label(label("标题")).fill(title)
    page.get_by_label(label("内容")).fill(CONTENT)
    page.get_by_label(label("姓名")).fill(NAME)
    page.get_by_label(label("联系电话")).fill(PHONE)
    page.get_by_label(label("电子邮箱")).fill("zs@example.com")
    page.get_by_label(label("同意在答复后公开")).check()
    page.get_by_label(label("验证码")).fill(captcha if captcha is not None else answer(page))


def submit(page, button="提交"):
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    return navigation.value.status


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
    content that is too wide, so innerWidth alone would hide the overflow: the width
    is also measured against the root element's client width, which stays at 375.
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


def test_letter_list_and_reply_page(tab, channel):
    failures = []
    response = tab.goto(channel["url"])
    assert response.status == 200
    assert tab.locator("table.letter-list a", has_text="关于第1号路灯的留言").count() == 1
    audit(tab, "信件选登", failures)
    response = tab.goto(channel["reply_url"])
    assert response.status == 200
    assert "第1号已修复" in tab.locator("main").inner_text()
    audit(tab, "答复页", failures)
    report(failures)


def test_write_form_empty_and_with_errors(tab, channel):
    failures = []
    response = tab.goto(channel["url"] + "write/")
    assert response.status == 200
    audit(tab, "写信（空表单）", failures)
    fill_form(tab, channel["channel"], title="", captcha="WRONG")
    assert submit(tab) == 400
    errors = tab.locator(".message-form .field-error").all_inner_texts()
    assert "请填写标题。" in errors and any("验证码不正确" in e for e in errors), errors
    assert tab.locator("#form-errors").is_visible()
    audit(tab, "写信（有错误提示）", failures)
    report(failures)


def test_received_page(tab, channel):
    failures = []
    tab.goto(channel["url"] + "write/")
    fill_form(tab, channel["channel"])
    assert submit(tab) == 200
    assert re.fullmatch(r"[0-9A-Z]{12}", tab.locator("#query-code").inner_text().strip())
    audit(tab, "提交成功", failures)
    report(failures)


def test_query_page_with_found_messages(tab, channel):
    from sites.interaction.models import Message

    failures = []
    tab.goto(channel["url"] + "write/")
    fill_form(tab, channel["channel"])
    assert submit(tab) == 200
    pending = tab.locator("#query-code").inner_text().strip()
    assert Message.objects.filter(code=pending).exists()
    for code, state, where in ((pending, "待受理", "查询（待受理）"), (channel["reply_code"], "已答复", "查询（已答复，可评价）")):
        tab.goto(channel["url"] + "query/")
        tab.get_by_label("查询码").fill(code)
        assert submit(tab, "查询") == 200
        assert tab.locator("#message-state").inner_text().strip() == state
        audit(tab, where, failures)
    assert tab.locator(".rating-form").count() == 1  # the answered message offers the rating form
    report(failures)


def focused(page):
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            return {tag: e.tagName.toLowerCase(), name: e.name || '', type: e.type || '',
                    text: (e.innerText || '').trim(), inForm: !!e.closest('.message-form'),
                    outline: style.outlineStyle, shadow: style.boxShadow};
        }"""
    )


def test_form_by_keyboard_only(page, channel):
    from sites.interaction.models import Message

    page.goto(channel["url"] + "write/")
    captcha = answer(page)
    visited = []
    for _ in range(200):
        page.keyboard.press("Tab")
        now = focused(page)
        if not now["inForm"]:
            continue
        # Every stop in the form shows where the focus is.
        assert now["outline"] != "none" or now["shadow"] != "none", now
        if now["tag"] == "button":
            assert now["text"] == "提交", now
            break
        visited.append(now["name"])
        if now["name"] == "category":
            page.keyboard.press("ArrowDown")  # the first category after 请选择
        elif now["name"] == "publish_consent":
            page.keyboard.press("Space")
        elif now["name"] in ("title", "content", "name", "phone", "email", "captcha_1"):
            page.keyboard.type({"title": TITLE, "content": CONTENT, "name": NAME, "phone": PHONE,
                                "email": "zs@example.com", "captcha_1": captcha}[now["name"]])
    else:
        pytest.fail(f"Tab never reached the submit button; form stops: {visited}")

    # Tab visits every field once, in reading order, and skips the honeypot.
    assert [name for name in visited if name] == FIELDS, visited
    assert "website" not in visited
    honeypot = page.locator("input[name=website]")
    assert honeypot.get_attribute("tabindex") == "-1"
    assert honeypot.evaluate("e => !!e.closest('[aria-hidden=\"true\"]')")
    assert page.get_by_role("textbox", name="请勿填写").count() == 0
    assert "请勿填写" not in page.locator(".message-form").aria_snapshot()

    assert page.get_by_label(label("分类")).input_value() == channel["channel"].category_list[0]
    assert page.get_by_label(label("同意在答复后公开")).is_checked()
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.status == 200
    code = page.locator("#query-code").inner_text().strip()
    message = Message.objects.get(code=code)
    assert (message.title, message.name, message.phone) == (TITLE, NAME, PHONE)
    assert message.publish_consent


def test_no_horizontal_scroll_at_375px(browser, channel):
    context = browser.new_context(locale="zh-CN", **VIEWPORTS["phone"])
    page = context.new_page()
    wide = []

    def check(where):
        result = overflow(page)
        # innerWidth grows past 375 when mobile emulation zooms out to fit a too-wide page.
        fits = page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth && innerWidth === 375")
        if not fits or result["extra"] > 0:
            wide.append(f"{where} {page.url}: {result}")

    try:
        page.goto(channel["url"])
        check("信件选登")
        page.goto(channel["reply_url"])
        check("答复页")
        page.goto(channel["url"] + "write/")
        check("写信")
        fill_form(page, channel["channel"], title="", captcha="WRONG")
        assert submit(page) == 400
        check("写信（有错误提示）")
        page.get_by_label(label("标题")).fill(TITLE)
        page.get_by_label(label("验证码")).fill(answer(page))
        assert submit(page) == 200
        check("提交成功")
        code = page.locator("#query-code").inner_text().strip()
        page.goto(channel["url"] + "query/")
        check("查询")
        page.get_by_label("查询码").fill(code)
        assert submit(page, "查询") == 200
        check("查询结果")
    finally:
        context.close()
    assert not wide, "\n".join(wide)


def broken_references(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('[aria-describedby], [aria-labelledby], [aria-errormessage]')]
            .flatMap(e => ['aria-describedby', 'aria-labelledby', 'aria-errormessage'].flatMap(attr =>
                (e.getAttribute(attr) || '').split(/\\s+/).filter(id => id && !document.getElementById(id))
                    .map(id => `${e.name || e.id}: ${attr}="${id}" has no element`)))"""
    )


def test_form_fields_point_to_their_help_and_errors(page, channel):
    # Past axe's serious/critical standard (axe only lists these as "incomplete"):
    # a description that points nowhere is never read out.
    page.goto(channel["url"] + "write/")
    broken = broken_references(page)
    fill_form(page, channel["channel"], title="", captcha="WRONG")
    assert submit(page) == 400
    broken += broken_references(page)
    assert not broken, broken
