"""The Elasticsearch engine against a real API: noida-db's emulator by default,
a real cluster when ELASTICSEARCH_URL is set."""

import datetime
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from search.engines.base import SearchQuery
from search.engines.elastic import ElasticsearchEngine, build_search, choose_analyzer

pytestmark = pytest.mark.elasticsearch


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def es_url():
    if os.environ.get("ELASTICSEARCH_URL"):
        yield os.environ["ELASTICSEARCH_URL"]
        return
    binary = Path(sys.executable).parent / "noida-db"
    if not binary.exists():
        binary = shutil.which("noida-db")
        if not binary:
            if os.environ.get("CI"):
                pytest.fail("noida-db is not installed (it is a dev dependency)")
            pytest.skip("noida-db is not installed")
    data_dir = tempfile.mkdtemp(prefix="noida-es-")
    port = _free_port()
    subprocess.run(
        [str(binary), "up", "--data-dir", data_dir, "--host", "127.0.0.1", "--only", "elasticsearch",
         "--elasticsearch-port", str(port)],
        check=True, capture_output=True, timeout=60,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        subprocess.run([str(binary), "down", "--data-dir", data_dir], capture_output=True, timeout=60)
        shutil.rmtree(data_dir, ignore_errors=True)


def doc(page_id, title, body, site_id, kind="news", date="2026-11-01"):
    return {
        "page_id": page_id, "site_id": site_id, "title": title, "body": body, "segmented_title": title,
        "segmented": body, "column_title": "栏目", "column_kind": kind, "content_type": "article",
        "date": datetime.date.fromisoformat(date), "source": "来源", "url": f"http://x.localhost/{page_id}/",
    }


@pytest.fixture
def engine(es_url, county, portal):
    engine = ElasticsearchEngine(url=es_url, alias=f"test-pages-{os.getpid()}-{time.monotonic_ns()}")
    engine.rebuild([[
        doc(1, "九江市电子政务管理办法", "新建网站应当向市政府信息办备案。", portal.pk, "policy", "2008-03-01"),
        doc(2, "修水县值班读网通知", "各单位做好值班读网。", county.pk, "notice"),
        doc(3, "修水县防汛会议", "部署防汛工作。", county.pk, "news"),
    ]])
    yield engine
    engine.clear()


def test_search_filters_and_facets(engine, county):
    result = engine.search(SearchQuery(terms=[["备案"]]))
    assert [h.page_id for h in result.hits] == [1] and result.total == 1
    notices = engine.search(SearchQuery(terms=[["值班"]], site_ids=[county.pk], column_kind="notice"))
    assert [h.page_id for h in notices.hits] == [2]
    assert notices.facets["site"] == {county.pk: 1}
    assert engine.search(SearchQuery(terms=[["备案"]], date_from=datetime.date(2020, 1, 1))).total == 0


def test_synonym_groups_are_ored(engine):
    result = engine.search(SearchQuery(terms=[["值守", "值班"]]))
    assert [h.page_id for h in result.hits] == [2]


def test_delete_and_rebuild_swaps_alias(engine, county):
    engine.delete([3])
    assert engine.search(SearchQuery(terms=[["防汛"]])).total == 0
    before = engine._current_indices()
    engine.rebuild([[doc(4, "新索引里的文章", "重建后可检索", county.pk)]])
    after = engine._current_indices()
    assert len(after) == 1 and after != before
    assert engine.search(SearchQuery(terms=[["重建"]])).total == 1
    assert engine.search(SearchQuery(terms=[["备案"]])).total == 0


def test_analyzer_choice_and_query_body():
    assert choose_analyzer([{"component": "analysis-smartcn"}]) == "smartcn"
    assert choose_analyzer([{"component": "analysis-ik"}]) == "ik_max_word"
    assert choose_analyzer([]) == "cjk"
    body = build_search(
        SearchQuery(terms=[["社保", "社会保险"], ["待遇"]], site_ids=[3], sort="date",
                    date_from=datetime.date(2026, 1, 1), offset=20, limit=10),
        "pages",
    ).to_dict()
    must = body["query"]["bool"]["must"]
    assert len(must) == 2 and len(must[0]["bool"]["should"]) == 4
    assert {"terms": {"site_id": [3]}} in body["query"]["bool"]["filter"]
    assert body["from"] == 20 and body["size"] == 10 and body["sort"][0] == {"date": {"order": "desc"}}
    assert set(body["aggs"]) == {"site_id", "column_kind", "content_type"}
