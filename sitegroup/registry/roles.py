"""Site-scoped permission groups and the questions features ask about them."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from .models import SiteGroup, SiteProfile, SiteRole, group_name

# Nobody gets "publish": everything reaches the public through the review workflow,
# whose approvers publish by approving (谁上网，谁负责).
PAGE_PERMISSIONS = {
    SiteRole.ADMIN: ["add", "change", "lock", "unlock", "bulk_delete"],
    SiteRole.EDITOR: ["add", "change"],
    SiteRole.REVIEWER: ["change", "lock"],
    SiteRole.OFFICER: ["add", "change"],
    SiteRole.SECOND_REVIEWER: ["change", "lock"],
    SiteRole.FINAL_REVIEWER: ["change", "lock"],
}
MEDIA_PERMISSIONS = {
    SiteRole.ADMIN: ["add", "change", "delete", "choose"],
    # Writers upload and may change their own uploads (Wagtail's owner rule);
    # "change" would let them replace or delete anyone's file of the site.
    SiteRole.EDITOR: ["add", "choose"],
    SiteRole.REVIEWER: ["choose"],
    SiteRole.OFFICER: ["add", "choose"],
    SiteRole.SECOND_REVIEWER: ["choose"],
    SiteRole.FINAL_REVIEWER: ["choose"],
}
# The group office reads every site. Wagtail has no view-only page permission;
# "lock" makes every page explorable without granting edit or publish.
OFFICE_PAGE_PERMISSIONS = ["lock"]
OFFICE_MEDIA_PERMISSIONS = ["choose"]


def _admin_access():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _page_permission(action):
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(Page), codename=f"{action}_page"
    )


def _media_permissions(actions):
    perms = []
    for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        perms += list(
            Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )
    return perms


def _grant(group, page, page_actions, collection, media_actions):
    group.permissions.add(_admin_access())
    for action in page_actions:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_page_permission(action)
        )
    for permission in _media_permissions(media_actions):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


def provision_site_groups(profile: SiteProfile, home_page: Page, collection: Collection):
    """Create (or complete) the four role groups of one site. Idempotent."""
    groups = {}
    for role in SiteRole:
        link = SiteGroup.objects.filter(profile=profile, role=role).select_related("group").first()
        if link is None:
            group, _ = Group.objects.get_or_create(name=group_name(profile.site.site_name, role))
            link = SiteGroup.objects.create(profile=profile, role=role, group=group)
        _grant(link.group, home_page, PAGE_PERMISSIONS[role], collection, MEDIA_PERMISSIONS[role])
        groups[role] = link.group
    return groups


def ensure_office_group():
    group, _ = Group.objects.get_or_create(name=settings.SITEGROUP_OFFICE_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(SiteProfile),
            codename__in=["add_siteprofile", "change_siteprofile", "view_siteprofile"],
        ),
        # The group office maintains the group-wide word lists and review stages.
        *Permission.objects.filter(
            content_type__app_label="review",
            content_type__model__in=["wordlist", "term", "reviewpolicy", "stageassignment"],
        ),
        *Permission.objects.filter(content_type__app_label="sitesearch", content_type__model="synonym"),
        *Permission.objects.filter(content_type__app_label="freshness", content_type__model="freshnessrule"),
        *Permission.objects.filter(content_type__app_label="evaluation", codename="change_evaluationweights"),
        *Permission.objects.filter(content_type__app_label="evaluation", content_type__model="bonus"),
        *Permission.objects.filter(content_type__app_label="availability", codename="change_availabilitysettings"),
        *Permission.objects.filter(content_type__app_label="interaction", codename="change_interactionsettings"),
        # 政府信息公开: the statutory limits, group-wide and per site.
        *Permission.objects.filter(content_type__app_label="disclosure",
                                   content_type__model__in=["disclosuresettings", "sitedisclosurerule"]),
        # The group working-day calendar (法定节假日 and 调休) behind every statutory clock.
        *Permission.objects.filter(content_type__app_label="workdays"),
        # Which columns accept 信息报送 (and whether accepted items need the receiving site's review).
        *Permission.objects.filter(content_type__app_label="syndication", content_type__model="intake"),
    )
    _grant(
        group,
        Page.get_first_root_node(),
        OFFICE_PAGE_PERMISSIONS,
        Collection.get_first_root_node(),
        OFFICE_MEDIA_PERMISSIONS,
    )
    return group


def is_group_office(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return settings.SITEGROUP_OFFICE_GROUP in group_names(user)


def group_names(user) -> frozenset:
    """Names of the user's groups. Asked by several dashboard panels and menu items
    in one request (the office, the security roles); the user object lives for one
    request, so the answer is kept on it."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_sitegroup_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._sitegroup_group_names = cached
    return cached


def office_members():
    """Active members of the group office, who hear about new filings."""
    return get_user_model().objects.filter(groups__name=settings.SITEGROUP_OFFICE_GROUP, is_active=True)


def site_group(profile: SiteProfile, role: str) -> Group | None:
    link = SiteGroup.objects.filter(profile=profile, role=role).select_related("group").first()
    return link.group if link else None


def profiles_for_user(user, roles=None):
    """Sites on which the user holds a role (every site for the group office)."""
    if is_group_office(user):
        return SiteProfile.objects.select_related("site")
    links = SiteGroup.objects.filter(group__user=user)
    if roles:
        links = links.filter(role__in=roles)
    return SiteProfile.objects.filter(pk__in=links.values("profile_id")).select_related("site")


def user_has_site_role(user, profile: SiteProfile, roles) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return SiteGroup.objects.filter(profile=profile, role__in=roles, group__user=user).exists()
