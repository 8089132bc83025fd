from django.urls import path

from sitegroup.registry.admin_menu import register_feature

from . import views

register_feature(
    urls=[path("inspection/", views.report, name="inspection_report")],
    label="网上巡查", url_name="inspection_report", icon="link", order=910,
    roles=None, menu="reports",
)
