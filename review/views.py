"""Admin views: screening results with overrides, accountability, takedown."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.models import Page, TaskState

from sitegroup.registry.lookup import profile_for_page
from sitegroup.registry.models import SiteRole
from sitegroup.registry.roles import is_group_office, user_has_site_role

from .forms import DecisionForm, WithdrawForm
from .models import FindingDecision, LedgerEntry, ResponsibilityStatement, Withdrawal
from .screening import BLOCK
from .services import (
    decide,
    decisions_for,
    last_refusal,
    screen_revision,
    unresolved,
    withdraw,
)

ALL_ROLES = [r.value for r in SiteRole]


def _page_for(request, page_id, roles=ALL_ROLES):
    page = get_object_or_404(Page, pk=page_id).specific
    profile = profile_for_page(page)
    if not (is_group_office(request.user) or (profile and user_has_site_role(request.user, profile, roles))):
        raise PermissionDenied
    return page, profile


def findings(request, page_id):
    page, profile = _page_for(request, page_id)
    revision = page.get_latest_revision()
    if revision is None:
        raise PermissionDenied
    results = screen_revision(revision)
    decisions = decisions_for(revision)
    # Whoever may act on the stage the page waits at decides on its findings.
    task = page.current_workflow_task
    may_decide = task is not None and bool(task.specific.get_actions(page, request.user))
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        form = DecisionForm(request.POST)
        by_key = {f.key: f for f in results}
        if form.is_valid() and form.cleaned_data["finding"] in by_key:
            finding = by_key[form.cleaned_data["finding"]]
            if finding.kind == "unreadable":
                messages.error(request, "无法读取的附件不能忽略，请更换附件后重新提交。")
            else:
                try:
                    decide(revision, finding, request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, "已记录处理结论。")
                except ValueError as exc:
                    messages.error(request, str(exc))
        else:
            messages.error(request, "该问题已不存在（内容可能已修改），请刷新后重试。")
        return redirect("review_findings", page.pk)
    open_keys = {f.key for f in unresolved(results, decisions)}
    rows = [
        {"finding": f, "decision": decisions.get(f.key), "open": f.key in open_keys}
        for f in results
    ]
    return TemplateResponse(request, "review/findings.html", {
        "page": page, "revision": revision, "rows": rows, "may_decide": may_decide,
        "refusal": last_refusal(page, request.user) if request.GET.get("refused") else [],
        "blocking": sum(1 for r in rows if r["open"] and r["finding"].level == BLOCK),
        "open_count": len(open_keys),
    })


def accountability(request, page_id):
    page, profile = _page_for(request, page_id)
    entries = LedgerEntry.objects.filter(page_id_ref=page.pk).select_related("user").order_by("seq")
    statements = ResponsibilityStatement.objects.filter(page=page).select_related("user", "revision")
    stages = TaskState.objects.filter(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_APPROVED
    ).select_related("task", "finished_by", "revision").order_by("finished_at")
    overrides = FindingDecision.objects.filter(revision__object_id=str(page.pk)).select_related("user")
    return TemplateResponse(request, "review/accountability.html", {
        "page": page, "profile": profile, "entries": entries, "statements": statements,
        "stages": stages, "overrides": overrides,
    })


def withdraw_view(request, page_id):
    if not is_group_office(request.user):
        raise PermissionDenied
    page = get_object_or_404(Page, pk=page_id).specific
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw(page, request.user, form.cleaned_data["reason"])
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已撤稿：《{page.title}》。")
            return redirect(reverse("review_withdrawals"))
    return TemplateResponse(request, "review/withdraw.html", {"page": page, "form": form})


def withdrawals(request):
    if not is_group_office(request.user):
        raise PermissionDenied
    records = Withdrawal.objects.select_related("user", "site__site")[:500]
    return TemplateResponse(request, "review/withdrawals.html", {"records": records})
