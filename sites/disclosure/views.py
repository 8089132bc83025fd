"""Public 依申请公开 on every site: /ysqgk/ (apply) and /ysqgk/query/ (follow)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control

from sitegroup.registry.gating import site_gate
from sitegroup.registry.lookup import profile_for_request
from sites.interaction import throttle
from sites.interaction.masking import mask_name, mask_personal_numbers

from . import services
from .forms import ApplicationForm, QueryForm


def _profile(request):
    profile = profile_for_request(request)
    if profile is None:
        raise Http404
    return profile


def _render(request, template, context, status=200):
    response = TemplateResponse(request, template, context, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


def apply(request):
    profile = _profile(request)
    gate = site_gate(request, profile)
    if gate is not None:
        return gate
    if request.method == "POST":
        address = throttle.client_address(request)
        try:
            services.count_attempt(address)
            services.check_rate(address)
        except services.Throttled:
            return _render(request, "disclosure/throttled.html", {}, status=429)
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                application = services.apply(profile, form.cleaned_data, form.cleaned_data["attachments"], address)
            except services.Throttled:
                return _render(request, "disclosure/throttled.html", {}, status=429)
            except ValidationError as exc:
                for text in exc.messages:
                    form.add_error(None, text)
            else:
                return _render(request, "disclosure/applied.html", {"application": application})
    else:
        form = ApplicationForm()
    return _render(request, "disclosure/apply.html", {"form": form}, status=400 if form.is_bound else 200)


def query(request):
    profile = _profile(request)
    gate = site_gate(request, profile)
    if gate is not None:
        return gate
    form = QueryForm(request.POST or None)
    context, status = {"form": form}, 200
    if request.method == "POST":
        try:
            services.count_attempt(throttle.client_address(request))
        except services.Throttled:
            return _render(request, "disclosure/throttled.html", {}, status=429)
        application = services.find(request.POST.get("code"), request.POST.get("phone")) if form.is_valid() else None
        if application is None:
            context["error"], status = "查询码或联系电话不正确，请核对后重新输入。", 404
        else:
            context.update({
                "application": application,
                "applicant": mask_name(application.name) if not application.is_organisation else application.name,
                "id_number": mask_personal_numbers(application.id_number) if application.id_number else "",
                "description": mask_personal_numbers(application.description),
                "events": application.events.filter(public=True).select_related("site__site"),
            })
    return _render(request, "disclosure/query.html", context, status=status)
