"""The Elasticsearch engine, for groups that outgrow the embedded one.

Built on elasticsearch-dsl: a Document mapping, bulk indexing, bool queries
with match_phrase per word (OR-ed with its synonyms), highlighting and terms
aggregations for facets. The analyzer is chosen when an index is created:
smartcn or ik when the cluster has the plugin, the built-in cjk analyzer
otherwise. The public name is an alias; a rebuild fills a new timestamped index
and swaps the alias in one atomic call, so searches never see a half-built index.
The database rows (SearchDocument) are kept as well: they are what
``search_index verify`` and ``status`` compare against.
"""

import datetime

from django.conf import settings
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import bulk
from elasticsearch_dsl import Boolean, Date, Document, Integer, Keyword, Long, Q, Search, Text

from .base import Hit, SearchEngine, SearchQuery, SearchResults
from .embedded import EmbeddedEngine

PLUGIN_ANALYZERS = [("analysis-smartcn", "smartcn"), ("analysis-ik", "ik_max_word")]


def choose_analyzer(plugins) -> str:
    names = {p.get("component") for p in plugins or []}
    for plugin, analyzer in PLUGIN_ANALYZERS:
        if plugin in names:
            return analyzer
    return "cjk"


def document_class(analyzer: str):
    class PageDocument(Document):
        page_id = Integer()
        site_id = Integer()
        title = Text(analyzer=analyzer, fields={"raw": Keyword()})
        body = Text(analyzer=analyzer)
        column_title = Keyword()
        column_kind = Keyword()
        content_type = Keyword()
        date = Date()
        source = Keyword()
        url = Keyword(index=False)
        story_id = Long()
        is_copy = Boolean()

    return PageDocument


def build_search(query: SearchQuery, index: str) -> Search:
    search = Search(index=index)
    must = []
    for group in query.terms:
        should = []
        for term in group:
            should += [Q("match_phrase", title={"query": term, "boost": 3}), Q("match_phrase", body=term)]
        must.append(Q("bool", should=should, minimum_should_match=1))
    filters = []
    if query.site_ids:
        filters.append(Q("terms", site_id=list(query.site_ids)))
    if query.column_kind:
        filters.append(Q("term", column_kind=query.column_kind))
    if query.content_type:
        filters.append(Q("term", content_type=query.content_type))
    if query.date_from or query.date_to:
        bounds = {}
        if query.date_from:
            bounds["gte"] = query.date_from.isoformat()
        if query.date_to:
            bounds["lte"] = query.date_to.isoformat()
        filters.append(Q("range", date=bounds))
    must_not = [Q("term", is_copy=True)] if query.collapse else []
    search = search.query(Q("bool", must=must, filter=filters, must_not=must_not))
    if query.sort == "date":
        search = search.sort({"date": {"order": "desc"}}, "_score")
    search = search.highlight("title", "body", fragment_size=120, number_of_fragments=1)
    for name in ("site_id", "column_kind", "content_type"):
        search.aggs.bucket(name, "terms", field=name, size=50)
    return search.extra(from_=query.offset, size=query.limit, track_total_hits=True)


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    def __init__(self, url=None, alias=None):
        self.url = url or settings.ELASTICSEARCH_URL
        self.alias = alias or settings.ELASTICSEARCH_INDEX
        self.client = Elasticsearch(self.url, request_timeout=10, retry_on_timeout=True, max_retries=2)
        self.rows = EmbeddedEngine()

    # ------------------------------------------------------------ index management

    def analyzer(self):
        try:
            plugins = self.client.cat.plugins(format="json")
        except Exception:  # noqa: BLE001 - emulators and locked-down clusters may not answer
            plugins = []
        return choose_analyzer(plugins)

    def _create_index(self, name):
        document = document_class(self.analyzer())
        document._index._name = name
        document.init(index=name, using=self.client)
        return name

    def _current_indices(self):
        try:
            return list(self.client.indices.get_alias(name=self.alias).keys())
        except NotFoundError:
            return []

    def ensure_index(self):
        if not self._current_indices():
            name = self._create_index(f"{self.alias}-{datetime.datetime.now():%Y%m%d%H%M%S%f}")
            self.client.indices.put_alias(index=name, name=self.alias)

    def _bulk_index(self, index, documents):
        actions = [
            {"_op_type": "index", "_index": index, "_id": d["page_id"],
             "_source": {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in d.items()
                         if not k.startswith("segmented")}}
            for d in documents
        ]
        if actions:
            bulk(self.client, actions, refresh="wait_for")

    # ------------------------------------------------------------ engine interface

    def index(self, documents):
        if not documents:
            return
        self.ensure_index()
        self._bulk_index(self.alias, documents)
        self.rows.index(documents)

    def delete(self, page_ids):
        page_ids = list(page_ids)
        self.ensure_index()
        bulk(
            self.client,
            [{"_op_type": "delete", "_index": self.alias, "_id": pk} for pk in page_ids],
            raise_on_error=False, refresh="wait_for",
        )
        self.rows.delete(page_ids)

    def clear(self):
        for name in self._current_indices():
            self.client.indices.delete(index=name)
        self.rows.clear()

    def rebuild(self, documents) -> int:
        """Fill a fresh index, then swap the alias to it atomically."""
        new = self._create_index(f"{self.alias}-{datetime.datetime.now():%Y%m%d%H%M%S%f}")
        old = self._current_indices()
        self.rows.clear()
        total = 0
        for batch in documents:
            self._bulk_index(new, batch)
            self.rows.index(batch)
            total += len(batch)
        actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": new, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        for name in old:
            self.client.indices.delete(index=name)
        return total

    def count(self, site_id=None):
        self.ensure_index()
        body = {"query": {"term": {"site_id": site_id}}} if site_id else None
        return self.client.count(index=self.alias, body=body)["count"] if body else \
            self.client.count(index=self.alias)["count"]

    def search(self, query: SearchQuery) -> SearchResults:
        if not query.terms:
            return SearchResults([], 0)
        self.ensure_index()
        response = build_search(query, self.alias).using(self.client).execute()
        hits = []
        for item in response:
            source = item.to_dict()
            date = source.get("date")
            hits.append(Hit(
                page_id=source["page_id"], title=source.get("title", ""), body=source.get("body", ""),
                url=source.get("url", ""), site_id=source.get("site_id"),
                column_title=source.get("column_title", ""), column_kind=source.get("column_kind", ""),
                content_type=source.get("content_type", ""),
                date=datetime.date.fromisoformat(date[:10]) if date else None, source=source.get("source", ""),
                story_id=source.get("story_id"),
            ))
        facets = {}
        aggregations = getattr(response, "aggregations", None)
        for name in ("site_id", "column_kind", "content_type"):
            buckets = getattr(aggregations, name, None) if aggregations else None
            facets[name.removesuffix("_id")] = {b.key: b.doc_count for b in (buckets.buckets if buckets else [])}
        total = response.hits.total.value if hasattr(response.hits.total, "value") else int(response.hits.total)
        if query.collapse:
            self.attach_copies(hits)
        return SearchResults(hits, total, facets)
