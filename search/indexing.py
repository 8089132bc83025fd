"""What goes into the index, and keeping it in step with the page tree."""

import logging

from wagtail.models import Page

from sitegroup.registry.lookup import profile_for_page, site_root_path
from sitegroup.registry.models import SiteStatus
from sites.columns import ColumnKind
from sites.extraction import page_text_segments
from sites.interaction.models import LetterReplyPage
from sites.models import ArticlePage, DisclosureEntryPage
from sites.visibility import is_public

from .engines import get_engine
from .models import PendingUpdate
from .segment import mainland, segmented
from .suggest import learn_title

logger = logging.getLogger(__name__)
CONTENT_TYPES = {DisclosureEntryPage: "disclosure", ArticlePage: "article", LetterReplyPage: "letter"}
CONTENT_TYPE_LABELS = {"article": "文章", "disclosure": "信息公开", "letter": "信件选登"}


def _content_type(page):
    for model, name in CONTENT_TYPES.items():
        if isinstance(page, model):
            return name
    return None


def profile_for(page, profiles=None):
    """``profiles``: a root path → profile map (``profiles_by_root_path``) for batches."""
    if profiles is not None:
        return profiles.get(site_root_path(page))
    return profile_for_page(page)


def document_for(page, profiles=None):
    """The index document of a page, or None when it must not be searchable."""
    page = page.specific
    kind = _content_type(page)
    if kind is None or not page.live or page.expired or not is_public(page):
        return None
    if kind == "letter" and not page.shown_publicly:
        return None  # answered on the citizen's query page only
    if getattr(page, "story_id", None) and page.live_story is None:
        return None  # a copy (采用信息) whose source is no longer public
    profile = profile_for(page, profiles)
    if profile is None or profile.status == SiteStatus.CLOSED:
        return None
    texts = [s.text for s in page_text_segments(page) if s.kind != "error" and s.location != "标题"]
    body = "\n".join(texts)
    column = Page.objects.filter(path=page.path[: -Page.steplen]).specific().first()
    home_url_path = profile.site.root_page.url_path if hasattr(profile.site, "root_page") else ""
    relative = page.url_path[len(home_url_path) - 1:] if home_url_path else page.url_path
    return {
        "page_id": page.pk,
        "site_id": profile.pk,
        "title": page.title[:255],
        "body": body,
        # Indexed in mainland simplified, like queries, so a page written in traditional
        # script is found by 电子政务 and by 電子政務 alike.
        "segmented_title": segmented(mainland(page.title)),
        "segmented": segmented(mainland(body)),
        "column_title": column.title if column else "",
        # A letter's parent is its channel (信箱), which lives in the 互动交流 column.
        "column_kind": ColumnKind.INTERACTION if kind == "letter" else (getattr(column, "kind", "") if column else ""),
        "content_type": kind,
        "date": getattr(page, "date", None) or getattr(page, "replied_on", None),
        "source": getattr(page, "source", "")[:100],
        "url": f"{profile.site.root_url}{relative}",
        "story_id": getattr(page, "story_id", None) or page.pk,
        "is_copy": bool(getattr(page, "story_id", None)),
    }


def update_page(page_id):
    """Bring one page's index entry in line with the page. Never raises: a failure
    is recorded for retry so that publishing never depends on the search engine."""
    engine = get_engine()
    try:
        page = Page.objects.filter(pk=page_id).first()
        document = document_for(page) if page else None
        if document:
            engine.index([document])
            learn_title(document["title"])
        else:
            engine.delete([page_id])
        PendingUpdate.objects.filter(page_id=page_id).delete()
        return True
    except Exception as exc:  # noqa: BLE001 - engine down, bad attachment...: retry later
        logger.warning("Search index update for page %s failed: %s", page_id, exc)
        pending, _ = PendingUpdate.objects.get_or_create(page_id=page_id)
        pending.attempts += 1
        pending.last_error = str(exc)[:2000]
        pending.save()
        return False


def remove_page(page_id):
    try:
        get_engine().delete([page_id])
        return True
    except Exception as exc:  # noqa: BLE001
        logger.warning("Search index removal for page %s failed: %s", page_id, exc)
        PendingUpdate.objects.get_or_create(page_id=page_id)
        return False


def retry_pending(limit=1000):
    done = 0
    for page_id in PendingUpdate.objects.order_by("attempts", "created_at").values_list("page_id", flat=True)[:limit]:
        done += update_page(page_id)
    return done


def indexable_pages(site=None):
    pages = Page.objects.live().type(ArticlePage, LetterReplyPage).order_by("path")
    if site is not None:
        pages = pages.descendant_of(site.site.root_page)
    return pages



