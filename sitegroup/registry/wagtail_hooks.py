from wagtail import hooks

from .admin_api import ScopedDocumentsAdminAPIViewSet, ScopedImagesAdminAPIViewSet
from .views import SiteProfileViewSet


@hooks.register("register_admin_viewset")
def register_site_registry():
    return SiteProfileViewSet("site_registry")


# After Wagtail's own registrations (order 0), so these replace them.
@hooks.register("construct_admin_api", order=100)
def scope_media_api(router):
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)


@hooks.register("construct_settings_menu")
def hide_raw_sites_menu(request, menu_items):
    # Sites are created through the registry so none ever lacks a filing record.
    menu_items[:] = [item for item in menu_items if item.name != "sites"]
