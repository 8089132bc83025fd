from django.urls import path
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from sitegroup.registry.admin_menu import register_feature
from sitegroup.registry.models import SiteRole

from . import views
from .models import Bonus

register_feature(
    urls=[
        path("oversight/evaluation/", views.dashboard, name="evaluation_dashboard"),
        path("oversight/evaluation/snapshot/", views.snapshot, name="evaluation_snapshot"),
        path("oversight/evaluation/annual/", views.annual_report, name="evaluation_annual"),
    ],
    label="绩效评估", url_name="evaluation_dashboard", icon="success", order=190,
    roles=[SiteRole.ADMIN], menu="admin",
)


class BonusViewSet(ModelViewSet):
    """加分项 the group office records for portals (counted above the threshold only)."""

    model = Bonus
    icon = "success"
    menu_label = "评估加分项"
    add_to_settings_menu = True
    form_fields = ["profile", "month", "points", "reason"]
    list_display = ["profile", "month", "points", "reason"]
    copy_view_enabled = False
    inspect_view_enabled = False


@hooks.register("register_admin_viewset")
def register_bonus_viewset():
    return BonusViewSet("evaluation_bonus")
