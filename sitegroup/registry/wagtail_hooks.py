from wagtail import hooks

from .views import SiteProfileViewSet


@hooks.register("register_admin_viewset")
def register_site_registry():
    return SiteProfileViewSet("site_registry")


@hooks.register("construct_settings_menu")
def hide_raw_sites_menu(request, menu_items):
    # Sites are created through the registry so none ever lacks a filing record.
    menu_items[:] = [item for item in menu_items if item.name != "sites"]
