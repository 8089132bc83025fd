"""三员分立 (GB/T 22239-2019 8.1.4.2): the system administrator, the security
administrator and the security auditor are separate groups, and one account
holds at most one of them.

系统管理员 manages accounts and groups; 安全管理员 unlocks accounts, resets second
factors and reads CSP reports; 安全审计员 reads and exports the audit trail and
nothing else. Nobody can erase the trail: it has no delete path at all."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError

from sitegroup.registry.roles import group_names


def separated_groups() -> list[str]:
    return [settings.SECURITY_SYSTEM_ADMIN_GROUP, settings.SECURITY_SECURITY_ADMIN_GROUP,
            settings.SECURITY_AUDITOR_GROUP]


SYSTEM_ADMIN_PERMISSIONS = [
    ("auth", "add_user"), ("auth", "change_user"), ("auth", "delete_user"), ("auth", "view_user"),
    ("auth", "add_group"), ("auth", "change_group"), ("auth", "delete_group"), ("auth", "view_group"),
]


def permissions_ready() -> bool:
    wanted = [("wagtailadmin", "access_admin"), *SYSTEM_ADMIN_PERMISSIONS]
    found = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in wanted}, codename__in={code for _, code in wanted}
    ).count()
    return found >= len(wanted)


def ensure_security_groups():
    """Create the three groups (idempotent). Each may use the admin; only the
    system administrator gets Django permissions, the other two are recognised
    by membership in the security views."""
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    groups = {}
    for name in separated_groups():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access)
        groups[name] = group
    system = groups[settings.SECURITY_SYSTEM_ADMIN_GROUP]
    for app_label, codename in SYSTEM_ADMIN_PERMISSIONS:
        system.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return groups


def member_of(user, name) -> bool:
    return name in group_names(user)


def is_auditor(user) -> bool:
    return member_of(user, settings.SECURITY_AUDITOR_GROUP)


def is_security_admin(user) -> bool:
    return member_of(user, settings.SECURITY_SECURITY_ADMIN_GROUP)


def holds_separated_role(user) -> bool:
    return any(member_of(user, name) for name in separated_groups())


def conflict(group_names) -> str | None:
    held = [name for name in separated_groups() if name in set(group_names)]
    if len(held) > 1:
        return f"三员分立：同一账号不能同时属于“{'”“'.join(held)}”。"
    return None


def check_membership(instance, reverse, pk_set):
    """m2m pre_add guard: the last line behind the user form's own check."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if not pk_set:
        return
    if reverse:  # group.user_set.add(users...)
        if instance.name not in separated_groups():
            return
        for user in User.objects.filter(pk__in=pk_set):
            message = conflict([*user.groups.values_list("name", flat=True), instance.name])
            if message:
                raise ValidationError(message)
    else:
        names = [*instance.groups.values_list("name", flat=True),
                 *Group.objects.filter(pk__in=pk_set).values_list("name", flat=True)]
        message = conflict(names)
        if message:
            raise ValidationError(message)
