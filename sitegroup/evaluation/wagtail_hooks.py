from django.urls import path

from sitegroup.registry.admin_menu import register_feature
from sitegroup.registry.models import SiteRole

from . import views

register_feature(
    urls=[
        path("oversight/evaluation/", views.dashboard, name="evaluation_dashboard"),
        path("oversight/evaluation/snapshot/", views.snapshot, name="evaluation_snapshot"),
        path("oversight/evaluation/annual/", views.annual_report, name="evaluation_annual"),
    ],
    label="绩效评估", url_name="evaluation_dashboard", icon="success", order=190,
    roles=[SiteRole.ADMIN], menu="admin",
)
