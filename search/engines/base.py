"""The interface every search engine implements, and the shapes it speaks in."""

import datetime
from dataclasses import dataclass, field


@dataclass
class SearchQuery:
    terms: list[list[str]]  # AND of OR-groups (a word and its synonyms)
    site_ids: list[int] = field(default_factory=list)
    column_kind: str = ""
    content_type: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "relevance"  # or "date"
    offset: int = 0
    limit: int = 10
    # Group-wide: a story accepted by other sites (报送采用) is one hit, its original.
    collapse: bool = False


@dataclass
class Hit:
    page_id: int
    title: str
    body: str
    url: str
    site_id: int
    column_title: str
    column_kind: str
    content_type: str
    date: datetime.date | None
    source: str
    story_id: int | None = None
    also: list = field(default_factory=list)  # [(site_id, url)] of the copies, when collapsed


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    facets: dict = field(default_factory=dict)  # name -> {value: count}; empty for very large results
    capped: bool = False  # total is a lower bound (COUNT_CAP reached)
    rank_window: int | None = None  # relevance was ranked among only this many newest matches


class SearchEngine:
    name = "base"

    def index(self, documents: list[dict]) -> None:
        raise NotImplementedError

    def delete(self, page_ids: list[int]) -> None:
        raise NotImplementedError

    def search(self, query: SearchQuery) -> SearchResults:
        raise NotImplementedError

    def count(self, site_id: int | None = None) -> int:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def attach_copies(self, hits) -> None:
        """Fill ``hit.also`` with the sites that carry each hit's story as a copy.
        Both engines keep the index rows in the database, so one query serves both."""
        from ..models import SearchDocument

        stories = {hit.story_id or hit.page_id: hit for hit in hits}
        if not stories:
            return
        rows = SearchDocument.objects.filter(story_id__in=list(stories), is_copy=True).order_by("site_id")
        for story_id, site_id, url in rows.values_list("story_id", "site_id", "url"):
            stories[story_id].also.append((site_id, url))

    def rebuild(self, documents) -> int:
        """Replace the whole index with ``documents`` (an iterable of dict batches)."""
        self.clear()
        total = 0
        for batch in documents:
            self.index(batch)
            total += len(batch)
        return total
