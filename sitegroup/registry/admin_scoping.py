"""Limit the page explorer's filter choices to what the user may see.

Wagtail's page listing filters offer every Site and every page owner/editor in
the install. In a site group that tells a county editor the names of every other
site and its staff, so the choices are narrowed to the user's own sites.
"""

from django.contrib.auth import get_user_model
from wagtail.admin.views.pages import listing
from wagtail.models import Page, PageLogEntry, Site
from wagtail.permission_policies.pages import PagePermissionPolicy

from .roles import is_group_office, profiles_for_user


def _sees_everything(user):
    return user.is_superuser or is_group_office(user)


def visible_sites(request):
    if _sees_everything(request.user):
        return Site.objects.all()
    return Site.objects.filter(pk__in=profiles_for_user(request.user).values("site_id"))


def _explorable_paths_filter(user):
    pages = PagePermissionPolicy().explorable_instances(user)
    return Page.objects.filter(pk__in=pages.values("pk"))


def visible_owners(request):
    users = get_user_model().objects.filter(
        pk__in=Page.objects.order_by().values_list("owner_id", flat=True).distinct()
    )
    if _sees_everything(request.user):
        return users
    return users.filter(
        pk__in=_explorable_paths_filter(request.user).order_by().values("owner_id").distinct()
    )


def visible_editors(request):
    entries = PageLogEntry.objects.filter(action="wagtail.edit")
    if not _sees_everything(request.user):
        entries = entries.filter(page__in=_explorable_paths_filter(request.user))
    return get_user_model().objects.filter(
        pk__in=entries.order_by().values_list("user_id", flat=True).distinct()
    )


def install():
    for filterset in (listing.PageFilterSet, listing.GenericPageFilterSet):
        filterset.base_filters["site"].queryset = visible_sites
        filterset.base_filters["owner"].queryset = visible_owners
        filterset.base_filters["edited_by"].queryset = visible_editors
