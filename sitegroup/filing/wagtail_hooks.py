from django.urls import path

from sitegroup.registry.admin_menu import register_feature
from sitegroup.registry.models import SiteRole

from . import views

register_feature(
    urls=[
        path("filing/", views.applications, name="filing_list"),
        path("filing/apply/<int:profile_id>/", views.apply, name="filing_apply"),
        path("filing/<int:application_id>/decide/", views.decide, name="filing_decide"),
        path("filing/register.<str:fmt>", views.register, name="filing_register"),
        path("filing/history/<int:profile_id>/", views.history, name="filing_history"),
    ],
    label="网站备案", url_name="filing_list", icon="form", order=175,
    roles=[SiteRole.ADMIN], menu="admin",
)
