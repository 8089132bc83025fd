"""安全管理: locked accounts and addresses (unlock), and every admin account's
second-factor and password state (reset the second factor)."""

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Exists, Max, OuterRef, Q, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .access import may_manage_accounts, require
from .models import AuditKind

PAGE_SIZE = 50


def _locked():
    limit = settings.AXES_FAILURE_LIMIT
    by_user = (AccessAttempt.objects.exclude(username__isnull=True).exclude(username="")
               .values("username").annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
               .filter(failures__gte=limit).order_by("-last"))
    by_address = (AccessAttempt.objects.values("ip_address")
                  .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
                  .filter(failures__gte=limit).order_by("-last"))
    return list(by_user[:100]), list(by_address[:100])


def accounts(request):
    require(may_manage_accounts, request.user)
    q = request.GET.get("q", "").strip()[:50]
    users = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__permissions__codename="access_admin")
    ).distinct().annotate(
        has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        password_changed=Max("password_records__changed_at"),
    ).order_by("username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(last_name__icontains=q) | Q(first_name__icontains=q))
    locked_users, locked_addresses = _locked()
    return TemplateResponse(request, "security/accounts.html", {
        "page_obj": Paginator(users, PAGE_SIZE).get_page(request.GET.get("page")),
        "q": q, "locked_users": locked_users, "locked_addresses": locked_addresses,
        "limit": settings.AXES_FAILURE_LIMIT,
    })


@require_POST
def unlock(request):
    require(may_manage_accounts, request.user)
    username = request.POST.get("username", "").strip()[:150]
    address = request.POST.get("ip", "").strip()[:64]
    if username:
        count = axes_reset(username=username)
    elif address:
        count = axes_reset(ip=address)
    else:
        messages.error(request, "请选择要解除锁定的账号或地址。")
        return redirect("security_accounts")
    audit.record(AuditKind.UNLOCK, request.user, request=request, target=username or address, records=count)
    messages.success(request, f"已解除 {username or address} 的登录锁定。")
    return redirect("security_accounts")
