"""Read queries for public pages, written so their count does not grow with content."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr

from .columns import ColumnKind
from .visibility import children_q, descendants_q, public_q

HOME_ITEMS_PER_COLUMN = 7
HOME_SKIPPED_KINDS = {ColumnKind.INTERACTION}


def home_page_sections(home, request=None, per_column=HOME_ITEMS_PER_COLUMN):
    """Top-level columns of a site, each with its newest articles.

    Two queries (plus the per-request restriction read) whatever the number of columns: one for the columns and one
    window query that ranks articles within each top-level column subtree.
    """
    from .models import ArticlePage, ColumnPage

    columns = list(
        ColumnPage.objects.live().filter(children_q(home)).filter(public_q(request)).filter(show_on_home=True)
        .only("id", "title", "url_path", "path", "depth", "kind")
    )
    if not columns:
        return []
    prefix_len = (home.depth + 1) * ArticlePage.steplen
    ranked = (
        ArticlePage.objects.live()
        .filter(public_q(request), descendants_q(home, min_depth=home.depth + 2))
        .annotate(
            column_path=Substr("path", 1, prefix_len),
            rank=Window(
                RowNumber(),
                partition_by=[Substr("path", 1, prefix_len)],
                order_by=[F("date").desc(), F("first_published_at").desc(), F("pk").desc()],
            ),
        )
        .filter(rank__lte=per_column)
        .only("id", "title", "url_path", "path", "depth", "date")
        .order_by("column_path", "rank")
    )
    by_column = {}
    for article in ranked:
        by_column.setdefault(article.column_path, []).append(article)
    return [
        {"column": column, "articles": by_column.get(column.path, [])}
        for column in columns
        if column.kind not in HOME_SKIPPED_KINDS or by_column.get(column.path)
    ]
