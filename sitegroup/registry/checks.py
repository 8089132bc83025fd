from django.core.checks import Warning, register
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
