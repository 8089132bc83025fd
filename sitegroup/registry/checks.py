from django.core.checks import Error, Warning, register
from django.db import DatabaseError


@register("sitegroup")
def sites_without_profile(app_configs, **kwargs):
    from wagtail.models import Site

    try:
        orphans = list(Site.objects.filter(profile__isnull=True).values_list("hostname", flat=True))
    except DatabaseError:  # before migrate there is nothing to check
        return []
    return [
        Warning(
            f"站点 {hostname} 没有登记备案信息（SiteProfile），访问时将显示“站点未登记”。",
            hint="请在“站点管理”中为该站点补录备案信息，或删除该站点。",
            id="registry.W001",
        )
        for hostname in orphans
    ]


@register("sitegroup")
def explorer_filters_scoped(app_configs, **kwargs):
    """admin_scoping narrows the choices of Wagtail's page-listing filters by
    replacing their querysets (Wagtail offers no hook for it). If an upgrade
    renames or drops those filters, say so instead of silently showing every
    site's names and staff again."""
    from wagtail.admin.views.pages import listing

    from . import admin_scoping

    wanted = {
        "site": admin_scoping.visible_sites,
        "owner": admin_scoping.visible_owners,
        "edited_by": admin_scoping.visible_editors,
    }
    errors = []
    for filterset in ("PageFilterSet", "GenericPageFilterSet"):
        cls = getattr(listing, filterset, None)
        for name, chooser in wanted.items():
            found = getattr(cls, "base_filters", {}).get(name) if cls is not None else None
            if found is None or getattr(found, "queryset", None) is not chooser:
                errors.append(
                    Error(
                        f"页面列表筛选器 {filterset}.{name} 未能限定为用户本站点的范围（Wagtail 升级后结构已变化）。",
                        hint="请更新 sitegroup/registry/admin_scoping.py 以适配新版 Wagtail 的页面列表筛选器。",
                        id="registry.E001",
                    )
                )
    return errors
