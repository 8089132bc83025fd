"""Report filters show a user only their own site's people and workflows."""

import pytest
from django.test import Client
from django.urls import resolve, reverse
from wagtail.log_actions import log

from sitegroup.registry.admin_reports import OVERRIDES
from tests.factories import column, make_article, make_user
from tests.review.conftest import submit


@pytest.mark.parametrize("route,view,name", OVERRIDES)
def test_the_scoped_reports_still_shadow_wagtails_own(route, view, name):
    """Guard: if a Wagtail upgrade moves a report, this fails instead of the
    unscoped report quietly coming back."""
    assert reverse(name) == "/admin/" + route, f"Wagtail moved {name}; update sitegroup/registry/admin_reports.py"
    assert resolve("/admin/" + route).func.__wrapped__ is not None
    assert resolve(reverse(name)).func.__name__ == view.__name__


def test_site_history_and_workflow_reports_hide_other_sites_staff(client, portal, county, people):
    jj_editor = make_user("jj_editor", portal, "editor")
    article = make_article(column(portal, "ywdt"), "九江文章")
    log(article, "wagtail.edit", user=jj_editor)
    jj_draft = make_article(column(portal, "ywdt"), "九江草稿", publish=False, user=jj_editor)
    # Submitted from other browsers, so no flash message follows into the page under test.
    submit(Client(), jj_editor, jj_draft)
    xs_draft = make_article(column(county, "ywdt"), "修水草稿", publish=False, user=people["editor"])
    submit(Client(), people["editor"], xs_draft)

    client.force_login(people["editor"])
    for url in (
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "jj_editor" not in html and "九江草稿" not in html and "九江文章" not in html, url
    workflow_report = client.get(reverse("wagtailadmin_reports:workflow")).content.decode()
    assert "xs_editor" in workflow_report and "修水草稿" in workflow_report
