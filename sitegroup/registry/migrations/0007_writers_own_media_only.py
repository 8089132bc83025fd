"""Editors and 信息员 keep "add" and "choose" on their site's media but lose
"change", which Wagtail also treats as "delete": a writer may change or delete
their own uploads only (the site admin keeps every file)."""

from django.db import migrations


def drop_change(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    SiteGroup = apps.get_model("registry", "SiteGroup")
    groups = SiteGroup.objects.filter(role__in=["editor", "officer"]).values("group_id")
    GroupCollectionPermission.objects.filter(
        group_id__in=groups,
        permission__content_type__app_label__in=["wagtailimages", "wagtaildocs"],
        permission__codename__in=["change_image", "change_document"],
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_stage_reviewer_roles")]
    operations = [migrations.RunPython(drop_change, migrations.RunPython.noop)]
