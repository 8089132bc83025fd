from django.template.loader import render_to_string
from django.urls import path
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet

from sitegroup.registry.admin_menu import register_feature
from sitegroup.registry.models import SiteRole
from sitegroup.registry.roles import is_group_office, profiles_for_user

from . import views
from .assess import assess
from .models import FreshnessRule

register_feature(
    urls=[path("oversight/freshness/", views.dashboard, name="freshness_dashboard")],
    label="更新监测", url_name="freshness_dashboard", icon="time", order=180,
    roles=None, menu="admin",
)


class RuleViewSet(ModelViewSet):
    model = FreshnessRule
    icon = "time"
    menu_label = "更新期限设置"
    add_to_settings_menu = True
    form_fields = ["kind", "max_days", "amber_days"]
    list_display = ["kind", "max_days", "amber_days"]


@hooks.register("register_admin_viewset")
def rules():
    return RuleViewSet("freshness_rule")


class FreshnessPanel(Component):
    order = 50

    def __init__(self, results):
        self.results = results

    def render_html(self, parent_context=None):
        return render_to_string("freshness/panel.html", {"results": self.results})


@hooks.register("construct_homepage_panels")
def home_panel(request, panels):
    user = request.user
    if is_group_office(user):
        results = [site for site in assess() if site.status != "green"] or assess()[:5]
    else:
        profiles = profiles_for_user(user, roles=[r.value for r in SiteRole])
        if not profiles.exists():
            return
        results = assess(profiles.select_related("site__root_page"))
    panels.append(FreshnessPanel(results))
