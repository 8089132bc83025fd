"""防篡改: compare every target with the manifest and put back what was changed.

The manifest holds the SHA-256 of every file the publisher wrote. A file that
differs from it (altered), a manifest entry with no file (missing) and a file
nobody published (added) are each a finding; altered and missing files are
restored from the database (a fresh render, or the asset's current bytes) and
added files are deleted. The walk goes one top-level directory (one site, or
the shared assets) at a time, so memory is bounded by the largest site.

The publisher may be writing while this runs, so every finding is checked again
against the manifest just before acting: the publisher writes the file first
and its manifest row right after, and a file that matches its fresh row is a
publish, not tampering.
"""

from dataclasses import dataclass, field

from . import targets
from .apply import asset_bytes
from .changes import site_roots
from .models import ChangeKind, PublishedFile
from .render import render_page

ALTERED, MISSING, ADDED = "altered", "missing", "added"
LABELS = {ALTERED: "被篡改", MISSING: "被删除", ADDED: "被添加"}


@dataclass
class Finding:
    target: str
    key: str
    problem: str
    hostname: str


@dataclass
class VerifyReport:
    checked: int = 0
    hashed: int = 0
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def by_site(self):
        out = {}
        for finding in self.findings:
            out.setdefault(finding.hostname, []).append(finding)
        return out


def _manifest_tops(name):
    hosts = set(PublishedFile.objects.filter(target=name, kind=ChangeKind.PAGE)
                .values_list("hostname", flat=True).distinct())
    if PublishedFile.objects.filter(target=name, kind=ChangeKind.ASSET).exists():
        hosts.add(targets.SHARED_PREFIX)
    return hosts


def _row(name, key):
    return PublishedFile.objects.filter(target=name, key=key).first()


class Verifier:
    def __init__(self, report, progress=None, full=False, hostnames=None):
        self.report = report
        self.progress = progress
        self.full = full  # hash every file, not only those whose size or time changed
        # Only these sites' directories (a shard: several verifiers run side by side);
        # None: the whole tree, the shared assets and anything unknown at the top.
        self.hostnames = None if hostnames is None else set(hostnames)
        self.roots = {r.hostname: r for r in site_roots().values()}

    def run(self):
        for name in targets.names():
            try:
                self.verify_target(name)
            except OSError as exc:
                self.report.errors.append(f"{name}: {type(exc).__name__}: {exc}")

    def verify_target(self, name):
        target = targets.storage(name)
        tops = targets.top_levels(target) | _manifest_tops(name)
        if self.hostnames is not None:
            tops &= self.hostnames
        for top in sorted(tops):
            self.verify_prefix(name, target, top)

    def verify_prefix(self, name, target, top):
        hostname = "" if top == targets.SHARED_PREFIX else top
        expected = {key: (sha, size, mtime) for key, sha, size, mtime in PublishedFile.objects.filter(
            target=name, key__startswith=f"{top}/").values_list("key", "sha256", "size", "mtime_ns")}
        for key, stat in targets.walk_stat(target, top):
            self.report.checked += 1
            row = expected.pop(key, None)
            sha = row[0] if row else None
            if row is not None and not self.full and stat is not None and row[2] is not None and stat == row[1:]:
                continue  # same size and modification time as written
            self.report.hashed += 1
            data = targets.read(target, key)
            if data is None:
                continue  # removed while we walked: the missing check below decides
            actual = targets.digest(data)
            if sha is None:
                self.confirm(name, target, key, ADDED, hostname, actual)
            elif sha != actual:
                self.confirm(name, target, key, ALTERED, hostname, actual)
            if self.progress is not None and self.report.checked % 1000 == 0:
                self.progress(self.report.checked)
        for key in expected:
            self.confirm(name, target, key, MISSING, hostname, None)

    def confirm(self, name, target, key, problem, hostname, actual):
        row = _row(name, key)
        if problem == ADDED and row is not None and row.sha256 == actual:
            return  # published while we walked
        if problem == ALTERED and (row is None or row.sha256 == actual):
            return
        if problem == MISSING and (row is None or targets.read(target, key) is not None):
            return
        self.report.findings.append(Finding(name, key, problem, hostname))
        if problem == ADDED:
            targets.delete(target, key)
        else:
            self.restore(name, target, row)

    def restore(self, name, target, row):
        if row.kind == ChangeKind.ASSET:
            data = asset_bytes(row.path)
        else:
            root = self.roots.get(row.hostname)
            rendered = render_page(row.hostname, root.port, row.path) if root else None
            data = rendered.content if rendered else None
        if data is None:
            # No longer publishable: the file must not exist at all.
            targets.delete(target, row.key)
            row.delete()
            return
        row.mtime_ns = targets.write(target, row.key, data)
        row.sha256, row.size = targets.digest(data), len(data)
        row.save(update_fields=["sha256", "size", "mtime_ns", "written_at"])


def verify(progress=None, full=False, hostnames=None) -> VerifyReport:
    report = VerifyReport()
    Verifier(report, progress, full, hostnames).run()
    return report
