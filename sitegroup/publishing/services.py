"""What the commands and other apps call: full publishing, draining, verifying.

The acting user is an argument where the ledger records the act (the commands
act as the system: None); nothing here runs on import.
"""

from django.urls import reverse
from wagtail.models import Site

from review import ledger
from sitegroup.notices.services import notify
from sitegroup.registry.models import SiteProfile
from sitegroup.registry.roles import office_members

from . import apply, changes
from .models import StaticChange
from .verify import LABELS, verify

REBUILD = "rebuild"


class PublishError(Exception):
    """A message for the operator, in Chinese."""


def _reason(code):
    return f"{REBUILD}:{code or '*'}"


def _roots(site_codes):
    roots = changes.site_roots()
    if not site_codes:
        return list(roots.values())
    profiles = SiteProfile.objects.filter(code__in=site_codes).select_related("site__root_page")
    found = {p.code: p for p in profiles}
    unknown = sorted(set(site_codes) - set(found))
    if unknown:
        raise PublishError(f"没有这些站点代码：{'、'.join(unknown)}")
    return [(code, roots[found[code].site.root_page.path]) for code in site_codes
            if found[code].site.root_page.path in roots]


def publish_all(site_codes=None, restart=False, progress=None, wait=60.0) -> apply.Report:
    """Render every live page of the sites (all by default) to every target.

    Interrupted runs leave their remaining changes queued; running again goes
    on from there unless ``restart`` asks for a new pass.
    """
    if not changes.enabled():
        raise PublishError("静态发布未开启：请设置 STATIC_PUBLISH_ENABLED=1 与 STATIC_PUBLISH_TARGETS。")
    codes = sorted(site_codes or [])
    reasons = [_reason(code) for code in codes] or [_reason(None)]
    queued = apply.pending() and StaticChange.objects.filter(reason__in=reasons).exists()
    if restart or not queued:
        if codes:
            for code, root in _roots(codes):
                changes.record(changes.whole_site(root), _reason(code))
        else:
            changes.record(changes.whole_group(), _reason(None))
    report = apply.drain(progress=progress, wait=wait)
    if report is None:
        raise PublishError("另一个发布进程正在运行，请稍后再试。")
    return report


def drain(progress=None, wait=0.0):
    return apply.drain(progress=progress, wait=wait)


def check_and_restore(progress=None, full=False, site_codes=None, user=None):
    """verify_static: restore what was tampered with, record it, tell the office."""
    hostnames = None
    if site_codes:
        hostnames = [root.hostname for _code, root in _roots(sorted(set(site_codes)))]
    report = verify(progress=progress, full=full, hostnames=hostnames)
    by_site = report.by_site()
    if by_site:
        _record(by_site, user)
    return report


def _record(by_site, user):
    sites = list(Site.objects.select_related("root_page").order_by("-is_default_site", "id"))
    pages = {site.hostname: site.root_page for site in sites}
    # Shared assets belong to no site: their events go on the default site's record.
    fallback = sites[0].root_page if sites else None
    lines = []
    for hostname, findings in sorted(by_site.items()):
        counts = {}
        for finding in findings:
            counts[finding.problem] = counts.get(finding.problem, 0) + 1
        summary = "，".join(f"{LABELS[p]} {n} 个" for p, n in sorted(counts.items()))
        label = hostname or "公共资源（/static/、/media/）"
        lines.append(f"{label}：{summary}")
        page = pages.get(hostname) or fallback
        if page is not None:
            ledger.append(
                "static_tamper", page, user,
                site=hostname or "_shared", summary=summary,
                files=[f"{f.target}:{f.key}（{LABELS[f.problem]}）" for f in findings[:50]],
                more=max(0, len(findings) - 50) or None,
            )
    body = ("静态发布文件校验发现以下改动，已按发布清单与数据库恢复，并记入问责台账：\n"
            + "\n".join(lines))
    notify(office_members(), "网页防篡改：发现并恢复被改动的文件", body, url=reverse("publishing_status"))

