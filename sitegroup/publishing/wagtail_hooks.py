from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sitegroup.registry.roles import is_group_office

from . import views


@hooks.register("register_admin_urls")
def publishing_urls():
    return [path("publishing/", views.status, name="publishing_status")]


class _OfficeMenuItem(MenuItem):
    def is_shown(self, request):
        return is_group_office(request.user)


@hooks.register("register_reports_menu_item")
def publishing_menu():
    return _OfficeMenuItem("静态发布", reverse("publishing_status"), icon_name="upload", order=920)
