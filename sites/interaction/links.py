"""The 我为政府网站找错 link every public page carries in its footer.

The group has one error-report channel (on the portal); where it lives is read
once and cached, and forgotten whenever a channel is published, unpublished,
moved or deleted, so a footer costs no query on a warm cache.
"""

from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from sitegroup.registry.lookup import public_root_url, site_root_path

from .kinds import ChannelKind
from .models import InteractionChannelPage

CACHE_KEY = "interaction:error-channel"
NONE = ("", "")


def _locate():
    channel = (
        InteractionChannelPage.objects.live().filter(kind=ChannelKind.ERROR_REPORT)
        .order_by("path").only("id", "url_path", "path").first()
    )
    if channel is None:
        return NONE
    from wagtail.models import Site

    root = site_root_path(channel)
    site = Site.objects.filter(root_page__path=root).only("hostname", "root_page__url_path").select_related(
        "root_page").first()
    if site is None:
        return NONE
    return site.hostname, channel.url_path[len(site.root_page.url_path) - 1:]


def error_report_url(request) -> str:
    """Absolute address of the error-report form, with the current page filled in."""
    located = cache.get(CACHE_KEY)
    if located is None:
        located = _locate()
        cache.set(CACHE_KEY, located, 3600)
    hostname, path = located
    if not hostname:
        return ""
    query = urlencode({"url": request.build_absolute_uri()}) if request is not None else ""
    return f"{public_root_url(hostname, request)}{path}write/" + (f"?{query}" if query else "")


def forget(**kwargs):
    cache.delete(CACHE_KEY)


for signal in (page_published, page_unpublished, post_page_move):
    signal.connect(forget, sender=InteractionChannelPage, dispatch_uid=f"interaction-links-{id(signal)}")


@receiver(post_delete, sender=InteractionChannelPage)
def _deleted(**kwargs):
    forget()
