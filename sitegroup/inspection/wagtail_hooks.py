from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sitegroup.registry.roles import is_group_office, profiles_for_user

from . import views


@hooks.register("register_admin_urls")
def urls():
    return [path("inspection/", views.report, name="inspection_report")]


class InspectionMenuItem(MenuItem):
    def is_shown(self, request):
        return is_group_office(request.user) or profiles_for_user(request.user).exists()


@hooks.register("register_reports_menu_item")
def menu_item():
    return InspectionMenuItem("网上巡查", reverse("inspection_report"), icon_name="link", order=910)
