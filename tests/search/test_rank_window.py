"""Huge result sets are ranked among the newest matches, and paging through
them still returns every match exactly once."""

import datetime

import pytest
from django.core.management import call_command

from search.engines.base import SearchQuery
from search.engines.embedded import EmbeddedEngine
from search.models import SearchDocument
from tests.factories import column, make_article


@pytest.fixture
def flood(county, settings):
    settings.SEARCH_RANK_WINDOW = 3
    ywdt = column(county, "ywdt")
    old = make_article(ywdt, "防汛防汛工作总结", body="防汛。", date=datetime.date(2020, 6, 1))
    newer = [
        make_article(ywdt, f"第{n}次调度会议", body="会议研究防汛工作。", date=datetime.date(2026, 6, n))
        for n in range(1, 5)
    ]
    best = make_article(ywdt, "防汛应急响应", body="启动防汛应急响应。", date=datetime.date(2026, 7, 1))
    return old, newer, best


def run(**kwargs):
    return EmbeddedEngine().search(SearchQuery(terms=[["防汛"]], **kwargs))


def test_relevance_is_ranked_within_the_newest_matches(flood):
    old, newer, best = flood
    first = run(limit=2)
    assert first.total == 6 and first.rank_window == 3
    assert first.hits[0].page_id == best.pk  # title match within the window ranks first
    pages = [run(limit=2, offset=offset) for offset in (0, 2, 4)]
    seen = [hit.page_id for page in pages for hit in page.hits]
    assert sorted(seen) == sorted([old.pk, best.pk, *(p.pk for p in newer)])  # each match once
    assert seen[-1] == old.pk  # outside the window: after it, oldest last
    assert run(limit=10, sort="date").rank_window is None


def test_search_page_explains_the_window(client, flood):
    page = client.get("/search/", {"q": "防汛"}, HTTP_HOST="xiushui.localhost").content.decode()
    assert "在最新的 3 条中排序" in page


def test_rebuild_indexes_oldest_first(flood):
    call_command("search_index", "rebuild")
    dates = list(SearchDocument.objects.order_by("id").values_list("date", flat=True))
    assert dates == sorted(dates)
    old = flood[0]
    assert run(limit=10).hits[-1].page_id == old.pk



def test_wsgi_worker_loads_the_dictionary_at_boot():
    import os
    import subprocess
    import sys

    code = "import jieba, sitegroup.wsgi; print(jieba.dt.initialized)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "sitegroup.settings.test"})
    assert out.stdout.strip().splitlines()[-1] == "True"
