"""A resumable inspection of every link on every live page."""

from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page

from sitegroup.registry.lookup import profiles_by_root_path, site_root_path
from sites.models import ArticlePage

from .checker import DOC_RE, ExternalChecker, links_in
from .models import BrokenLink, CheckedPage, InspectionRun

BATCH = 50


def _page_html(page):
    parts = []
    for block in getattr(page, "body", []) or []:
        value = block.value
        parts.append(getattr(value, "source", None) or str(value))
    return "\n".join(parts)


def _internal_problem(href, site_paths, document_ids):
    match = DOC_RE.match(href)
    if match:
        return None if int(match.group(1)) in document_ids else "文档不存在"
    path = href.split("?", 1)[0]
    if path.startswith(("/static/", "/media/", "/search/")):
        return None
    return None if path.rstrip("/") + "/" in site_paths else "站内页面不存在或未发布"


def inspect(run=None, progress=None, checker=None, page_limit=None):
    """Run (or resume) an inspection. ``progress(done, total)`` is called per batch."""
    if run is None:
        run = InspectionRun.objects.filter(finished_at__isnull=True).first() or InspectionRun.objects.create()
    pages = ArticlePage.objects.live().order_by("path")
    run.total_pages = pages.count()
    run.save(update_fields=["total_pages"])
    done_ids = set(run.checked.values_list("page_id", flat=True))
    profiles = profiles_by_root_path()
    # Public URL paths of live pages per site ("/ywdt/a1/"), relative to each site's home.
    live_paths = {}
    for path, url_path in Page.objects.live().values_list("path", "url_path"):
        home = profiles.get(site_root_path(path))
        if home:
            live_paths.setdefault(home.pk, set()).add("/" + url_path.split("/", 2)[2] if url_path.count("/") > 2 else "/")
    document_ids = set(get_document_model().objects.values_list("pk", flat=True))
    checker = checker or ExternalChecker()
    todo = [pk for pk in pages.values_list("pk", flat=True) if pk not in done_ids]
    if page_limit is not None:
        todo = todo[:page_limit]
    for start in range(0, len(todo), BATCH):
        batch = list(ArticlePage.objects.filter(pk__in=todo[start:start + BATCH]))
        external = {}
        for page in batch:
            profile = profiles.get(site_root_path(page))
            if profile is None:
                continue
            for href in links_in(_page_html(page)):
                if href.startswith(("http://", "https://")):
                    external.setdefault(href, []).append((page, profile))
                else:
                    problem = _internal_problem(href, live_paths.get(profile.pk, set()), document_ids)
                    if problem:
                        BrokenLink.objects.create(run=run, site=profile, page_id=page.pk, page_title=page.title,
                                                  url=href[:1000], problem=problem)
        results = checker.run(list(external)) if external else {}
        for url, problem in results.items():
            if problem:
                for page, profile in external[url]:
                    BrokenLink.objects.create(run=run, site=profile, page_id=page.pk, page_title=page.title,
                                              url=url[:1000], problem=problem)
        CheckedPage.objects.bulk_create([CheckedPage(run=run, page_id=p.pk) for p in batch], ignore_conflicts=True)
        run.done_pages = run.checked.count()
        run.save(update_fields=["done_pages"])
        if progress:
            progress(run.done_pages, run.total_pages)
    if run.checked.count() >= run.total_pages:
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    return run
