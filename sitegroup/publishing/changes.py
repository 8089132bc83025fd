"""Which addresses an edit changes, written as ``StaticChange`` rows.

A page shows itself, and its title appears in the listings of its ancestors
(column pages, the home page's sections) and in the breadcrumbs of its
descendants; the top-level columns are the navigation of every page of the
site; the filing footer and the theme are on every page. So:

* a page published with its title and address unchanged: the page and its ancestors;
* its title or address changed: also its descendants (breadcrumbs, addresses),
  and every page of the site if it is a top-level column or the home page;
* unpublished, deleted, moved, restricted: what the manifest holds under its old
  address, what is live under the new one, and the ancestors of both;
* the site's filing record or theme: every page of the site; the group's
  directory of sites or a Site record: every page of every site.
"""

import logging
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from sitegroup.registry.lookup import SITE_ROOT_DEPTH, site_root_path

from .models import ChangeKind, PublishedFile, StaticChange

logger = logging.getLogger(__name__)
NAV_DEPTH = SITE_ROOT_DEPTH + 1
CHUNK = 5000


def enabled() -> bool:
    return bool(getattr(settings, "STATIC_PUBLISH_ENABLED", False))


@dataclass(frozen=True)
class SiteRoot:
    hostname: str
    port: int
    path: str
    url_path: str


def site_roots() -> dict[str, SiteRoot]:
    """root page path → the site it is the root of."""
    return {
        path: SiteRoot(hostname, port, path, url_path)
        for hostname, port, path, url_path in Site.objects.values_list(
            "hostname", "port", "root_page__path", "root_page__url_path"
        )
    }


def site_of(page) -> SiteRoot | None:
    root = site_root_path(page)
    return site_roots().get(root) if root else None


def relative(url_path: str, root: SiteRoot) -> str:
    """``/home/news/a/`` under root ``/home/`` → ``/news/a/``."""
    return "/" + url_path[len(root.url_path):]


def _ancestor_paths(root: SiteRoot, rel: str) -> list[str]:
    """``/news/a/`` → ``/``, ``/news/`` (the pages that list it)."""
    parts = [p for p in rel.strip("/").split("/") if p]
    return ["/" + "".join(f"{p}/" for p in parts[:i]) for i in range(len(parts))]


def _live_under(page_path: str):
    return (
        Page.objects.live().public().filter(path__startswith=page_path)
        .values_list("url_path", flat=True).iterator(chunk_size=CHUNK)
    )


def _manifest_under(hostname: str, rel: str):
    return (
        PublishedFile.objects.filter(kind=ChangeKind.PAGE, hostname=hostname, path__startswith=rel)
        .values_list("path", flat=True).distinct().iterator(chunk_size=CHUNK)
    )


def record(addresses, reason: str) -> int:
    """Queue (hostname, path) pairs; they are applied once the transaction commits."""
    if not enabled():
        return 0
    rows = (StaticChange(hostname=h, path=p, reason=reason[:40]) for h, p in addresses)
    count = 0
    while True:
        chunk = list(islice(rows, CHUNK))
        if not chunk:
            break
        StaticChange.objects.bulk_create(chunk)
        count += len(chunk)
    if count:
        _kick_on_commit()
    return count


_KICK_ATTR = "_static_publish_kick"


def _kick_on_commit():
    # One drain per transaction, however many edits it holds.
    from django.db import connection

    hooks = connection.run_on_commit if connection.in_atomic_block else None
    if hooks is not None and getattr(connection, _KICK_ATTR, None) is hooks:
        return
    if hooks is not None:
        setattr(connection, _KICK_ATTR, hooks)
    transaction.on_commit(kick)


def kick(**options):
    from .tasks import drain_static

    try:
        drain_static.using(**options).enqueue() if options else drain_static.enqueue()
    except Exception as exc:  # noqa: BLE001 - a queue outage must not break publishing; cron drains too
        logger.warning("Could not queue static publishing: %s", exc)


def whole_site(root: SiteRoot):
    seen = set()
    for url_path in _live_under(root.path):
        path = relative(url_path, root)
        seen.add(path)
        yield root.hostname, path
    for path in _manifest_under(root.hostname, "/"):
        if path not in seen:
            yield root.hostname, path


def whole_group():
    roots = list(site_roots().values())
    for root in roots:
        yield from whole_site(root)
    hostnames = {root.hostname for root in roots}
    orphaned = (
        PublishedFile.objects.filter(kind=ChangeKind.PAGE).exclude(hostname__in=hostnames)
        .values_list("hostname", "path").distinct()
    )
    yield from orphaned


