"""Group search shows a story once, with 另见：N 个站点, on both engines."""

import os
import time

import pytest

from search.engines import get_engine
from sitegroup.syndication import services
from sitegroup.syndication.models import Intake
from tests.factories import column, make_user
from tests.search.test_elasticsearch import es_url  # noqa: F401 - the session's Elasticsearch


@pytest.fixture(params=["embedded", "elasticsearch"])
def engine_name(request, settings, db):
    if request.param == "elasticsearch":
        settings.SEARCH_ENGINE = "elasticsearch"
        settings.ELASTICSEARCH_URL = request.getfixturevalue("es_url")
        settings.ELASTICSEARCH_INDEX = f"syndication-{os.getpid()}-{time.monotonic_ns()}"
        yield request.param
        get_engine().clear()
    else:
        yield request.param


@pytest.fixture
def spread(engine_name, portal, department, quick_intake, story, people, portal_people):
    """The county's story accepted by the portal and by the education bureau."""
    bureau = Intake.objects.create(column=column(department, "ywdt"), review_required=False)
    services.accept(services.submit(story, [quick_intake], people["editor"])[0], portal_people["editor"])
    services.accept(services.submit(story, [bureau], people["editor"])[0],
                    make_user("jyj_editor", department, "editor"))
    return story


def hits(client, host, **params):
    response = client.get("/search/", {"q": "森林防火", **params}, HTTP_HOST=host)
    assert response.status_code == 200
    return response.context["hits"], response.content.decode()


def test_group_search_shows_the_original_once_with_the_other_sites(client, spread):
    found, html = hits(client, "jiujiang.localhost")  # the portal searches the whole group
    assert [item["hit"].page_id for item in found] == [spread.pk]
    assert sorted(name for name, _url in found[0]["also"]) == ["中国九江", "九江市教育局"]
    assert "另见：2 个站点" in html


def test_a_site_search_finds_its_own_copy(client, spread):
    found, _ = hits(client, "jiujiang.localhost", scope="site")
    assert len(found) == 1 and found[0]["hit"].page_id != spread.pk
    assert found[0]["url"].startswith("/tzgg/")  # this site: a relative address


def test_picking_sites_shows_what_each_publishes(client, spread):
    found, _ = hits(client, "jiujiang.localhost", scope="all", site=["jiujiang", "jyj"])
    assert len(found) == 2 and spread.pk not in [item["hit"].page_id for item in found]


def test_a_withdrawn_story_leaves_no_hit_anywhere(client, spread):
    spread.unpublish()
    assert hits(client, "jiujiang.localhost")[0] == []
    assert hits(client, "jiujiang.localhost", scope="site")[0] == []
