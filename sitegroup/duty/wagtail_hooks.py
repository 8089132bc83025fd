from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sitegroup.registry.roles import is_group_office, profiles_for_user

from . import views


@hooks.register("register_admin_urls")
def urls():
    return [
        path("duty/", views.duty_home, name="duty_home"),
        path("duty/log/", views.log_view, name="duty_log"),
        path("duty/assign/", views.assign_view, name="duty_assign"),
        path("duty/rotation/", views.rotation_view, name="duty_rotation"),
        path("duty/problems/<int:problem_id>/fix/", views.fix_view, name="duty_fix"),
    ]


class DutyMenuItem(MenuItem):
    def is_shown(self, request):
        return is_group_office(request.user) or profiles_for_user(request.user).exists()


@hooks.register("register_admin_menu_item")
def menu_item():
    return DutyMenuItem("值班读网", reverse("duty_home"), icon_name="time", order=178)
