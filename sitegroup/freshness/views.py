from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from sitegroup.registry.models import SiteRole
from sitegroup.registry.roles import is_group_office, profiles_for_user

from .assess import assess


def dashboard(request):
    """The group office sees every site; a site's own staff see their sites."""
    from sitegroup.duty.services import overdue

    if is_group_office(request.user):
        results = assess()
        late_logs = overdue()
    else:
        profiles = profiles_for_user(request.user, roles=[r.value for r in SiteRole])
        if not profiles.exists():
            raise PermissionDenied
        results = assess(profiles.select_related("site__root_page"))
        late_logs = overdue(profiles)
    counts = {"red": 0, "amber": 0, "green": 0}
    for site in results:
        counts[site.status] += 1
    return TemplateResponse(request, "freshness/dashboard.html", {
        "results": results, "counts": counts, "overdue": late_logs,
    })
