"""Add the 复审员 and 终审员 roles and give every existing site their groups.

The permissions mirror ``roles.PAGE_PERMISSIONS`` / ``MEDIA_PERMISSIONS`` for
reviewers at the time of writing (a migration must not import live code).
"""

from django.db import migrations, models

NEW_ROLES = {"second_reviewer": "复审员", "final_reviewer": "终审员"}
PAGE_ACTIONS = ["change", "lock"]
MEDIA_ACTIONS = ["choose"]


def add_groups(apps, schema_editor):
    SiteProfile = apps.get_model("registry", "SiteProfile")
    SiteGroup = apps.get_model("registry", "SiteGroup")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    profiles = list(SiteProfile.objects.select_related("site"))
    if not profiles:
        return
    access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    page_perms = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", content_type__model="page",
            codename__in=[f"{a}_page" for a in PAGE_ACTIONS],
        )
    )
    media_perms = list(
        Permission.objects.filter(content_type__app_label="wagtailimages", codename="choose_image")
    ) + list(Permission.objects.filter(content_type__app_label="wagtaildocs", codename="choose_document"))
    for profile in profiles:
        for role, label in NEW_ROLES.items():
            if SiteGroup.objects.filter(profile=profile, role=role).exists():
                continue
            group, _ = Group.objects.get_or_create(name=f"{profile.site.site_name}·{label}")
            SiteGroup.objects.create(profile=profile, role=role, group=group)
            if access is not None:
                group.permissions.add(access)
            for permission in page_perms:
                GroupPagePermission.objects.get_or_create(
                    group=group, page_id=profile.site.root_page_id, permission=permission
                )
            if profile.collection_id:
                for permission in media_perms:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection_id=profile.collection_id, permission=permission
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_chinese_root_names"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sitegroup",
            name="role",
            field=models.CharField(
                choices=[
                    ("admin", "站点管理员"), ("editor", "编辑"), ("reviewer", "审核员"), ("officer", "信息员"),
                    ("second_reviewer", "复审员"), ("final_reviewer", "终审员"),
                ],
                max_length=20, verbose_name="角色",
            ),
        ),
        migrations.RunPython(add_groups, migrations.RunPython.noop),
    ]
