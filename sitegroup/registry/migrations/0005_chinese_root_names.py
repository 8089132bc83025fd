from django.db import migrations

NAMES = {"Root": "九江市政府网站群"}


def rename(apps, schema_editor):
    """Wagtail names its tree root and root collection "Root"; editors see both
    in the explorer and the media choosers."""
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    for english, chinese in NAMES.items():
        Page.objects.filter(depth=1, title=english).update(title=chinese, draft_title=chinese)
        Collection.objects.filter(depth=1, name=english).update(name=chinese)


def restore(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    for english, chinese in NAMES.items():
        Page.objects.filter(depth=1, title=chinese).update(title=english, draft_title=english)
        Collection.objects.filter(depth=1, name=chinese).update(name=english)


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_unique_messages"), ("wagtailcore", "0040_page_draft_title")]
    operations = [migrations.RunPython(rename, restore)]
