from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sitegroup.registry.models import SiteRole
from sitegroup.registry.roles import is_group_office, profiles_for_user

from . import views


@hooks.register("register_admin_urls")
def urls():
    return [
        path("filing/", views.applications, name="filing_list"),
        path("filing/apply/<int:profile_id>/", views.apply, name="filing_apply"),
        path("filing/<int:application_id>/decide/", views.decide, name="filing_decide"),
        path("filing/register.<str:fmt>", views.register, name="filing_register"),
        path("filing/history/<int:profile_id>/", views.history, name="filing_history"),
    ]


class FilingMenuItem(MenuItem):
    def is_shown(self, request):
        return is_group_office(request.user) or profiles_for_user(request.user, roles=[SiteRole.ADMIN]).exists()


@hooks.register("register_admin_menu_item")
def menu_item():
    return FilingMenuItem("网站备案", reverse("filing_list"), icon_name="form", order=175)
