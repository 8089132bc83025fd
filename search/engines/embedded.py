"""The embedded engine: full-text search in the project's own database.

SQLite uses an FTS5 table keyed by the document id; PostgreSQL a generated
tsvector column with a GIN index ('simple' configuration). Both index text already
segmented by jieba, so matching is word-based on both.
"""

import datetime

from django.conf import settings
from django.db import connection, transaction

from ..models import SearchDocument
from .base import Hit, SearchEngine, SearchQuery, SearchResults

COUNT_CAP = 10_000
FACET_CAP = 2_000
# Above this many matches, relevance is ranked among the newest RANK_WINDOW (see _windowed).
RANK_WINDOW = 2_000
FIELDS = ["id", "page_id", "title", "body", "url", "site_id", "column_title", "column_kind", "content_type",
          "date", "source", "story_id"]


def _fts5_match(terms):
    groups = []
    for group in terms:
        quoted = [f'"{t.replace(chr(34), chr(34) * 2)}"' for t in group]
        groups.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
    return " ".join(groups)


def _tsquery(terms):
    # Terms are \w+ words (see segment.TOKEN_RE), so they need no escaping in tsquery syntax.
    groups = []
    for group in terms:
        groups.append(group[0] if len(group) == 1 else "(" + " | ".join(group) + ")")
    return " & ".join(groups)


