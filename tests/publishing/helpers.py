from sitegroup.publishing import services, targets
from sitegroup.publishing.models import PublishedFile

HOST = "pub.localhost"
SITE_PAGES = {"/", "/ywdt/", "/tzgg/", "/zcwj/", "/xxgk/", "/hdjl/", "/ztzl/"}


def drained():
    """Apply what is queued; the addresses rendered and removed, as sets of paths."""
    report = services.drain()
    assert report is not None and not report.failed, report and report.failed
    return _paths(report.rendered), _paths(report.removed), report


def _paths(pairs):
    return {path if host == HOST else f"{host}{path}" for host, path in pairs}


def file_of(root, path, host=HOST):
    return root / targets.page_key(host, path)


def manifest_paths(target="node1", host=HOST):
    return set(PublishedFile.objects.filter(target=target, hostname=host, kind="page").values_list("path", flat=True))
