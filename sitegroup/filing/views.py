from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from sitegroup.registry.models import SiteProfile, SiteRole
from sitegroup.registry.roles import is_group_office, profiles_for_user, user_has_site_role

from . import export, services
from .models import FILED_FIELDS, FilingApplication, FilingHistory, FilingKind


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(label="备案类型", choices=FilingKind.choices)
    hostname = forms.CharField(label="新域名（迁移时填写）", required=False, max_length=255)

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FILED_FIELDS:
            field = SiteProfile._meta.get_field(name)
            self.fields[name] = forms.CharField(
                label=field.verbose_name, required=False, initial=getattr(profile, name, ""), max_length=200
            )


def applications(request):
    office = is_group_office(request.user)
    own = profiles_for_user(request.user, roles=[SiteRole.ADMIN])
    if not office and not own.exists():
        raise PermissionDenied
    qs = FilingApplication.objects.select_related("profile__site", "submitted_by", "decided_by")
    if not office:
        qs = qs.filter(profile__in=own)
    return TemplateResponse(request, "filing/list.html", {
        "applications": qs[:200], "office": office, "own_sites": [] if office else list(own),
        "all_sites": SiteProfile.objects.select_related("site").order_by("sort_order", "pk") if office else [],
    })


def _change(name, before, after):
    """A change row in people's words: the field's label and choice labels, not codes."""
    try:
        field = SiteProfile._meta.get_field(name)
    except FieldDoesNotExist:
        return name, before, after
    choices = dict(field.flatchoices or [])
    return field.verbose_name, choices.get(before, before), choices.get(after, after)


def history(request, profile_id):
    """Every change of one site's filing record, newest first, with who made it and why."""
    profile = get_object_or_404(SiteProfile.objects.select_related("site"), pk=profile_id)
    if not (is_group_office(request.user) or user_has_site_role(request.user, profile, [SiteRole.ADMIN])):
        raise PermissionDenied
    entries = FilingHistory.objects.filter(profile=profile).select_related("user", "application")[:500]
    rows = [
        (entry, [_change(field, before, after) for field, (before, after) in sorted(entry.changes.items())])
        for entry in entries
    ]
    return TemplateResponse(request, "filing/history.html", {"profile": profile, "rows": rows})


def apply(request, profile_id):
    profile = get_object_or_404(SiteProfile.objects.select_related("site"), pk=profile_id)
    if not user_has_site_role(request.user, profile, [SiteRole.ADMIN]):
        raise PermissionDenied
    form = ApplicationForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("kind")
        try:
            services.submit(profile, kind, data, request.user)
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, "备案申请已提交，等待市政府信息办审核。")
            return redirect("filing_list")
    return TemplateResponse(request, "filing/apply.html", {"form": form, "profile": profile})


def decide(request, application_id):
    if not is_group_office(request.user) or request.method != "POST":
        raise PermissionDenied
    application = get_object_or_404(FilingApplication, pk=application_id)
    try:
        if request.POST.get("decision") == "approve":
            services.approve(application, request.user)
            messages.success(request, "已通过备案申请，备案信息已更新。")
        else:
            services.return_application(application, request.user, request.POST.get("reason", ""))
            messages.success(request, "已退回申请并通知申请人。")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("filing_list")


def register(request, fmt):
    if not is_group_office(request.user):
        raise PermissionDenied
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        response = HttpResponse(export.as_csv(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            export.as_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="filing-register.{fmt}"'
    return response
