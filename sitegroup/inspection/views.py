from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from sitegroup.registry.roles import is_group_office, profiles_for_user

from .models import InspectionRun


def report(request):
    office = is_group_office(request.user)
    own = profiles_for_user(request.user)
    if not office and not own.exists():
        raise PermissionDenied
    run = InspectionRun.objects.first()
    links = run.broken.select_related("site__site").order_by("site__sort_order", "page_id") if run else []
    if run and not office:
        links = links.filter(site__in=own)
    return TemplateResponse(request, "inspection/report.html", {"run": run, "links": links})
