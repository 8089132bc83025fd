"""The reviewer approves through a modal that shows the automatic screening."""

import pytest

from tests.factories import column, ensure_wagtail_tree, make_article, make_site, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pending(live_server, client):
    from tests.review.conftest import submit

    ensure_wagtail_tree()
    county = make_site("county", port=int(live_server.url.rsplit(":", 1)[1]))
    editor = make_user("xs_editor", county, "editor")
    reviewer = make_user("xs_reviewer", county, "reviewer")
    draft = make_article(column(county, "ywdt"), "修水县人员名单", publish=False, user=editor)
    # Submitted through the editor's form, as in real use, so the body is stored
    # the way the rich-text editor will post it back.
    response = submit(client, editor, draft, "<p>联系人身份证号 11010519491231002X。</p>")
    assert response.status_code == 302
    draft = type(draft).objects.get(pk=draft.pk)
    assert draft.current_workflow_task.name == "初审"
    return draft, reviewer


def test_approve_opens_a_modal_with_the_findings(page, live_server, pending):
    draft, reviewer = pending
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", f"pw-{reviewer.username}")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/admin/pages/{draft.pk}/edit/")
    approve = page.locator("[data-workflow-action-name=approve]").first
    if not approve.is_visible():  # the action menu is a dropdown in the page footer
        page.locator("[data-w-dropdown-target='toggle']").last.click()
    approve.click()
    modal = page.locator(".modal-content")
    modal.get_by_text("自动审查结果").wait_for()
    text = modal.inner_text()
    assert "含 1 项阻断" in text and "身份证号" in text
    assert "11010519491231002X" not in text

    # Confirming in the modal approves this stage; the page moves on to the next one.
    with page.expect_navigation():
        modal.locator("button[type=submit]").click()
    print("URL", page.url)
    print("MSG", page.locator(".messages, .help-critical, .error-message").all_inner_texts())
    draft = type(draft).objects.get(pk=draft.pk)
    assert draft.current_workflow_task.name == "终审"
