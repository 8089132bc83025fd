from django.apps import AppConfig
from django.db.models.signals import post_migrate
from wagtail.users.apps import WagtailUsersAppConfig


class SecurityConfig(AppConfig):
    default = True  # this module also holds UsersConfig
    name = "sitegroup.security"
    label = "security"
    verbose_name = "安全管理与安全审计"

    def ready(self):
        from . import audit_signals

        audit_signals.connect_settings()
        post_migrate.connect(_ensure_groups, dispatch_uid="security-groups")


def _ensure_groups(**kwargs):
    # post_migrate is sent once per app, and Django creates each app's permissions in
    # its own turn: wait for the turn after which the permissions the groups need exist.
    from .separation import ensure_security_groups, permissions_ready

    if permissions_ready():
        ensure_security_groups()


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the 三员分立 check on its user forms (Wagtail's
    documented way to customise the user views: a custom ``user_viewset``)."""

    user_viewset = "sitegroup.security.users.UserViewSet"
