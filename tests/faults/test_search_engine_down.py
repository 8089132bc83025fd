"""Fault: Elasticsearch is down while pages are published and withdrawn.

Against noida-db's Elasticsearch API, really stopped and started again (or, with
ELASTICSEARCH_URL set to a real cluster, a closed port standing in for the outage).
Publishing goes through the review workflow, as in the admin.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from elasticsearch import NotFoundError
from wagtail.models import Page

from review.services import publish_through_review, withdraw
from search.engines import get_engine
from search.engines.base import SearchQuery
from search.models import PendingUpdate, SearchDocument
from sitegroup.registry.roles import ensure_office_group
from tests.factories import column, make_article, make_user

pytestmark = pytest.mark.elasticsearch


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port, up=True):
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise AssertionError(f"port {port} did not go {'up' if up else 'down'}")


class Outage:
    """An Elasticsearch endpoint that can be taken down and brought back."""

    def __init__(self, settings):
        self.settings = settings
        self.binary = self.data_dir = None
        if os.environ.get("ELASTICSEARCH_URL"):
            self.url = os.environ["ELASTICSEARCH_URL"]
            return
        binary = Path(sys.executable).parent / "noida-db"
        self.binary = str(binary) if binary.exists() else shutil.which("noida-db")
        if not self.binary:
            if os.environ.get("CI"):
                pytest.fail("noida-db is not installed (it is a dev dependency)")
            pytest.skip("noida-db is not installed")
        self.data_dir = tempfile.mkdtemp(prefix="noida-faults-")
        self.port = _free_port()
        self._noida("up", "--host", "127.0.0.1", "--only", "elasticsearch", "--elasticsearch-port", str(self.port))
        _wait(self.port)
        self.url = f"http://127.0.0.1:{self.port}"

    def _noida(self, *args):
        subprocess.run([self.binary, *args, "--data-dir", self.data_dir], check=True, capture_output=True, timeout=60)

    def down(self):
        if self.binary:
            self._noida("stop", "elasticsearch")
            _wait(self.port, up=False)
        else:  # a real cluster is not ours to stop: nothing listens on this port
            self.settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{_free_port()}"

    def up(self):
        if self.binary:
            self._noida("start", "elasticsearch")
            _wait(self.port)
        self.settings.ELASTICSEARCH_URL = self.url

    def close(self):
        if self.binary:
            subprocess.run([self.binary, "down", "--data-dir", self.data_dir], capture_output=True, timeout=60)
            shutil.rmtree(self.data_dir, ignore_errors=True)


@pytest.fixture
def elasticsearch(db, settings):
    outage = Outage(settings)
    settings.SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = outage.url
    settings.ELASTICSEARCH_INDEX = f"faults-{os.getpid()}-{time.monotonic_ns()}"
    try:
        yield outage
    finally:
        try:
            outage.up()
            get_engine().clear()
        finally:
            outage.close()


def publish(county, people, title, body):
    draft = make_article(column(county, "ywdt"), title, body=body, publish=False, user=people["editor"])
    return publish_through_review(draft, people["editor"], [people["reviewer"], people["reviewer2"]])


def es_title(engine, page):
    try:
        return engine.client.get(index=engine.alias, id=page.pk)["_source"]["title"]
    except NotFoundError:
        return None


def verify():
    try:
        call_command("search_index", "verify")
    except CommandError:
        return False
    return True


def test_publishing_goes_on_while_the_search_engine_is_down_and_the_index_catches_up(
    elasticsearch, county, people
):
    engine = get_engine()
    kept = publish(county, people, "修水县召开防汛工作会议", "部署全县防汛工作。")
    withdrawn = publish(county, people, "修水县道路施工公告", "城区道路施工期间请绕行。")
    assert es_title(engine, kept) == "修水县召开防汛工作会议" and es_title(engine, withdrawn)
    assert verify()

    elasticsearch.down()
    # Published through two review stages, withdrawn by the group office, republished
    # with a new title: all while the engine does not answer.
    fresh = publish(county, people, "修水县发布汛期安全提示", "汛期注意出行安全。")
    withdraw(withdrawn, make_user("office", groups=[ensure_office_group()]), "施工已结束")
    kept.title = "修水县召开防汛抗旱工作会议"
    kept.save_revision(user=people["editor"])
    kept = publish_through_review(kept, people["editor"], [people["reviewer"], people["reviewer2"]])

    assert Page.objects.get(pk=fresh.pk).live and not Page.objects.get(pk=withdrawn.pk).live
    assert Page.objects.get(pk=kept.pk).title == "修水县召开防汛抗旱工作会议"
    assert set(PendingUpdate.objects.values_list("page_id", flat=True)) == {fresh.pk, withdrawn.pk, kept.pk}
    assert not verify()  # the fresh page is missing, the withdrawn one still there
    call_command("search_index", "retry")  # cron while still down: nothing lost, nothing breaks
    assert PendingUpdate.objects.count() == 3

    elasticsearch.up()
    call_command("search_index", "retry")
    assert verify()
    assert not PendingUpdate.objects.exists()
    assert es_title(engine, fresh) == "修水县发布汛期安全提示"
    assert es_title(engine, withdrawn) is None
    assert es_title(engine, kept) == "修水县召开防汛抗旱工作会议"
    assert SearchDocument.objects.get(page_id=kept.pk).title == "修水县召开防汛抗旱工作会议"
    assert engine.count() == SearchDocument.objects.count() == 2
    assert [h.page_id for h in engine.search(SearchQuery(terms=[["汛期"]])).hits] == [fresh.pk]
    assert not engine.search(SearchQuery(terms=[["施工"]])).hits
