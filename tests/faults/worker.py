"""A real task worker for the fault tests, run as ``python tests/faults/worker.py
<manage.py command> [options]`` in a subprocess.

It uses the test settings with the database queue (the tests themselves run tasks
immediately) and, only here, never in the project's code, can hold an index update
at a chosen point so that the test can SIGKILL the worker in the middle of it:

FAULT_PAUSE=index        inside the index transaction, the page's document written but not committed
FAULT_PAUSE=after-index  after the document was committed, before the task's result is recorded
FAULT_MARKER=<path>      created when the pause is reached
FAULT_LOG=<path>         one line per index write that completed (committed)
"""

import os
import sys
import time
from pathlib import Path


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitegroup.settings.test")
    from django.conf import settings

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    import django

    django.setup()
    from django.db import transaction

    from search.engines.embedded import EmbeddedEngine

    pause = os.environ.get("FAULT_PAUSE", "")
    marker = os.environ.get("FAULT_MARKER")
    log = os.environ.get("FAULT_LOG")
    original = EmbeddedEngine.index

    def hold(where):
        if pause == where:
            Path(marker + ".tmp").write_text(str(os.getpid()))
            os.replace(marker + ".tmp", marker)  # the test never reads half a marker
            time.sleep(300)  # until the test kills the process

    def index(self, documents):
        with transaction.atomic():
            original(self, documents)
            hold("index")
        if log:
            with open(log, "a") as f:
                f.write(f"{os.getpid()} {[d['page_id'] for d in documents]}\n")
        hold("after-index")

    EmbeddedEngine.index = index
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *sys.argv[1:]])


if __name__ == "__main__":
    main()
