from django.db import migrations


def remove_welcome_page(apps, schema_editor):
    """Wagtail's initial migration creates a placeholder page and localhost site;
    the group's sites are all created by provisioning instead."""
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    ContentType = apps.get_model("contenttypes", "ContentType")
    generic = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    if generic is None:
        return
    welcome = Page.objects.filter(depth=2, content_type=generic, slug="home").first()
    if welcome is None or Page.objects.filter(path__startswith=welcome.path, depth__gt=2).exists():
        return
    Site.objects.filter(root_page=welcome).delete()
    welcome.delete()
    root = Page.objects.get(depth=1)
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(remove_welcome_page, migrations.RunPython.noop)]
