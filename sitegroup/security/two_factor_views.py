"""Sign-in second factor pages: enrolment (forced at first sign-in), the code
prompt, the user's own backup codes, and the office's reset of another user."""

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken

from . import audit, two_factor
from .access import may_manage_accounts
from .models import AuditKind


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码", max_length=20, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": "请输入验证码。"},
    )


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


@never_cache
def setup(request):
    user = request.user
    if two_factor.enrolled(user) and not user.is_verified():
        return redirect(f"{reverse('security_2fa_verify')}?next={quote(_next_url(request))}")
    if two_factor.enrolled(user):
        return redirect("security_2fa_manage")
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            return TemplateResponse(request, "security/2fa_codes.html",
                                    {"codes": codes, "next": _next_url(request), "first": True})
        form.add_error("code", "验证码不正确：请确认手机时间准确，并输入身份验证器当前显示的 6 位数字。")
    return TemplateResponse(request, "security/2fa_setup.html", {
        "form": form, "qr": two_factor.qr_svg(device), "secret": two_factor.secret_text(device),
        "next": _next_url(request),
    })


@never_cache
def verify(request):
    user = request.user
    if not two_factor.enrolled(user):
        return redirect(f"{reverse('security_2fa_setup')}?next={quote(_next_url(request))}")
    if user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.verify(request, form.cleaned_data["code"])
        except two_factor.Throttled as throttled:
            form.add_error("code", f"错误次数过多，请在 {throttled.seconds} 秒后再试。")
        else:
            if device is not None:
                return redirect(_next_url(request))
            form.add_error("code", "验证码不正确，请输入身份验证器显示的 6 位数字，或一个未用过的备用验证码。")
    return TemplateResponse(request, "security/2fa_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
def manage(request):
    user = request.user
    if request.method == "POST":
        if not (two_factor.enrolled(user) and user.is_verified()):
            raise PermissionDenied
        codes = two_factor.new_backup_codes(user)
        audit.record(AuditKind.OTP_BACKUP_REGENERATED, user, request=request)
        return TemplateResponse(request, "security/2fa_codes.html",
                                {"codes": codes, "next": reverse("security_2fa_manage"), "first": False})
    return TemplateResponse(request, "security/2fa_manage.html", {
        "enrolled": two_factor.enrolled(user),
        "required": two_factor.required_for(user),
        "codes_left": StaticToken.objects.filter(device__user=user).count(),
    })


@require_POST
def reset(request, user_id):
    target = get_object_or_404(get_user_model(), pk=user_id)
    if not may_manage_accounts(request.user) or target.pk == request.user.pk:
        raise PermissionDenied
    removed = two_factor.reset(target, request.user, request=request)
    if removed:
        messages.success(request, f"已重置 {target.username} 的双因素认证，其下次登录时须重新绑定。")
    else:
        messages.info(request, f"{target.username} 尚未绑定双因素认证。")
    return redirect("security_accounts")
