from django.urls import path
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from sitegroup.registry.admin_menu import register_feature

from . import admin_views, report_views
from .models import SiteDisclosureRule
from .services import HANDLER_ROLES

register_feature(
    urls=[
        path("ysqgk/", admin_views.inbox, name="ysqgk_inbox"),
        path("ysqgk/report/", report_views.report, name="ysqgk_report"),
        path("ysqgk/timeliness/", admin_views.timeliness_view, name="ysqgk_timeliness"),
        path("ysqgk/<int:pk>/", admin_views.detail, name="ysqgk_detail"),
        path("ysqgk/<int:pk>/act/", admin_views.act, name="ysqgk_act"),
        path("ysqgk/<int:pk>/letter/", admin_views.letter, name="ysqgk_letter"),
        path("ysqgk/files/<int:pk>/", admin_views.file_download, name="ysqgk_file"),
    ],
    label="依申请公开", url_name="ysqgk_inbox", icon="doc-full", order=177,
    roles=HANDLER_ROLES, menu="admin",
)


class SiteRuleViewSet(ModelViewSet):
    """Per-site limits and organisation codes; the group office holds the model permissions."""

    model = SiteDisclosureRule
    icon = "time"
    menu_label = "站点公开时限"
    add_to_settings_menu = True
    form_fields = ["profile", "org_code", "reply_limit", "extension_limit", "publish_limit", "note"]
    list_display = ["profile", "org_code", "reply_limit", "extension_limit", "publish_limit"]
    name = "disclosure_rule"


@hooks.register("register_admin_viewset")
def register_site_rules():
    return SiteRuleViewSet()
