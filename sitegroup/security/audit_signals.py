"""Receivers that turn security facts announced by Django, Wagtail and axes into
audit events. They only record and decide nothing, except the 三员 guard (which
refuses a membership no form should have let through) and the start of an admin
session's clocks at sign-in."""

from axes.signals import user_locked_out
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from . import audit, separation
from .middleware import start_admin_session
from .models import AuditKind

User = get_user_model()
WATCHED_USER_FIELDS = ("username", "email", "is_active", "is_superuser", "is_staff", "first_name", "last_name")


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    audit.record(AuditKind.LOGIN, user, request=request)
    if request is not None and hasattr(request, "session"):
        start_admin_session(request, user)


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    audit.record(AuditKind.LOGIN_FAILED, None, request=request, target=username, username=username)


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    kind = AuditKind.SESSION_EXPIRED if getattr(request, "sitegroup_idle_logout", False) else AuditKind.LOGOUT
    audit.record(kind, user, request=request)


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    audit.record(AuditKind.LOCKOUT, None, request=request, target=username or ip_address or "",
                 username=username or "", ip=ip_address)


# ------------------------------------------------------------------ accounts

@receiver(pre_save, sender=User)
def remember_user(sender, instance, update_fields=None, **kwargs):
    if instance._state.adding or (update_fields and set(update_fields) <= {"last_login"}):
        instance._sitegroup_before = None
        return
    instance._sitegroup_before = (
        User.objects.filter(pk=instance.pk).values(*WATCHED_USER_FIELDS, "password").first()
    )


@receiver(post_save, sender=User)
def user_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        audit.defer(AuditKind.USER_CHANGED, instance.username, "创建账号")
        return
    before = getattr(instance, "_sitegroup_before", None)
    if not before:
        return
    for field in WATCHED_USER_FIELDS:
        old, new = before[field], getattr(instance, field)
        if old != new:
            audit.defer(AuditKind.USER_CHANGED, instance.username, f"{field}: {old} → {new}")
    if before["password"] != instance.password:
        audit.defer(AuditKind.PASSWORD_CHANGED, instance.username, "设置了新密码")


@receiver(post_delete, sender=User)
def user_deleted(sender, instance, **kwargs):
    audit.defer(AuditKind.USER_CHANGED, instance.username, "删除账号")


@receiver(m2m_changed, sender=User.groups.through)
def memberships_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_add":
        separation.check_membership(instance, reverse, pk_set)
        return
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    sign = "+" if action == "post_add" else "-"
    if reverse:  # group.user_set changed
        names = User.objects.filter(pk__in=pk_set).values_list("username", flat=True) if pk_set else []
        changes = [f"{sign}{name}" for name in names] if pk_set else [f"-全部成员（{instance.user_set.count()}）"]
        for change in changes:
            audit.defer(AuditKind.USER_CHANGED, f"用户组 {instance.name}", change)
    else:
        groups = Group.objects.filter(pk__in=pk_set) if pk_set else instance.groups.all()
        for name in groups.values_list("name", flat=True):
            audit.defer(AuditKind.USER_CHANGED, instance.username, f"{sign}用户组 {name}")


@receiver(m2m_changed, sender=Group.permissions.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    target = f"用户组 {instance.name}" if isinstance(instance, Group) else instance.username
    if action == "post_clear":
        audit.defer(AuditKind.PERMISSION_CHANGED, target, "-全部权限")
        return
    sign = "+" if action == "post_add" else "-"
    for codename in model.objects.filter(pk__in=pk_set).values_list("content_type__app_label", "codename"):
        audit.defer(AuditKind.PERMISSION_CHANGED, target, f"{sign}{'.'.join(codename)}")


@receiver(post_save, sender=Group)
def group_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        audit.defer(AuditKind.GROUP_CHANGED, f"用户组 {instance.name}", "创建" if created else "修改")


@receiver(post_delete, sender=Group)
def group_deleted(sender, instance, **kwargs):
    audit.defer(AuditKind.GROUP_CHANGED, f"用户组 {instance.name}", "删除")


def _object_permission(sign):
    def receiver_(sender, instance, raw=False, **kwargs):
        if raw:
            return
        where = getattr(instance, "page_id", None) or getattr(instance, "collection_id", None)
        kind = "页面" if isinstance(instance, GroupPagePermission) else "文件夹"
        audit.defer(AuditKind.PERMISSION_CHANGED, f"用户组 {instance.group.name}",
                    f"{sign}{instance.permission.codename} @{kind}{where}")
    return receiver_


for _model in (GroupPagePermission, GroupCollectionPermission):
    post_save.connect(_object_permission("+"), sender=_model, weak=False)
    post_delete.connect(_object_permission("-"), sender=_model, weak=False)


# ------------------------------------------------------------------ settings

def _audited_setting(model) -> bool:
    label = model._meta.label
    return issubclass(model, BaseSiteSetting | BaseGenericSetting) or label in settings.SECURITY_AUDITED_MODELS


def _setting_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    verb = "删除" if kwargs.get("signal") is post_delete else ("新建" if created else "修改")
    audit.defer(AuditKind.SETTINGS_CHANGED, str(sender._meta.verbose_name), f"{verb} {instance}"[:200])


def connect_settings():
    for model in apps.get_models():
        if _audited_setting(model):
            post_save.connect(_setting_saved, sender=model, weak=False, dispatch_uid=f"audit-save-{model._meta.label}")
            post_delete.connect(_setting_saved, sender=model, weak=False,
                                dispatch_uid=f"audit-del-{model._meta.label}")
