from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sitegroup.registry.models import SiteRole
from sitegroup.registry.roles import is_group_office, profiles_for_user

from . import views


@hooks.register("register_admin_urls")
def urls():
    return [
        path("oversight/evaluation/", views.dashboard, name="evaluation_dashboard"),
        path("oversight/evaluation/snapshot/", views.snapshot, name="evaluation_snapshot"),
    ]


class EvaluationMenuItem(MenuItem):
    def is_shown(self, request):
        return is_group_office(request.user) or profiles_for_user(request.user, roles=[SiteRole.ADMIN]).exists()


@hooks.register("register_admin_menu_item")
def menu_item():
    return EvaluationMenuItem("绩效评估", reverse("evaluation_dashboard"), icon_name="success", order=190)
