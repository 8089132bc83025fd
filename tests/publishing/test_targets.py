"""Several targets, a target that is down, and the order of changes."""

import pytest
from django.utils import timezone

from sitegroup.publishing import services
from sitegroup.publishing.models import StaticChange, TargetState
from tests.factories import make_article

from .helpers import drained, file_of, manifest_paths
from .storages import FlakyFileSystemStorage


@pytest.fixture
def built(publishing, pubsite, news):
    services.publish_all()
    return news


def take_down(root):
    FlakyFileSystemStorage.down.add(str(root))


def bring_up(root):
    FlakyFileSystemStorage.down.discard(str(root))


def test_a_target_that_is_down_catches_up_when_it_recovers(built, publishing):
    node1, node2 = publishing["node1"], publishing["node2"]
    take_down(node2)
    make_article(built, "第二篇", slug="a2")
    report = services.drain()
    assert set(report.failed) == {"node2"} and "目标不可用" in report.failed["node2"]
    assert file_of(node1, "/ywdt/a2/").is_file()
    assert not file_of(node2, "/ywdt/a2/").exists()
    state = TargetState.objects.get(name="node2")
    assert state.failures == 1 and state.retry_at is not None and "目标不可用" in state.last_error
    # Nothing is lost: the change stays queued for node2 while node1 has moved on.
    assert StaticChange.objects.filter(id__gt=state.position).exists()
    assert TargetState.objects.get(name="node1").position > state.position

    make_article(built, "第三篇", slug="a3")
    report = services.drain()
    assert set(report.failed) == {"node2"}  # still down: node1 goes on alone
    assert file_of(node1, "/ywdt/a3/").is_file()
    assert TargetState.objects.get(name="node2").failures == 2

    bring_up(node2)
    TargetState.objects.filter(name="node2").update(retry_at=timezone.now())
    rendered, _removed, report = drained()
    assert {"/ywdt/a2/", "/ywdt/a3/"} <= rendered
    assert report.written.get("node1", 0) == 0  # node1 already has everything
    assert manifest_paths("node1") == manifest_paths("node2")
    assert "第三篇" in file_of(node2, "/ywdt/").read_text()
    state = TargetState.objects.get(name="node2")
    assert (state.failures, state.retry_at, state.last_error) == (0, None, "")
    assert not StaticChange.objects.exists()  # applied everywhere: collected


def test_a_target_in_backoff_is_not_retried_before_its_time(built, publishing, settings):
    settings.STATIC_PUBLISH_RETRY_SECONDS = 60
    take_down(publishing["node2"])
    make_article(built, "第二篇", slug="a2")
    services.drain()
    bring_up(publishing["node2"])
    report = services.drain()
    assert report.changes == 0 and not file_of(publishing["node2"], "/ywdt/a2/").exists()
    delay = TargetState.objects.get(name="node2").retry_at - timezone.now()
    assert 50 < delay.total_seconds() <= 60


def test_an_unpublish_behind_a_pending_publish_wins(built, publishing):
    article = make_article(built, "撤稿", slug="gone")
    article.unpublish()  # queued behind the publish, before any worker ran
    rendered, removed, report = drained()
    assert "/ywdt/gone/" in removed and "/ywdt/gone/" not in rendered
    for root in publishing.values():
        assert not file_of(root, "/ywdt/gone/").exists()
        assert "撤稿" not in file_of(root, "/ywdt/").read_text()


def test_an_unpublish_reaches_a_target_that_missed_the_publish(built, publishing):
    node1, node2 = publishing["node1"], publishing["node2"]
    take_down(node2)
    article = make_article(built, "撤稿", slug="gone")
    services.drain()
    assert file_of(node1, "/ywdt/gone/").is_file()
    article.unpublish()
    bring_up(node2)
    TargetState.objects.filter(name="node2").update(retry_at=None)
    services.drain()
    for root in (node1, node2):
        assert not file_of(root, "/ywdt/gone/").exists()
    assert "/ywdt/gone/" not in manifest_paths("node1") | manifest_paths("node2")


def test_a_second_worker_leaves_the_queue_to_the_one_running(built):
    from sitegroup.publishing import lease

    make_article(built, "第二篇", slug="a2")
    with lease.held():
        assert services.drain() is None
    assert services.drain().changes > 0
