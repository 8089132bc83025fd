from django import template
from django.utils.text import Truncator
from wagtail.models import Page

from sitegroup.registry.lookup import SITE_ROOT_DEPTH as HOME_DEPTH
from sitegroup.registry.lookup import public_root_url, site_for_request, site_root_path

register = template.Library()


def site_home_path(context):
    page = context.get("page")
    if isinstance(page, Page) and page.depth >= HOME_DEPTH:
        return site_root_path(page)
    request = context.get("request")
    site = site_for_request(request) if request else None
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
            # A path range, not path LIKE 'x%': SQLite answers the range from the path index.
            .filter(depth=HOME_DEPTH + 1, path__range=(home_path + "0" * Page.steplen,
                                                       home_path + "Z" * Page.steplen))
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


@register.simple_tag(takes_context=True)
def site_url(context, entry):
    """Home page address of another site of the group (an entry of the directory)."""
    return public_root_url(entry["hostname"], context.get("request")) + "/"


@register.simple_tag
def meta_description(page, profile):
    """The page's own description, else its summary or introduction, else what
    the site is: every page gets one (search engines and accessibility checks)."""
    for attr in ("search_description", "summary", "intro"):
        text = (getattr(page, attr, "") or "").strip()
        if text:
            return Truncator(" ".join(text.split())).chars(150)
    if profile:
        title = getattr(page, "title", "")
        prefix = f"{title} - " if title and title != profile.name else ""
        return f"{prefix}{profile.name}，{profile.organiser}主办的政府网站。"
    return "九江市政府网站群"


@register.simple_tag(takes_context=True)
def canonical_url(context, page):
    request = context.get("request")
    if request is None or not isinstance(page, Page):
        return ""
    # A copy of another site's story (采用信息) names the original as canonical.
    elsewhere = getattr(page, "canonical_address", None)
    if callable(elsewhere):
        address = elsewhere(request)
        if address:
            return address
    path = page.get_url(request=request) or ""
    if path.startswith("/"):
        site = site_for_request(request)
        return public_root_url(site.hostname, request) + path if site else ""
    return path


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


@register.simple_tag(takes_context=True)
def error_report_url(context):
    """The group's 我为政府网站找错 form with this page's address filled in ("" if none)."""
    from sites.interaction.links import error_report_url as locate

    return locate(context.get("request"))
