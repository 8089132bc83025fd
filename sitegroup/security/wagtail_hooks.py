from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import account_views, audit_views, csp_urls, two_factor_views
from .access import may_manage_accounts, may_read_audit


@hooks.register("register_admin_urls")
def security_urls():
    return [
        path("security/", include(csp_urls.admin_urlpatterns)),
        path("2fa/", two_factor_views.manage, name="security_2fa_manage"),
        path("2fa/setup/", two_factor_views.setup, name="security_2fa_setup"),
        path("2fa/verify/", two_factor_views.verify, name="security_2fa_verify"),
        path("security/accounts/", account_views.accounts, name="security_accounts"),
        path("security/unlock/", account_views.unlock, name="security_unlock"),
        path("security/accounts/<int:user_id>/reset-2fa/", two_factor_views.reset, name="security_2fa_reset"),
        path("security/audit/", audit_views.trail, name="security_audit"),
    ]


class _CheckedMenuItem(MenuItem):
    def __init__(self, check, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def is_shown(self, request):
        return self.check(request.user)


@hooks.register("register_settings_menu_item")
def accounts_menu():
    return _CheckedMenuItem(may_manage_accounts, "安全管理", reverse("security_accounts"),
                            icon_name="lock", order=900)


@hooks.register("register_settings_menu_item")
def csp_menu():
    return _CheckedMenuItem(may_manage_accounts, "CSP 违规报告", reverse("security_csp_reports"),
                            icon_name="warning", order=910)


@hooks.register("register_reports_menu_item")
def audit_menu():
    return _CheckedMenuItem(may_read_audit, "安全审计", reverse("security_audit"), icon_name="history", order=900)


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {"url": reverse("security_2fa_manage"), "label": "双因素认证",
            "help_text": "绑定身份验证器，查看或重新生成备用验证码。"}
