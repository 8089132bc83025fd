"""信息报送 end to end in a real browser: a county editor offers a story, the
portal's editor accepts it into a column that publishes on acceptance, a visitor reads the copy."""

import pytest

from tests.browser.conftest import run_axe
from tests.factories import column, ensure_wagtail_tree, make_article, make_site, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def group(live_server):
    from sitegroup.syndication.models import Intake

    ensure_wagtail_tree()
    port = int(live_server.url.rsplit(":", 1)[1])
    portal = make_site("portal", port=port)
    county = make_site("county", port=port)
    Intake.objects.create(column=column(portal, "ywdt"), review_required=False, note="欢迎报送重要政务动态")
    story = make_article(column(county, "ywdt"), "修水县召开秋冬季森林防火工作会议", body="会议部署森林防火工作。")
    return {
        "story": story, "port": port,
        "county_editor": make_user("xs_editor", county, "editor"),
        "portal_editor": make_user("jj_editor", portal, "editor"),
    }


def sign_in(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", f"pw-{user.username}")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_offer_accept_and_read(page, group):
    from sites.syndicated import SyndicatedArticlePage

    county = f"http://xiushui.localhost:{group['port']}"
    portal = f"http://jiujiang.localhost:{group['port']}"
    story = group["story"]

    sign_in(page, county, group["county_editor"])
    page.goto(f"{county}/admin/syndication/submit/{story.pk}/")
    page.get_by_label("中国九江 › 要闻动态（欢迎报送重要政务动态）").check()
    page.fill("textarea[name=note]", "请门户采用")
    page.get_by_role("button", name="报送").click()
    page.get_by_text("已报送到 1 个栏目").wait_for()

    sign_in(page, portal, group["portal_editor"])
    page.goto(f"{portal}/admin/syndication/")
    assert "请门户采用" in page.inner_text("table")
    page.get_by_role("link", name="采用", exact=True).click()
    assert "需经本站审核后发布" in page.inner_text("main")  # 采用并修改 would go to review
    page.get_by_role("button", name="采用").click()
    page.get_by_text("已采用《修水县召开秋冬季森林防火工作会议》，已发布。").wait_for()

    copy = SyndicatedArticlePage.objects.get()
    page.context.clear_cookies()
    assert copy.full_url.startswith(portal)
    page.goto(copy.full_url)
    assert page.locator("h1").inner_text() == "修水县召开秋冬季森林防火工作会议"
    assert "会议部署森林防火工作。" in page.inner_text(".article-body")
    assert page.locator("link[rel=canonical]").get_attribute("href").startswith(f"{county}/ywdt/")
    assert run_axe(page) == []
