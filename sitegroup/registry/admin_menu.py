"""One way for a group feature to register its admin URLs and its menu item.

The oversight apps (duty, filing, freshness, inspection, evaluation) each show
one entry to the group office and to the staff of the sites they serve.
"""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import SiteGroup
from .roles import is_group_office

MENUS = {"admin": "register_admin_menu_item", "reports": "register_reports_menu_item"}


class SiteRoleMenuItem(MenuItem):
    """Shown to the group office and to users holding one of ``roles`` on any
    site (any role when ``roles`` is None). The views still check every request."""

    def __init__(self, label, url, *, roles=None, **kwargs):
        super().__init__(label, url, **kwargs)
        self.roles = roles

    def is_shown(self, request):
        user = request.user
        if is_group_office(user):
            return True
        held = site_roles_held(user)
        return bool(held) if self.roles is None else not held.isdisjoint(self.roles)


def site_roles_held(user) -> frozenset:
    """Every site role the user holds anywhere. Asked by each feature's menu item in
    one request; the user object lives for one request, so it is read once."""
    cached = getattr(user, "_sitegroup_site_roles", None)
    if cached is None:
        cached = frozenset(SiteGroup.objects.filter(group__user=user).values_list("role", flat=True))
        user._sitegroup_site_roles = cached
    return cached


def register_feature(*, urls, label, url_name, icon, order, roles=None, menu="admin"):
    """Register ``urls`` under /admin/ and a menu item pointing at ``url_name``."""
    hooks.register("register_admin_urls", lambda: urls)
    hooks.register(
        MENUS[menu],
        lambda: SiteRoleMenuItem(label, reverse(url_name), roles=roles, icon_name=icon, order=order),
    )
