from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from sitegroup.registry.admin_menu import register_feature

from . import services, views
from .models import Intake

register_feature(
    urls=[
        path("syndication/", views.queue, name="syndication_queue"),
        path("syndication/submit/<int:page_id>/", views.submit, name="syndication_submit"),
        path("syndication/<int:pk>/accept/", views.accept, name="syndication_accept"),
        path("syndication/<int:pk>/return/", views.return_view, name="syndication_return"),
        path("syndication/statistics/", views.statistics, name="syndication_statistics"),
    ],
    label="信息报送", url_name="syndication_queue", icon="mail", order=185,
    roles=[*services.DECIDE_ROLES, *services.SUBMIT_ROLES], menu="admin",
)


class IntakeViewSet(ModelViewSet):
    """Which columns accept submissions; kept by the group office."""

    model = Intake
    icon = "mail"
    menu_label = "报送接收栏目"
    add_to_settings_menu = True
    list_display = ["column", "site", "active", "review_required"]
    copy_view_enabled = False
    inspect_view_enabled = False


@hooks.register("register_admin_viewset")
def register_intake_viewset():
    return IntakeViewSet("syndication_intakes")


@hooks.register("register_page_header_buttons")
def submit_button(page, user, view_name, next_url=None):
    if services.may_submit(user, page):
        yield PageMenuItem("报送", reverse("syndication_submit", args=[page.pk]), "mail", 83, page=page)
