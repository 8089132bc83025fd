"""Apply queued changes to every target, in order, one worker at a time.

Each address is rendered once per batch from what the database holds now and
written to every target that has not applied it yet; an address that must not
be a file (unpublished, restricted, gone) is deleted. A target that fails is
left at its position and retried later with a growing delay, while the others
go on: because every change renders the current state, re-applying a batch to a
recovering target is safe, and a later unpublish can never be overtaken by an
earlier publish of the same page.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from wagtail.models import Page

from . import lease, targets
from .changes import site_roots
from .models import ChangeKind, PublishedFile, StaticChange, TargetState
from .render import render_page

logger = logging.getLogger(__name__)
BATCH = 200


@dataclass
class Report:
    rendered: list = field(default_factory=list)   # (hostname, path) written as files
    removed: list = field(default_factory=list)    # (hostname, path) that must not be files
    written: dict = field(default_factory=dict)    # target → files written
    failed: dict = field(default_factory=dict)     # target → error
    changes: int = 0

    def count(self, target):
        self.written[target] = self.written.get(target, 0) + 1


def states() -> list[TargetState]:
    wanted = targets.names()
    existing = {s.name: s for s in TargetState.objects.filter(name__in=wanted)}
    for name in wanted:
        if name not in existing:
            # A new target starts from the oldest change still queued; publish_static fills it.
            existing[name], _ = TargetState.objects.get_or_create(name=name)
    return [existing[name] for name in wanted]


def pending() -> int:
    low = min((s.position for s in states()), default=0)
    return StaticChange.objects.filter(id__gt=low).count()


def _backoff(failures):
    base = getattr(settings, "STATIC_PUBLISH_RETRY_SECONDS", 5)
    cap = getattr(settings, "STATIC_PUBLISH_RETRY_MAX_SECONDS", 300)
    return min(cap, base * 2 ** max(0, failures - 1))


def _fail(state, exc, report):
    state.failures += 1
    state.retry_at = timezone.now() + timedelta(seconds=_backoff(state.failures))
    state.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    state.save(update_fields=["failures", "retry_at", "last_error", "updated_at"])
    report.failed[state.name] = state.last_error
    logger.warning("Static publishing target %s failed: %s", state.name, state.last_error)


def asset_bytes(url_path: str) -> bytes | None:
    """The current content of ``/static/...`` or ``/media/...``, or None."""
    if url_path.startswith(settings.STATIC_URL):
        name = url_path[len(settings.STATIC_URL):]
        try:
            if staticfiles_storage.exists(name):
                with staticfiles_storage.open(name) as fh:
                    return fh.read()
        except (OSError, ValueError):
            pass
        found = finders.find(name)
        if found:
            with open(found, "rb") as fh:
                return fh.read()
        return None
    if url_path.startswith(settings.MEDIA_URL):
        name = url_path[len(settings.MEDIA_URL):]
        try:
            with default_storage.open(name) as fh:
                return fh.read()
        except (OSError, ValueError):
            return None
    return None


class Applier:
    def __init__(self, report):
        self.report = report
        self.roots = {r.hostname: r for r in site_roots().values()}
        self.assets_done = {}
        self.upserts = {}   # (target, key) → PublishedFile, written once per batch
        self.deletes = []   # (target, key)

    def resolve(self, hostname, path):
        root = self.roots.get(hostname)
        if root is None:
            return None
        return render_page(hostname, root.port, path)

    def apply_batch(self, batch, active):
        top = batch[-1].id
        last = {}
        for change in batch:
            last[(change.hostname, change.path)] = change.id
        keys = sorted(last, key=last.get)
        healthy = list(active)
        manifest = self._manifest(healthy, keys)
        page_rows = self._pages(keys)
        for hostname, path in keys:
            needing = [s for s in healthy if s.position < last[(hostname, path)]]
            if not needing:
                continue
            result = self.resolve(hostname, path)
            (self.report.rendered if result else self.report.removed).append((hostname, path))
            for state in list(needing):
                try:
                    self._apply(state, hostname, path, result, manifest, page_rows.get((hostname, path)))
                except Exception as exc:  # noqa: BLE001 - any storage error: retry this target later
                    _fail(state, exc, self.report)
                    healthy.remove(state)
        with transaction.atomic():
            # The files are on the targets: record them, then move the positions on.
            self.flush()
            for state in healthy:
                if state.position < top or state.failures:
                    state.position = max(state.position, top)
                    state.failures, state.retry_at, state.last_error = 0, None, ""
                    state.save(update_fields=["position", "failures", "retry_at", "last_error", "updated_at"])

    def flush(self):
        """One upsert per batch rather than a commit per file (SQLite syncs each commit)."""
        if self.deletes:
            by_target = {}
            for name, key in self.deletes:
                by_target.setdefault(name, []).append(key)
            for name, keys in by_target.items():
                PublishedFile.objects.filter(target=name, key__in=keys).delete()
        if self.upserts:
            PublishedFile.objects.bulk_create(
                list(self.upserts.values()), update_conflicts=True, unique_fields=["target", "key"],
                update_fields=["kind", "hostname", "path", "page_id", "title", "sha256", "size", "mtime_ns",
                               "written_at"],
            )
        self.upserts, self.deletes = {}, []

    def _record(self, name, key, **fields):
        self.upserts[(name, key)] = PublishedFile(target=name, key=key, written_at=timezone.now(), **fields)

    def _manifest(self, states_, keys):
        files = [targets.page_key(h, p) for h, p in keys]
        rows = PublishedFile.objects.filter(target__in=[s.name for s in states_], key__in=files)
        return {(row.target, row.key): row for row in rows}

    def _pages(self, keys):
        """(hostname, path) → (page id, title), one query per batch."""
        wanted = {}
        for hostname, path in keys:
            root = self.roots.get(hostname)
            if root is not None:
                wanted[root.url_path + path[1:]] = (hostname, path)
        rows = Page.objects.filter(url_path__in=list(wanted)).values_list("url_path", "id", "title")
        return {wanted[u]: (pk, title) for u, pk, title in rows if u in wanted}

    def _apply(self, state, hostname, path, result, manifest, page):
        target = targets.storage(state.name)
        key = targets.page_key(hostname, path)
        row = manifest.get((state.name, key))
        if result is None:
            targets.delete(target, key)
            if row is not None:
                self.deletes.append((state.name, key))
                self.upserts.pop((state.name, key), None)
            return
        sha = targets.digest(result.content)
        for asset in result.assets:
            self.publish_asset(state.name, target, asset)
        page_id, title = page or (None, "")
        fields = {"kind": ChangeKind.PAGE, "hostname": hostname, "path": path, "page_id": page_id,
                  "title": title[:255], "sha256": sha, "size": len(result.content)}
        if row is not None and row.sha256 == sha:
            if (row.title, row.page_id) != (fields["title"], page_id):
                self._record(state.name, key, **fields, mtime_ns=row.mtime_ns)
            return  # unchanged bytes: nothing to write (verify_static checks the file itself)
        fields["mtime_ns"] = targets.write(target, key, result.content)
        self.report.count(state.name)
        self._record(state.name, key, **fields)

    def publish_asset(self, name, target, url_path):
        done = self.assets_done.setdefault(name, None)
        if done is None:
            done = self.assets_done[name] = dict(PublishedFile.objects.filter(
                target=name, kind=ChangeKind.ASSET).values_list("key", "sha256"))
        key = targets.asset_key(url_path)
        if key in done:
            return
        data = asset_bytes(url_path)
        if data is None:
            return  # nothing to copy: nginx falls back to the application
        sha = targets.digest(data)
        mtime_ns = targets.write(target, key, data)
        self.report.count(name)
        self._record(name, key, kind=ChangeKind.ASSET, hostname="", path=url_path, page_id=None, title="",
                     sha256=sha, size=len(data), mtime_ns=mtime_ns)
        done[key] = sha


def drain(progress=None, wait=0.0, report=None) -> Report | None:
    """Apply everything queued; None when another worker is already at it."""
    report = report or Report()
    while True:
        try:
            with lease.held(wait=wait) as owner:
                _drain(owner, report, progress)
        except lease.Busy:
            return None
        # A change committed while we held the lease found it busy and left its
        # rows to us: look again now that the lease is released.
        if not _pending_for(_active(states(), report)):
            break
    if report.failed:
        _schedule_retry()
    return report


def _active(all_states, report):
    # A target that failed in this run waits for its retry, even with no backoff.
    now = timezone.now()
    return [s for s in all_states
            if s.name not in report.failed and (s.retry_at is None or s.retry_at <= now)]


def _pending_for(active):
    if not active:
        return False
    return StaticChange.objects.filter(id__gt=min(s.position for s in active)).exists()


def _drain(owner, report, progress):
    applier = Applier(report)
    all_states = states()
    started = time.monotonic()
    total = None
    while True:
        active = _active(all_states, report)
        if not active:
            break
        low = min(s.position for s in active)
        if total is None and progress is not None:
            total = StaticChange.objects.filter(id__gt=low).count()
        batch = list(StaticChange.objects.filter(id__gt=low).order_by("id")[:BATCH])
        if not batch:
            break
        applier.apply_batch(batch, active)
        report.changes += len(batch)
        lease.renew(owner)
        if progress is not None:
            progress(report.changes, total, time.monotonic() - started)
    floor = TargetState.objects.filter(name__in=targets.names()).aggregate(low=Min("position"))["low"]
    if floor:
        StaticChange.objects.filter(id__lte=floor).delete()


def _schedule_retry():
    from .changes import kick

    retry = TargetState.objects.filter(retry_at__isnull=False).aggregate(at=Min("retry_at"))["at"]
    if retry is not None:
        kick(run_after=retry)
