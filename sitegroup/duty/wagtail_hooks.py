from django.urls import path

from sitegroup.registry.admin_menu import register_feature

from . import views

register_feature(
    urls=[
        path("duty/", views.duty_home, name="duty_home"),
        path("duty/log/", views.log_view, name="duty_log"),
        path("duty/assign/", views.assign_view, name="duty_assign"),
        path("duty/rotation/", views.rotation_view, name="duty_rotation"),
        path("duty/problems/<int:problem_id>/fix/", views.fix_view, name="duty_fix"),
    ],
    label="值班读网", url_name="duty_home", icon="time", order=178,
    roles=None, menu="admin",
)
