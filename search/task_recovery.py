"""Background tasks whose worker died: put them back in the queue.

django-tasks-db marks a task RUNNING when a worker claims it and only records the
outcome when the task returns or raises. A worker killed outright (SIGKILL, the OOM
killer, a power cut) records nothing, and no worker ever picks a RUNNING task up
again: without this module the task stays RUNNING for ever and its work is lost.

The queue keeps no heartbeat, only the ids of the workers that claimed a task. The
``task_worker`` command names its workers ``host:pid:random``, so a task claimed by
a worker of this host whose process is gone is re-queued at once; any other task
(another host, a worker started with its own id, a process id reused after a
restart) is re-queued once it has been running longer than ``TASK_RUNNING_TIMEOUT``
seconds. Re-running is safe because the tasks are idempotent: an index update
replaces the page's document (one per page, keyed by the page id).
"""

import datetime
import logging
import os
import socket

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30 * 60  # seconds; index updates take seconds


def running_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "TASK_RUNNING_TIMEOUT", DEFAULT_TIMEOUT)))


def _host() -> str:
    return socket.gethostname().split(".")[0][:40] or "localhost"


def new_worker_id() -> str:
    """``host:pid:random`` (at most 64 characters, as django-tasks-db requires)."""
    return f"{_host()}:{os.getpid()}:{get_random_string(8)}"


def worker_alive(worker_id: str) -> bool | None:
    """True or False for a worker of this host named by ``new_worker_id``; None
    when it cannot be told (another host, or an id in another form)."""
    host, _, rest = (worker_id or "").partition(":")
    pid, _, _ = rest.partition(":")
    if host != _host() or not pid.isdigit():
        return None
    pid = int(pid)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        return True
    except OSError:
        return None
    return True


def abandoned(now=None, timeout=None):
    """RUNNING tasks whose worker is gone, or that have run longer than the timeout."""
    now = now or timezone.now()
    limit = now - (timeout if timeout is not None else running_timeout())
    found = []
    for result in DBTaskResult.objects.running().only("id", "task_path", "worker_ids", "started_at"):
        worker = result.worker_ids[-1] if result.worker_ids else ""
        alive = worker_alive(worker)
        too_long = result.started_at is None or result.started_at <= limit
        if alive is False or too_long:
            found.append(result)
    return found


def requeue_abandoned(now=None, timeout=None) -> int:
    """Put abandoned tasks back to READY; return how many. The update only applies
    to a task still RUNNING since the same start, so a worker finishing it at this
    moment keeps its result."""
    count = 0
    for result in abandoned(now, timeout):
        changed = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at,
        ).update(status=TaskResultStatus.READY)
        if changed:
            count += 1
            logger.warning(
                "Re-queued task %s (%s): its worker %s stopped while running it.",
                result.pk, result.task_path, result.worker_ids[-1:],
            )
    return count
