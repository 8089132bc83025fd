from django.template.loader import render_to_string
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import views
from .models import Notification


@hooks.register("register_admin_urls")
def urls():
    return [
        path("notices/", views.inbox, name="notices_inbox"),
        path("notices/<int:pk>/", views.open_notification, name="notices_open"),
    ]


class InboxMenuItem(MenuItem):
    def render_component(self, request):
        component = super().render_component(request)
        unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
        if unread:
            component.label = f"{self.label}（{unread} 条未读）"
        return component


@hooks.register("register_admin_menu_item")
def menu_item():
    return InboxMenuItem("我的提醒", reverse("notices_inbox"), name="notices", icon_name="mail", order=150)


class InboxPanel(Component):
    order = 40

    def __init__(self, notifications):
        self.notifications = notifications

    def render_html(self, parent_context=None):
        return render_to_string("notices/panel.html", {"notifications": self.notifications})


@hooks.register("construct_homepage_panels")
def home_panel(request, panels):
    unread = list(Notification.objects.filter(user=request.user, read_at__isnull=True)[:5])
    if unread:
        panels.append(InboxPanel(unread))
