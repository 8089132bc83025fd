import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.factories import column, make_article


@pytest.fixture
def draft(county, people):
    return make_article(column(county, "ywdt"), "修水县政务动态", publish=False, user=people["editor"])


def edit_data(title, body_html, confirm=True, slug="draft"):
    data = nested_form_data({
        "title": title, "slug": slug, "date": "2026-11-20",
        "body": streamfield([("paragraph", rich_text(body_html))]),
        "attachments": inline_formset([]),
    })
    data["action-submit"] = "action-submit"
    if confirm:
        data["responsibility_confirmed"] = "on"
    return data


def submit(client, user, page, body_html="<p>修水县召开会议。</p>", confirm=True):
    client.force_login(user)
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        edit_data(page.title, body_html, confirm, slug=page.slug),
    )


def act(client, user, page, action="approve", comment=""):
    page = type(page).objects.get(pk=page.pk)  # workflow state is cached on instances
    client.force_login(user)
    state = page.current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, state.pk]),
        {"comment": comment},
    )
