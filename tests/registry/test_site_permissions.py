"""Per-site roles, checked from the outside with HTTP requests as each role."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from sitegroup.registry.roles import ensure_office_group
from tests.factories import column, make_article, make_document, make_image, make_site, make_user


@pytest.fixture
def two_counties(db):
    make_site("portal")
    xiushui = make_site("county")
    wuning = make_site("county", name="武宁县", code="wuning", hostname="wuning.localhost")
    return xiushui, wuning


@pytest.fixture
def foreign(two_counties):
    _, wuning = two_counties
    article = make_article(column(wuning, "ywdt"), "武宁县内部草稿", publish=False)
    return {
        "article": article,
        "image": make_image(wuning.collection, "武宁县图片"),
        "document": make_document(wuning.collection, "武宁县文件"),
    }


def refused(response):
    """Wagtail answers a permission failure with a redirect to the dashboard
    carrying a message, or 403; anything else (200, 500) is a leak or a crash."""
    return response.status_code in (302, 403) and (
        response.status_code == 403 or response["Location"].rstrip("/").endswith("/admin")
    )


@pytest.mark.parametrize("role", ["editor", "reviewer", "admin", "officer"])
def test_every_role_is_refused_on_another_sites_objects(client, two_counties, foreign, role):
    xiushui, _ = two_counties
    user = make_user(f"xs_{role}", xiushui, role)
    client.force_login(user)
    article = foreign["article"]
    urls = [
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk]),
        reverse("wagtailadmin_pages:delete", args=[article.pk]),
        reverse("wagtailimages:edit", args=[foreign["image"].pk]),
        reverse("wagtailimages:delete", args=[foreign["image"].pk]),
        reverse("wagtaildocs:edit", args=[foreign["document"].pk]),
        reverse("wagtaildocs:delete", args=[foreign["document"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert refused(response), (url, response.status_code)
    # Forcing a write is refused too, and changes nothing.
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]), {"title": "被篡改", "slug": "x"}
    )
    assert refused(response)
    article.refresh_from_db()
    assert article.title == "武宁县内部草稿"


def test_editor_explorer_shows_only_own_site(client, two_counties, foreign):
    xiushui, wuning = two_counties
    client.force_login(make_user("xs_editor", xiushui, "editor"))
    response = client.get(reverse("wagtailadmin_explore_root"), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "修水县" in html
    assert "武宁县" not in html
    assert "中国九江" not in html
    # Own site: allowed.
    own = make_article(column(xiushui, "ywdt"), "修水县草稿", publish=False)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    # Image listing does not reveal another site's collection.
    images = client.get(reverse("wagtailimages:index")).content.decode()
    assert "武宁县图片" not in images


def test_editor_cannot_publish_directly(client, two_counties):
    xiushui, _ = two_counties
    editor = make_user("xs_editor", xiushui, "editor")
    draft = make_article(column(xiushui, "ywdt"), "修水县待审稿", publish=False, user=editor)
    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    form = client.get(edit_url).content.decode()
    assert 'name="action-publish"' not in form
    data = nested_form_data({
        "title": "修水县待审稿（改）", "slug": draft.slug, "date": "2026-11-01",
        "body": streamfield([("paragraph", rich_text("<p>正文</p>"))]),
        "attachments": inline_formset([]),
    })
    data["action-publish"] = "action-publish"
    client.post(edit_url, data)
    draft.refresh_from_db()
    assert not draft.live


def test_group_office_reads_every_site_but_cannot_edit(client, two_counties, foreign):
    office = make_user("office", groups=[ensure_office_group()])
    client.force_login(office)
    explorer = client.get(reverse("wagtailadmin_explore_root"), follow=True).content.decode()
    assert "修水县" in explorer and "武宁县" in explorer
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=[foreign["article"].pk])))


def test_anonymous_is_sent_to_login(client, foreign):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[foreign["article"].pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
