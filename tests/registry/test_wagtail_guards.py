"""Guards on the few places that lean on Wagtail's internals: each fails loudly,
with a Chinese message naming the file to update, when an upgrade moves them."""

from wagtail.admin.views.pages import listing

from sitegroup.registry import admin_scoping
from sitegroup.registry.checks import explorer_filters_scoped


def test_explorer_filter_scoping_is_in_place():
    assert explorer_filters_scoped(None) == []


def test_the_check_fails_when_wagtail_drops_a_filter(monkeypatch):
    filters = dict(listing.PageFilterSet.base_filters)
    filters.pop("edited_by")
    monkeypatch.setattr(listing.PageFilterSet, "base_filters", filters)
    errors = explorer_filters_scoped(None)
    assert [e.id for e in errors] == ["registry.E001"]
    assert "PageFilterSet.edited_by" in errors[0].msg and "admin_scoping.py" in errors[0].hint


def test_the_choosers_are_ours():
    assert listing.PageFilterSet.base_filters["site"].queryset is admin_scoping.visible_sites


def test_the_approve_modal_still_includes_wagtails_own(client):
    from django.template.loader import get_template

    source = get_template("review/approve_modal.html").template.source
    assert '{% include "wagtailadmin/shared/workflow_action_modal.html" %}' in source
    get_template("wagtailadmin/shared/workflow_action_modal.html")  # raises if Wagtail renamed it
