"""Public disclosure pages every site has: 公开目录 (/gkml/), 公开指南 (/gkzn/), 公开年报 (/gknb/).

On the portal, the catalogue covers every site of the group (one group-wide 政务信息公开目录,
TJ §14); a site's own catalogue covers its tree.
"""

import datetime
import re

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone

from sitegroup.registry.gating import site_gate
from sitegroup.registry.lookup import profile_for_request, profiles_by_root_path, site_root_path
from sitegroup.registry.models import SiteProfile, SiteStatus
from sites.cache import mark_cacheable
from sites.models import DisclosureEntryPage, DisclosureGenre, DisclosureValidity
from sites.visibility import descendants_q, public_q

from .catalogue import TOPICS
from .clock import limits_for
from .models import DisclosureSettings

PAGE_SIZE = 20
INDEX_NUMBER_RE = re.compile(r"[0-9A-Za-z]+[/-]\d{4}-\d+")


def _site(request):
    profile = profile_for_request(request)
    if profile is None:
        raise Http404
    return profile, site_gate(request, profile)


def _year(text):
    return int(text) if (text or "").isdigit() and 1990 <= int(text) <= 2100 else None


def catalogue(request):
    profile, gate = _site(request)
    if gate is not None:
        return gate
    group = profile.kind == "portal" and request.GET.get("scope", "group") == "group"
    entries = DisclosureEntryPage.objects.live().filter(public_q(request))
    if not group:
        entries = entries.filter(descendants_q(profile.site.root_page))
    filters = {key: (request.GET.get(key) or "").strip()[:50] for key in ("q", "topic", "genre", "validity",
                                                                          "issuer", "year", "site")}
    if filters["q"]:
        if INDEX_NUMBER_RE.fullmatch(filters["q"]):
            # Looks like an index number: answered from its index, not by scanning titles.
            entries = entries.filter(index_number=filters["q"])
        else:
            entries = entries.filter(Q(title__icontains=filters["q"]) | Q(document_number__icontains=filters["q"]))
    if filters["topic"]:
        entries = entries.filter(topic=filters["topic"])
    if filters["genre"] in DisclosureGenre.values:
        entries = entries.filter(genre=filters["genre"])
    if filters["validity"] in DisclosureValidity.values:
        entries = entries.filter(validity=filters["validity"])
    if filters["issuer"]:
        entries = entries.filter(issuer__icontains=filters["issuer"])
    year = _year(filters["year"])
    if year:
        entries = entries.filter(date__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    sites = []
    if group:
        running = SiteProfile.objects.filter(status=SiteStatus.RUNNING).select_related("site__root_page")
        by_path = profiles_by_root_path(running)
        sites = sorted(by_path.values(), key=lambda p: (p.sort_order, p.pk))
        chosen = next((p for p in sites if str(p.pk) == filters["site"]), None)
        if chosen is not None:
            entries = entries.filter(descendants_q(chosen.site.root_page))
    entries = entries.order_by("-date", "-pk").only(
        "id", "title", "url_path", "path", "depth", "date", "index_number", "issuer", "written_date",
        "document_number", "validity",
    )
    page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = page_obj.object_list
    if group:
        for entry in rows:
            owner = by_path.get(site_root_path(entry))
            entry.site_name = owner.name if owner else ""
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    response = TemplateResponse(request, "disclosure/catalogue.html", {
        "page_obj": page_obj, "entries": rows, "filters": filters, "group": group, "sites": sites,
        "topics": TOPICS, "genres": DisclosureGenre.choices, "validities": DisclosureValidity.choices,
        "years": range(timezone.localdate().year, 1999, -1), "query": query,
    })
    # The portal's group-wide catalogue is purged when any site publishes an entry (see purge.py).
    mark_cacheable(request, response)
    return response


def guide(request):
    profile, gate = _site(request)
    if gate is not None:
        return gate
    reply_limit, extension_limit, publish_limit = limits_for(profile)
    response = TemplateResponse(request, "disclosure/guide.html", {
        "reply_limit": reply_limit, "extension_limit": extension_limit, "publish_limit": publish_limit,
        "rules": DisclosureSettings.load(),
    })
    mark_cacheable(request, response)
    return response


def reports(request):
    profile, gate = _site(request)
    if gate is not None:
        return gate
    entries = (
        DisclosureEntryPage.objects.live().filter(public_q(request), descendants_q(profile.site.root_page),
                                                  genre=DisclosureGenre.REPORT)
        .order_by("-date", "-pk").only("id", "title", "url_path", "path", "depth", "date")
    )
    response = TemplateResponse(request, "disclosure/reports.html", {"entries": entries[:50]})
    mark_cacheable(request, response)
    return response
