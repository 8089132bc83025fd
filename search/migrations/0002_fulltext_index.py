"""The embedded engine's full-text index: FTS5 on SQLite, tsvector + GIN on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE sitesearch_fts USING fts5(title, body, tokenize='unicode61 remove_diacritics 0')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE sitesearch_searchdocument ADD COLUMN search_vector tsvector")
        schema_editor.execute(
            "CREATE INDEX sitesearch_search_vector_gin ON sitesearch_searchdocument USING GIN (search_vector)"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS sitesearch_fts")
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE sitesearch_searchdocument DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