def _with_ancestors(root, rel):
    return [(root.hostname, p) for p in _ancestor_paths(root, rel)]


def after_publish(page) -> list:
    root = site_of(page)
    if root is None:
        return []
    rel = relative(page.url_path, root)
    before = list(PublishedFile.objects.filter(kind=ChangeKind.PAGE, page_id=page.pk).values_list(
        "hostname", "path", "title").distinct())
    renamed = not before or any(title != page.title for _h, _p, title in before)
    moved = [(h, p) for h, p, _t in before if (h, p) != (root.hostname, rel)]
    if page.depth <= NAV_DEPTH and (renamed or moved):
        # The home page's title heads every breadcrumb; top-level columns are the navigation.
        return list(whole_site(root)) + moved
    addresses = [(root.hostname, rel), *_with_ancestors(root, rel), *moved]
    if before and (renamed or moved):
        addresses += [(root.hostname, relative(u, root)) for u in _live_under(page.path)]
        for h, p in moved:
            addresses += [(h, q) for q in _manifest_under(h, p)]
    addresses += _referrers(page)
    return addresses


def _referrers(page):
    """Pages that show this page's title as a link (a repealed document's successor),
    and copies on other sites that show its body (采用信息) with the listings of their columns."""
    from sites.models import DisclosureEntryPage
    from sites.syndicated import copies_of

    out = []
    for other in DisclosureEntryPage.objects.live().filter(replaced_by_id=page.pk).only("path", "url_path"):
        root = site_of(other)
        if root is not None:
            out.append((root.hostname, relative(other.url_path, root)))
    for copy in copies_of([page.pk]).only("path", "url_path"):
        root = site_of(copy)
        if root is not None:
            rel = relative(copy.url_path, root)
            out += [(root.hostname, rel), *_with_ancestors(root, rel)]
    return out


def removed_subtree(page, url_path=None) -> list:
    """A page and everything under it leaves (unpublished or deleted): its files
    and the listings of its ancestors."""
    root = site_of(page)
    if root is None:
        return []
    rel = relative(url_path or page.url_path, root)
    addresses = [(root.hostname, rel), *(_with_ancestors(root, rel))]
    addresses += [(root.hostname, p) for p in _manifest_under(root.hostname, rel)]
    if page.depth == NAV_DEPTH:
        addresses += list(whole_site(root))
    return addresses


def after_move(page, url_path_before: str) -> list:
    roots = site_roots()
    addresses = []
    old = next((r for r in roots.values() if url_path_before.startswith(r.url_path)), None)
    if old is not None:
        rel_before = relative(url_path_before, old)
        addresses += [(old.hostname, rel_before), *_with_ancestors(old, rel_before)]
        addresses += [(old.hostname, p) for p in _manifest_under(old.hostname, rel_before)]
        if rel_before.count("/") == 2:  # was a top-level column: the old site's navigation
            addresses += list(whole_site(old))
    new = site_of(page)
    if new is not None:
        rel = relative(page.url_path, new)
        addresses += _with_ancestors(new, rel)
        addresses += [(new.hostname, relative(u, new)) for u in _live_under(page.path)]
        if page.depth == NAV_DEPTH:
            addresses += list(whole_site(new))
    # Copies elsewhere name the moved stories' addresses as canonical and 来源.
    return addresses + _copies_under(page)


def _copies_under(page) -> list:
    """Copies on other sites of the stories under ``page`` (they show or hide with them)."""
    from sites.syndicated import copies_under

    out = []
    for copy in copies_under(page.path).only("path", "url_path"):
        root = site_of(copy)
        if root is not None:
            rel = relative(copy.url_path, root)
            out += [(root.hostname, rel), *_with_ancestors(root, rel)]
    return out


def restriction_changed(page) -> list:
    root = site_of(page)
    if root is None:
        return []
    rel = relative(page.url_path, root)
    addresses = [*_with_ancestors(root, rel), *_copies_under(page)]
    addresses += [(root.hostname, relative(u, root)) for u in Page.objects.filter(
        path__startswith=page.path).values_list("url_path", flat=True)]
    addresses += [(root.hostname, p) for p in _manifest_under(root.hostname, rel)]
    if page.depth <= NAV_DEPTH:
        addresses += list(whole_site(root))
    return addresses


def site_changed(site_id) -> list:
    site = Site.objects.filter(pk=site_id).select_related("root_page").first()
    if site is None:
        return list(whole_group())
    root = site_roots().get(site.root_page.path)
    return (list(whole_site(root)) + _copies_under(site.root_page)) if root else []
