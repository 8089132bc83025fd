"""The review design scales with the group: what an editor or reviewer pays for
the admin home and the moderation list does not grow with the number of sites."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from review.models import SecrecyReviewTask
from tests.factories import column, make_article, make_site, make_user
from tests.review.conftest import submit

PAGES = {
    "home": "/admin/",
    "moderation": reverse("wagtailadmin_reports:workflow") + "?reviewable=true",
    "tasks": reverse("wagtailadmin_reports:workflow_tasks") + "?reviewable=true",
}


def _grow(client, count, start):
    """Add ``count`` sites, each with an editor's submission waiting at 初审."""
    for n in range(start, start + count):
        profile = make_site("county", name=f"测试县{n}", code=f"site{n}", hostname=f"site{n}.localhost")
        editor = make_user(f"ed{n}", profile, "editor")
        draft = make_article(column(profile, "ywdt"), f"稿件{n}", publish=False, user=editor)
        submit(Client(), editor, draft)  # another browser: no flash message follows


def _queries(client, user, url):
    client.force_login(user)
    client.get(url)  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_admin_home_and_moderation_cost_do_not_grow_with_sites(client, county, people):
    own = make_article(column(county, "ywdt"), "本站稿件", publish=False, user=people["editor"])
    submit(Client(), people["editor"], own)
    _grow(client, 2, 1)
    small = {
        (who, name): _queries(client, people[who], url)
        for who in ("editor", "reviewer") for name, url in PAGES.items()
    }
    _grow(client, 8, 3)
    assert SecrecyReviewTask.objects.count() == 2, "stages are shared, not per site"
    large = {
        (who, name): _queries(client, people[who], url)
        for who in ("editor", "reviewer") for name, url in PAGES.items()
    }
    print("admin query counts at 3 and 11 sites:", small, large)
    assert large == small, f"3 sites: {small}; 11 sites: {large}"
    # And the figures themselves stay modest.
    assert max(large.values()) <= 50, large


def test_the_reviewer_sees_only_their_sites_submission(client, county, people):
    own = make_article(column(county, "ywdt"), "本站稿件", publish=False, user=people["editor"])
    submit(Client(), people["editor"], own)
    _grow(client, 2, 1)
    client.force_login(people["reviewer"])
    html = client.get(PAGES["home"]).content.decode()
    assert "本站稿件" in html and "稿件1" not in html and "稿件2" not in html
