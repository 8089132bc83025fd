from django.db import migrations

STOCK_GROUPS = ["Moderators", "Editors"]


def remove_stock_groups(apps, schema_editor):
    """Wagtail's stock groups hold publish rights on the whole tree, which would
    bypass per-site roles and the review workflow. Remove them while still empty."""
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=STOCK_GROUPS):
        if not group.user_set.exists():
            group.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_remove_wagtail_welcome_page"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(remove_stock_groups, migrations.RunPython.noop)]
