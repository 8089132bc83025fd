"""Fault: the task worker is killed (SIGKILL) in the middle of a search index update.

A real ``manage.py`` worker runs in a subprocess against the test database (a file
copy of it on SQLite), is held inside the index update and killed. The update must
run again when a worker starts, and the page must end up in the index exactly once.
"""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from search.engines.base import SearchQuery
from search.engines.embedded import EmbeddedEngine
from search.models import PendingUpdate, SearchDocument
from search.task_recovery import abandoned, new_worker_id, requeue_abandoned
from search.tasks import update_page_index
from tests.factories import column, ensure_wagtail_tree, make_article, make_site

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("worker.py")
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
INDEX_TASK = "search.tasks.update_page_index"


class WorkerDatabase:
    """The database a worker subprocess sees. PostgreSQL: the test database itself.
    SQLite (in memory for the tests): a file copy, copied back with ``pull``."""

    def __init__(self, tmp_path):
        self.file = None
        settings_dict = connection.settings_dict
        if connection.vendor == "sqlite":
            self.file = tmp_path / "worker.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.file}"
        else:
            auth = quote(settings_dict["USER"] or "")
            if settings_dict.get("PASSWORD"):
                auth += ":" + quote(settings_dict["PASSWORD"])
            host = settings_dict.get("HOST") or "127.0.0.1"
            port = settings_dict.get("PORT") or 5432
            self.url = f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}"

    def pull(self):
        if self.file is not None:
            source = sqlite3.connect(self.file)
            source.backup(connection.connection)
            source.close()

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("FAULT_")}
        env.update(DATABASE_URL=self.url, DJANGO_SETTINGS_MODULE="sitegroup.settings.test", **extra)
        return env

    def start(self, command, output, **extra):
        with open(output, "w") as out:
            return subprocess.Popen(
                [sys.executable, str(RUNNER), *command], cwd=ROOT, env=self.env(**extra),
                stdout=out, stderr=subprocess.STDOUT,
            )

    def run(self, command, **extra):
        done = subprocess.run(
            [sys.executable, str(RUNNER), *command], cwd=ROOT, env=self.env(**extra),
            capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr


WORKER = ["--no-startup-delay", "--no-reload", "--interval", "0.1", "-v", "2"]


def kill_in_the_middle(db, pause, tmp_path):
    """Start a worker held at ``pause`` inside the index update, then SIGKILL it."""
    marker, output = tmp_path / f"{pause}.reached", tmp_path / "worker.out"
    worker = db.start(["task_worker", *WORKER], output, FAULT_PAUSE=pause, FAULT_MARKER=str(marker),
                      FAULT_LOG=str(tmp_path / "index.log"))
    deadline = time.monotonic() + 90
    while not marker.exists():
        if worker.poll() is not None:
            pytest.fail("the worker ended before reaching the index update:\n" + output.read_text())
        if time.monotonic() > deadline:
            worker.kill()
            worker.wait()
            pytest.fail("the worker never reached the index update:\n" + output.read_text())
        time.sleep(0.05)
    assert int(marker.read_text()) == worker.pid
    worker.kill()  # SIGKILL: no handler runs, nothing is recorded
    assert worker.wait(timeout=30) == -signal.SIGKILL
    return worker.pid


def index_writes(tmp_path):
    log = tmp_path / "index.log"
    return log.read_text().splitlines() if log.exists() else []


@pytest.fixture
def queued_article(transactional_db, settings):
    ensure_wagtail_tree()  # earlier transactional tests flush migration data
    county = make_site("county")
    settings.TASKS = DATABASE_QUEUE  # publishing queues the index update, as in production
    page = make_article(column(county, "ywdt"), "修水县防汛抗旱工作会议召开", body="部署汛期防汛抗旱工作。")
    assert DBTaskResult.objects.filter(task_path=INDEX_TASK, status=TaskResultStatus.READY).count() == 1
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()
    return page


def assert_indexed_once(page):
    assert SearchDocument.objects.filter(page_id=page.pk).count() == 1
    hits = EmbeddedEngine().search(SearchQuery(terms=[["防汛"]])).hits
    assert [hit.page_id for hit in hits] == [page.pk]  # the full-text rows too: one match, not two
    assert not PendingUpdate.objects.exists()


@pytest.mark.parametrize("pause", ["index", "after-index"])
def test_killed_index_update_runs_again_exactly_once(queued_article, tmp_path, pause):
    db = WorkerDatabase(tmp_path)
    killed_pid = kill_in_the_middle(db, pause, tmp_path)

    db.pull()
    result = DBTaskResult.objects.get(task_path=INDEX_TASK)
    assert result.status == TaskResultStatus.RUNNING  # killed: nothing recorded
    assert result.worker_ids[-1].split(":")[1] == str(killed_pid)
    # Killed inside the transaction: nothing of the half-done update is left.
    assert SearchDocument.objects.filter(page_id=queued_article.pk).count() == (0 if pause == "index" else 1)

    # django-tasks-db's own worker never takes a RUNNING task again: the update would be lost.
    db.run(["db_worker", *WORKER, "--batch"])
    db.pull()
    assert DBTaskResult.objects.get(task_path=INDEX_TASK).status == TaskResultStatus.RUNNING

    # The project's worker re-queues it at start and runs it.
    output = db.run(["task_worker", *WORKER, "--batch"], FAULT_LOG=str(tmp_path / "index.log"))
    db.pull()
    assert "已重新排队 1 个中断的任务" in output
    result = DBTaskResult.objects.get(task_path=INDEX_TASK)
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value is True
    assert len(result.worker_ids) == 2 and result.worker_ids[0] != result.worker_ids[1]
    assert DBTaskResult.objects.filter(task_path=INDEX_TASK).count() == 1  # re-queued, not duplicated
    # Wagtail's own tasks of the publication (its admin search, reference index) ran too.
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    assert_indexed_once(queued_article)
    writes = index_writes(tmp_path)
    # Completed once; killed after its commit, the update ran a second time without doubling.
    assert len(writes) == (1 if pause == "index" else 2), writes

    # Nothing is left to recover: a later start does nothing twice.
    assert requeue_abandoned() == 0 and not DBTaskResult.objects.ready().exists()


# --- which tasks count as abandoned -----------------------------------------------


def _claimed(worker_id, started_minutes_ago=0):
    result = update_page_index.using(backend="default").enqueue(1)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    if started_minutes_ago:
        DBTaskResult.objects.filter(pk=row.pk).update(
            started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago))
    return DBTaskResult.objects.get(pk=row.pk)


