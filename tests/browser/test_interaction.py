"""A citizen writes to 县长信箱 in a real browser and follows the message by its 查询码."""

import re

import pytest

from tests.factories import ensure_wagtail_tree, make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "张三丰"
PHONE = "13812345678"
CONTENT = f"修水县某小区门口路灯已损坏两周，夜间出行不便。请回电 {PHONE}。"


@pytest.fixture
def channel(live_server):
    from tests.interaction.conftest import make_channel

    ensure_wagtail_tree()  # earlier transactional tests flush migration data
    port = int(live_server.url.rsplit(":", 1)[1])
    county = make_site("county", hostname="xiushui.localhost", port=port)
    channel = make_channel(county)
    return channel, f"http://xiushui.localhost:{port}{channel.url}"


def label(text):
    # Labels read "姓名 *"; anchoring keeps 姓名 from also matching the consent checkbox.
    return re.compile(rf"^\s*{re.escape(text)}")


def answer(tab):
    from captcha.models import CaptchaStore

    key = tab.locator("input[name=captcha_0]").get_attribute("value")
    return CaptchaStore.objects.get(hashkey=key).response


def fill_form(tab, channel):
    tab.get_by_label(label("分类")).select_option(channel.category_list[0])
    tab.get_by_label(label("标题")).fill("小区门口路灯损坏")
    tab.get_by_label(label("内容")).fill(CONTENT)
    tab.get_by_label(label("姓名")).fill(NAME)
    tab.get_by_label(label("联系电话")).fill(PHONE)
    tab.get_by_label(label("电子邮箱")).fill("zs@example.com")
    tab.get_by_label(label("同意在答复后公开")).check()


def submit(tab):
    with tab.expect_navigation() as navigation:
        tab.get_by_role("button", name="提交").click()
    return navigation.value.status


def write_and_follow(tab, channel, url):
    from sites.interaction.models import Message

    response = tab.goto(url + "write/")
    assert response.status == 200
    fill_form(tab, channel)

    # A wrong answer re-shows the form with what was typed and a new challenge.
    first_key = tab.locator("input[name=captcha_0]").get_attribute("value")
    tab.get_by_label(label("验证码")).fill("WRONG")
    assert submit(tab) == 400
    assert "验证码不正确" in tab.locator(".message-form").inner_text()
    assert tab.get_by_label(label("内容")).input_value() == CONTENT
    assert tab.get_by_label(label("姓名")).input_value() == NAME
    assert not Message.objects.exists()
    assert tab.locator("input[name=captcha_0]").get_attribute("value") != first_key

    tab.get_by_label(label("验证码")).fill(answer(tab))
    assert submit(tab) == 200
    code = tab.locator("#query-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{12}", code), code
    message = Message.objects.get(code=code)
    assert message.name == NAME and message.phone == PHONE and message.publish_consent

    # Following the message by its code shows its state but never the person.
    tab.goto(url + "query/")
    tab.get_by_label("查询码").fill(code)
    with tab.expect_navigation() as navigation:
        tab.get_by_role("button", name="查询").click()
    assert navigation.value.status == 200
    assert tab.locator("#message-state").inner_text().strip() == "待受理"
    status = tab.locator(".message-status").inner_text()
    assert "张**" in status
    body = tab.locator("body").inner_text()
    assert NAME not in body and PHONE not in body
    assert "138****5678" in body
    return message


def test_citizen_writes_and_follows_the_message(page, channel):
    write_and_follow(page, *channel)


def test_form_works_without_javascript(browser, channel):
    # Same as the page fixture's context, with scripts off: the form is plain HTML.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", java_script_enabled=False)
    try:
        tab = context.new_page()
        write_and_follow(tab, *channel)
    finally:
        context.close()