class EmbeddedEngine(SearchEngine):
    name = "embedded"

    @property
    def vendor(self):
        return connection.vendor

    @property
    def rank_window(self):
        return max(1, int(getattr(settings, "SEARCH_RANK_WINDOW", RANK_WINDOW)))

    # ------------------------------------------------------------ writing

    @transaction.atomic
    def index(self, documents):
        if not documents:
            return
        page_ids = [d["page_id"] for d in documents]
        self._delete_fulltext(page_ids)
        SearchDocument.objects.filter(page_id__in=page_ids).delete()
        created = SearchDocument.objects.bulk_create([SearchDocument(**d) for d in documents], batch_size=500)
        if self.vendor == "sqlite":  # PostgreSQL's search_vector is a generated column
            if not created or created[0].pk is None:  # backends that do not return ids
                created = list(SearchDocument.objects.filter(page_id__in=page_ids))
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO sitesearch_fts (rowid, title, body) VALUES (%s, %s, %s)",
                    [(d.pk, d.segmented_title, d.segmented) for d in created],
                )

    def _delete_fulltext(self, page_ids):
        if self.vendor == "sqlite":
            ids = list(SearchDocument.objects.filter(page_id__in=page_ids).values_list("id", flat=True))
            if ids:
                with connection.cursor() as cursor:
                    cursor.executemany("DELETE FROM sitesearch_fts WHERE rowid = %s", [(i,) for i in ids])

    @transaction.atomic
    def delete(self, page_ids):
        page_ids = list(page_ids)
        self._delete_fulltext(page_ids)
        SearchDocument.objects.filter(page_id__in=page_ids).delete()

    @transaction.atomic
    def clear(self):
        if self.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM sitesearch_fts")
        SearchDocument.objects.all().delete()

    def analyse(self):
        """Refresh planner statistics after bulk writes, so PostgreSQL keeps using
        the GIN index instead of scanning (autovacuum would get there, later)."""
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE sitesearch_searchdocument")

    def rebuild(self, documents) -> int:
        total = super().rebuild(documents)
        self.analyse()
        return total

    def count(self, site_id=None):
        qs = SearchDocument.objects.all()
        return qs.filter(site_id=site_id).count() if site_id else qs.count()

    # ------------------------------------------------------------ reading

    def _filters(self, query: SearchQuery):
        clauses, params = [], []
        if query.site_ids:
            clauses.append(f"d.site_id IN ({', '.join(['%s'] * len(query.site_ids))})")
            params += list(query.site_ids)
        if query.column_kind:
            clauses.append("d.column_kind = %s")
            params.append(query.column_kind)
        if query.content_type:
            clauses.append("d.content_type = %s")
            params.append(query.content_type)
        if query.date_from:
            clauses.append("d.date >= %s")
            params.append(query.date_from)
        if query.date_to:
            clauses.append("d.date <= %s")
            params.append(query.date_to)
        if query.collapse:
            clauses.append("d.is_copy = %s")
            params.append(False)
        return "".join(f" AND {c}" for c in clauses), params

    def _base(self, query):
        where, params = self._filters(query)
        if self.vendor == "sqlite":
            # CROSS JOIN makes SQLite drive from the FTS match, never from a filter index.
            source = ("FROM sitesearch_fts f CROSS JOIN sitesearch_searchdocument d ON d.id = f.rowid "
                      "WHERE sitesearch_fts MATCH %s")
            rank = ("bm25(sitesearch_fts, 10.0, 1.0)", [])
            return source + where, [_fts5_match(query.terms)] + params, rank, "rank ASC"
        source = "FROM sitesearch_searchdocument d WHERE d.search_vector @@ to_tsquery('simple', %s)"
        rank = ("ts_rank(d.search_vector, to_tsquery('simple', %s))", [_tsquery(query.terms)])
        return source + where, [_tsquery(query.terms)] + params, rank, "rank DESC"

    def _has_filters(self, query):
        return bool(query.site_ids or query.column_kind or query.content_type or query.date_from or query.date_to
                    or query.collapse)

    def _rows(self, cursor, sql, params):
        cursor.execute(sql, params)
        return cursor.fetchall()

    def _windowed(self, cursor, query, source, params, rank, rank_order, columns):
        """Relevance over a huge match set, ranked within the RANK_WINDOW most
        recently indexed matches, then the older matches newest first.

        Ranking every document that contains a word like 管理 costs a read of
        the whole index (about 60 ms at 100,000 documents on this machine);
        the window bounds that cost. Rebuilds index in date order and updates
        append, so "most recently indexed" is "newest published or updated".
        """
        window = self.rank_window
        idcol = "f.rowid" if self.vendor == "sqlite" else "d.id"
        cursor.execute(f"SELECT {idcol} {source} ORDER BY {idcol} DESC LIMIT 1 OFFSET {window - 1}", params)
        row = cursor.fetchone()
        threshold = row[0] if row else 0  # documents removed since counting: all fit the window
        rank_sql, rank_params = rank
        rows = []
        in_window = max(0, min(query.limit, window - query.offset))
        if in_window:
            rows += self._rows(
                cursor,
                f"SELECT {columns}, {rank_sql} AS rank {source} AND {idcol} >= %s "
                f"ORDER BY {rank_order}, d.date DESC LIMIT %s OFFSET %s",
                rank_params + params + [threshold, in_window, query.offset],
            )
        if query.limit - in_window:
            rows += self._rows(
                cursor,
                f"SELECT {columns}, 0 {source} AND {idcol} < %s ORDER BY {idcol} DESC LIMIT %s OFFSET %s",
                params + [threshold, query.limit - in_window, max(0, query.offset - window)],
            )
        return rows

    def search(self, query: SearchQuery) -> SearchResults:
        if not query.terms:
            return SearchResults([], 0)
        source, params, rank, rank_order = self._base(query)
        columns = ", ".join(f"d.{f}" for f in FIELDS)
        windowed = False
        with connection.cursor() as cursor:
            # Counting stops at COUNT_CAP: "10000+" is as useful to a visitor as the
            # exact figure, and counting every match of a common word is the slow part.
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 {source} LIMIT {COUNT_CAP + 1}) AS capped", params)
            total = cursor.fetchone()[0]
            if not total:
                return SearchResults([], 0, {"site": {}, "column_kind": {}, "content_type": {}})
            if query.sort != "date" and total > self.rank_window:
                windowed = True
                rows = self._windowed(cursor, query, source, params, rank, rank_order, columns)
            elif self.vendor == "sqlite" and query.sort != "date" and not self._has_filters(query):
                # Rank inside FTS5 alone, then fetch just the page of documents.
                cursor.execute(
                    "SELECT rowid FROM sitesearch_fts WHERE sitesearch_fts MATCH %s "
                    "ORDER BY bm25(sitesearch_fts, 10.0, 1.0) LIMIT %s OFFSET %s",
                    [params[0], query.limit, query.offset],
                )
                ids = [row[0] for row in cursor.fetchall()]
                rows = []
                if ids:
                    cursor.execute(
                        f"SELECT {columns}, 0 FROM sitesearch_searchdocument d "
                        f"WHERE d.id IN ({', '.join(['%s'] * len(ids))})", ids,
                    )
                    by_id = {row[0]: row for row in cursor.fetchall()}
                    rows = [by_id[i] for i in ids if i in by_id]
            else:
                order = "d.date DESC, d.id DESC" if query.sort == "date" else f"{rank_order}, d.date DESC"
                rank_sql, rank_params = rank
                cursor.execute(
                    f"SELECT {columns}, {rank_sql} AS rank {source} ORDER BY {order} LIMIT %s OFFSET %s",
                    rank_params + params + [query.limit, query.offset],
                )
                rows = cursor.fetchall()
            facets = {}
            if total <= FACET_CAP:
                for name in ("site_id", "column_kind", "content_type"):
                    cursor.execute(f"SELECT d.{name}, COUNT(*) {source} GROUP BY d.{name}", params)
                    facets[name.removesuffix("_id")] = dict(cursor.fetchall())
        hits = []
        for row in rows:
            values = dict(zip(FIELDS[1:], row[1:len(FIELDS)], strict=True))
            if isinstance(values["date"], str):  # SQLite returns dates as text from raw SQL
                values["date"] = datetime.date.fromisoformat(values["date"])
            hits.append(Hit(**values))
        if query.collapse:
            self.attach_copies(hits)
        return SearchResults(hits, total, facets, capped=total > COUNT_CAP,
                             rank_window=self.rank_window if windowed else None)
