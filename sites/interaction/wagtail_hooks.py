from django.core.exceptions import PermissionDenied
from django.urls import path
from wagtail import hooks

from sitegroup.registry.admin_menu import register_feature
from sitegroup.registry.models import SiteRole
from sites.permissions import site_roles

from . import admin_views
from .models import InteractionChannelPage
from .services import HANDLER_ROLES

register_feature(
    urls=[
        path("interaction/", admin_views.inbox, name="interaction_inbox"),
        path("interaction/statistics/", admin_views.statistics, name="interaction_statistics"),
        path("interaction/<int:pk>/", admin_views.detail, name="interaction_message"),
        path("interaction/<int:pk>/act/", admin_views.act, name="interaction_act"),
        path("interaction/attachments/<int:pk>/", admin_views.attachment, name="interaction_attachment"),
    ],
    label="留言办理", url_name="interaction_inbox", icon="mail", order=176,
    roles=HANDLER_ROLES, menu="admin",
)


@hooks.register("before_create_page")
def only_site_admins_open_channels(request, parent_page, page_class):
    # A channel commits the site to answering within a limit: the site's admin decides.
    if page_class is InteractionChannelPage and not request.user.is_superuser and \
            SiteRole.ADMIN not in site_roles(request.user, parent_page):
        raise PermissionDenied


@hooks.register("construct_homepage_panels")
def public_services_panel(request, panels):
    # Handlers and the office only; everyone else (reviewers) has nothing waiting here.
    from sitegroup.registry.roles import is_group_office, profiles_for_user
    from sites.public_services_panel import panel_for

    user = request.user
    if is_group_office(user) or profiles_for_user(user, roles=HANDLER_ROLES).exists():
        panel = panel_for(user)
        if panel is not None:
            panels.append(panel)
