"""Whole-response cache for anonymous visitors, purged per site on every change.

Each cached entry remembers the site generation and the group epoch it was
rendered under. Publishing, unpublishing or editing a site's profile bumps that
site's generation; moving or deleting pages and changing Site records bump the
epoch. A hit whose numbers no longer match is a miss, so purging is O(1) and
works across every gunicorn worker sharing the cache.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.http import HttpResponse
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from sitegroup.registry.events import directory_changed
from sitegroup.registry.lookup import site_for_request
from sitegroup.registry.models import SiteProfile

logger = logging.getLogger(__name__)

EPOCH_KEY = "pc:epoch"
CACHEABLE_ATTR = "sitegroup_cacheable"
UNCACHED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/search/")
# Set in the WSGI environ (a key no HTTP header can produce) by renderers that
# need the page as rendered now, with the marks of a fresh render (static publishing).
FRESH_RENDER_KEY = "sitegroup.fresh_render"


def _generation_key(site_id):
    return f"pc:gen:{site_id}"


def _page_key(request):
    raw = f"{request.get_host()}|{request.get_full_path()}".encode()
    return "pc:page:" + hashlib.blake2b(raw, digest_size=20).hexdigest()


def _bump(key):
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)


def purge_site(site_id):
    if site_id:
        _bump(_generation_key(site_id))


def purge_all():
    _bump(EPOCH_KEY)


def purge_page(page):
    """Purge the site a page belongs to; everything if that cannot be told
    (a page published before its Site exists, as during provisioning)."""
    try:
        site = page.get_site()
    except Site.DoesNotExist:
        site = None
    except Exception:  # noqa: BLE001 - purging must never break publishing
        logger.exception("Could not find the site of page %s; purging everything", page.pk)
        site = None
    if site is not None:
        purge_site(site.pk)
    else:
        purge_all()


def is_shareable(response) -> bool:
    """Whether a response may be given to every anonymous visitor as it is."""
    return bool(
        getattr(response, CACHEABLE_ATTR, None)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
    )


def mark_cacheable(request, response):
    """Called by page views that may be shared between anonymous visitors."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return response
    site = site_for_request(request)
    if site is not None:
        setattr(response, CACHEABLE_ATTR, site.pk)
    return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 600)

    def _eligible(self, request):
        return (
            request.method in ("GET", "HEAD")
            and self.timeout > 0
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path_info.startswith(UNCACHED_PREFIXES)
            and not request.META.get(FRESH_RENDER_KEY)
        )

    def __call__(self, request):
        if not self._eligible(request):
            return self.get_response(request)
        key = _page_key(request)
        entry = cache.get(key)
        if entry is not None:
            site_id, gen, epoch, status, headers, content = entry
            current = cache.get_many([_generation_key(site_id), EPOCH_KEY])
            if current.get(_generation_key(site_id), 0) == gen and current.get(EPOCH_KEY, 0) == epoch:
                response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
                for name, value in headers:
                    response[name] = value
                response["X-Page-Cache"] = "hit"
                return response

        # The numbers are read before rendering: a publish that lands while this
        # response renders leaves the stored copy marked stale, never served stale.
        # find_for_request memoises on the request, so Wagtail's serve reuses it.
        site = Site.find_for_request(request)
        before = cache.get_many([_generation_key(site.pk), EPOCH_KEY]) if site else {}

        response = self.get_response(request)
        site_id = getattr(response, CACHEABLE_ATTR, None)
        if (
            not site_id
            or site is None
            or site_id != site.pk
            or response.status_code != 200
            or response.streaming
            or response.cookies
        ):
            return response
        headers = [(k, v) for k, v in response.items() if k.lower() != "x-page-cache"]
        cache.set(
            key,
            (
                site_id,
                before.get(_generation_key(site_id), 0),
                before.get(EPOCH_KEY, 0),
                response.status_code,
                headers,
                response.content,
            ),
            self.timeout,
        )
        response["X-Page-Cache"] = "miss"
        return response


@receiver(page_published)
@receiver(page_unpublished)
def _purge_on_publish(sender, instance, **kwargs):
    purge_page(instance)


@receiver(post_page_move)
def _purge_on_move(sender, instance, **kwargs):
    purge_all()


# sender=Page: every deleted page has a Page row (its own or its parent link's). A
# receiver for every model would also stop Django from bulk-deleting any other model.
@receiver(pre_delete, sender=Page)
def _purge_on_page_delete(sender, instance, **kwargs):
    purge_all()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _purge_on_view_restriction(sender, instance, **kwargs):
    # Adding, changing or removing a restriction is not a publish, yet it decides
    # whether the page and everything under it may be shown to anyone.
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # removed with its page: the page's deletion purges
        purge_all()
    else:
        purge_page(page)


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def _purge_on_restriction_groups(sender, instance, **kwargs):
    if isinstance(instance, PageViewRestriction):
        purge_page(instance.page)


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _purge_on_site_change(sender, instance, **kwargs):
    purge_all()


def purge_profile(profile):
    purge_site(profile.site_id)


@receiver(post_save, sender=SiteProfile)
@receiver(post_delete, sender=SiteProfile)
def _purge_on_profile_change(sender, instance, **kwargs):
    # The footer (filing numbers), theme and status are on every page of the site.
    purge_profile(instance)


@receiver(directory_changed, sender=SiteProfile)
def _purge_on_directory_change(sender, **kwargs):
    purge_all()
