"""Fast creation of many live ArticlePages for benchmarks.

Creating 50,000 pages through ``add_child`` + revisions takes the better part of
an hour; benchmarks only need valid tree rows, so this writes the base page rows
with ``bulk_create`` and the article rows with one ``executemany``, keeping
treebeard's path/depth/numchild and Wagtail's url_path consistent.
"""

import datetime
import json
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from sites.models import ArticlePage


def _step(n: int) -> str:
    alphabet = Page.alphabet
    out = ""
    while n:
        n, rem = divmod(n, len(alphabet))
        out = alphabet[rem] + out
    return out.rjust(Page.steplen, "0")


@transaction.atomic
def add_articles(column: Page, articles: list[dict]) -> int:
    """Append live articles under ``column``. Each dict has title, body (text),
    date and optionally source. Returns the number created."""
    column = Page.objects.get(pk=column.pk)
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale_id = column.locale_id or Locale.get_default().pk
    start = column.numchild
    now = timezone.now()
    pages = []
    for offset, data in enumerate(articles, start=1):
        slug = f"a{start + offset}"
        pages.append(
            Page(
                title=data["title"], draft_title=data["title"], slug=slug,
                path=column.path + _step(start + offset), depth=column.depth + 1, numchild=0,
                url_path=f"{column.url_path}{slug}/", live=True, has_unpublished_changes=False,
                first_published_at=now, last_published_at=now, content_type=content_type,
                locale_id=locale_id, translation_key=uuid.uuid4(),
            )
        )
    Page.objects.bulk_create(pages, batch_size=2000)
    created = Page.objects.filter(
        path__in=[p.path for p in pages]
    ).values_list("path", "pk")
    pk_by_path = dict(created)
    rows = []
    for page, data in zip(pages, articles, strict=True):
        body = json.dumps(
            [{"type": "paragraph", "value": f"<p>{para}</p>", "id": str(uuid.uuid4())}
             for para in data["body"].split("\n") if para.strip()],
            ensure_ascii=False,
        )
        rows.append((
            pk_by_path[page.path], "", data.get("source", ""), "",
            data.get("date") or datetime.date(2026, 11, 1), "", body,
        ))
    table = ArticlePage._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (page_ptr_id, subtitle, source, author, date, summary, body) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
    Page.objects.filter(pk=column.pk).update(numchild=start + len(articles))
    return len(articles)