def _dead_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def database_queue(db, settings):
    settings.TASKS = DATABASE_QUEUE


def test_only_tasks_of_dead_or_overdue_workers_are_requeued(database_queue, settings):
    settings.TASK_RUNNING_TIMEOUT = 600
    host = new_worker_id().split(":")[0]
    dead = _claimed(f"{host}:{_dead_pid()}:abc")
    alive = _claimed(new_worker_id())  # this very process
    foreign_recent = _claimed("another-host:123:abc")
    foreign_overdue = _claimed("another-host:123:def", started_minutes_ago=11)
    stock_id_overdue = _claimed("Zq3kTnJ0aBcDeFgHiJkLmNoPqRsTuVwX", started_minutes_ago=30)
    finished = _claimed(f"{host}:{_dead_pid()}:ghi")
    finished.set_successful(True)

    assert {r.pk for r in abandoned()} == {dead.pk, foreign_overdue.pk, stock_id_overdue.pk}
    assert requeue_abandoned() == 3
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == statuses[foreign_overdue.pk] == statuses[stock_id_overdue.pk] == "READY"
    assert statuses[alive.pk] == statuses[foreign_recent.pk] == "RUNNING"
    assert statuses[finished.pk] == "SUCCESSFUL"
    assert requeue_abandoned() == 0


def test_a_task_finished_meanwhile_keeps_its_result(database_queue, monkeypatch):
    host = new_worker_id().split(":")[0]
    task = _claimed(f"{host}:{_dead_pid()}:abc")
    found = abandoned()
    assert [r.pk for r in found] == [task.pk]
    task.set_successful(True)  # the worker finished between the look and the update
    monkeypatch.setattr("search.task_recovery.abandoned", lambda now=None, timeout=None: found)
    assert requeue_abandoned() == 0
    assert DBTaskResult.objects.get(pk=task.pk).status == "SUCCESSFUL"
