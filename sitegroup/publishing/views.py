"""静态发布状态: the office sees each target's backlog and errors and the latest tamper events."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from review.models import LedgerEntry
from sitegroup.registry.roles import is_group_office

from . import changes
from .models import StaticChange, TargetState
from .targets import names

RECENT = 20


def status(request):
    if not is_group_office(request.user):
        raise PermissionDenied
    configured = names()
    states = {s.name: s for s in TargetState.objects.filter(name__in=configured)}
    newest = StaticChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # Changes are numbered in order, so a target's backlog is the distance to the newest.
    rows = []
    for name in configured:
        state = states.get(name)
        position = state.position if state else 0
        rows.append({"name": name, "state": state, "backlog": max(0, newest - position) if newest else 0})
    events = LedgerEntry.objects.filter(action="static_tamper").order_by("-seq")[:RECENT]
    return TemplateResponse(request, "publishing/status.html", {
        "enabled": changes.enabled(), "rows": rows, "events": events,
    })
