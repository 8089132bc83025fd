from django import template
from wagtail.models import Page, Site

register = template.Library()

HOME_DEPTH = 2  # every site's home page sits directly under Wagtail's root


def site_home_path(context):
    page = context.get("page")
    if isinstance(page, Page) and page.depth >= HOME_DEPTH:
        return page.path[: Page.steplen * HOME_DEPTH]
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return None
    return Page.objects.filter(pk=site.root_page_id).values_list("path", flat=True).first()


@register.inclusion_tag("themes/includes/site_nav.html", takes_context=True)
def site_nav(context):
    """Top-level columns of the current site, in one query."""
    from sites.models import ColumnPage
    from sites.visibility import public_q

    home_path = site_home_path(context)
    columns = []
    if home_path:
        columns = list(
            ColumnPage.objects.live().filter(public_q(context.get("request")))
            .filter(depth=HOME_DEPTH + 1, path__startswith=home_path)
            .order_by("path")
            .only("id", "title", "url_path", "path", "depth")
        )
    page = context.get("page")
    current = getattr(page, "path", "") if isinstance(page, Page) else ""
    return {
        "columns": columns,
        "current_path": current,
        "home_url": "/",
        "request": context.get("request"),
    }


@register.inclusion_tag("themes/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    ancestors = []
    if isinstance(page, Page) and page.depth > HOME_DEPTH:
        ancestors = list(
            page.get_ancestors().filter(depth__gte=HOME_DEPTH).only("id", "title", "url_path", "path", "depth")
        )
    return {"ancestors": ancestors, "page": page, "request": context.get("request")}


@register.simple_tag
def group_directory():
    from sitegroup.registry.directory import group_directory as directory

    return directory()


@register.simple_tag(takes_context=True)
def theme_template(context, name):
    """The current theme's variant of a template, e.g. themes/county/home.html."""
    return f"themes/{context.get('theme') or 'portal'}/{name}"


@register.simple_tag
def headline(sections):
    """The newest article of the first news column: the lead item of a home page."""
    for section in sections:
        if section["column"].kind == "news" and section["articles"]:
            return section["articles"][0]
    return None
