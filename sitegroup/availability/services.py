"""Probing every running site's home page, and the week's failure rate per site."""

import datetime
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import httpx
from django.db.models import Count, Q
from django.utils import timezone

from sitegroup.registry.lookup import public_root_url
from sitegroup.registry.models import SiteProfile, SiteStatus

from .models import AvailabilitySettings, Probe

USER_AGENT = "sitegroup-availability-probe"
PARALLEL = 8


def address_of(profile, addresses) -> str:
    return addresses.get(profile.code) or public_root_url(profile.site.hostname) + "/"


def _fetch(url, timeout) -> dict:
    started = time.monotonic()
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}) as client:
            # The whole page must arrive within the limit, not only the headers.
            with client.stream("GET", url) as response:
                for _chunk in response.iter_bytes():
                    if time.monotonic() - started > timeout:
                        raise httpx.ReadTimeout("整页下载超时")
                status = response.status_code
    except httpx.TimeoutException:
        return {"ok": False, "status_code": None, "seconds": time.monotonic() - started,
                "error": f"超过 {timeout} 秒未打开"}
    except httpx.HTTPError as exc:
        return {"ok": False, "status_code": None, "seconds": time.monotonic() - started,
                "error": f"无法连接：{type(exc).__name__} {exc}"[:300]}
    seconds = time.monotonic() - started
    if status != 200:
        return {"ok": False, "status_code": status, "seconds": seconds, "error": f"HTTP {status}"}
    if seconds > timeout:
        return {"ok": False, "status_code": status, "seconds": seconds, "error": f"超过 {timeout} 秒未打开"}
    return {"ok": True, "status_code": status, "seconds": seconds, "error": ""}


def probe_all(profiles=None, progress=None) -> list[Probe]:
    """Fetch each running site's home page once (in parallel) and store the results."""
    settings = AvailabilitySettings.load()
    if profiles is None:
        profiles = SiteProfile.objects.filter(status=SiteStatus.RUNNING)
    profiles = list(profiles.select_related("site"))
    addresses = settings.address_map()
    at = timezone.now()
    urls = [address_of(p, addresses) for p in profiles]
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        results = list(pool.map(lambda url: _fetch(url, settings.timeout_seconds), urls))
    probes = [Probe(profile=p, at=at, url=url[:500], **result) for p, url, result in zip(profiles, urls, results,
                                                                                          strict=True)]
    Probe.objects.bulk_create(probes)
    if progress is not None:
        for probe in probes:
            progress(probe)
    return probes


@dataclass
class Availability:
    probes: int
    failed: int
    window_days: int
    min_probes: int
    veto_percent: Decimal

    @property
    def judged(self) -> bool:
        """Enough probes over the window for the national rule to apply."""
        return self.probes >= self.min_probes

    @property
    def percent(self) -> Decimal | None:
        if not self.probes:
            return None
        return (Decimal(100 * self.failed) / self.probes).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def vetoed(self) -> bool:
        return self.judged and self.percent >= self.veto_percent

    def note(self) -> str:
        if not self.probes:
            return f"近 {self.window_days} 天无监测记录"
        text = f"近 {self.window_days} 天监测 {self.probes} 次，失败 {self.failed} 次（{self.percent}%）"
        if not self.judged:
            return text + f"，不足 {self.min_probes} 次，不作判定"
        if self.vetoed:
            return text + f"，达到 {self.veto_percent.normalize()}%：站点无法访问（单项否决）"
        return text


def availability(profiles, end=None) -> dict[int, Availability]:
    """profile pk → the window's figures ending at ``end`` (now), in one query."""
    settings = AvailabilitySettings.load()
    end = end or timezone.now()
    start = end - datetime.timedelta(days=settings.window_days)
    rows = (
        Probe.objects.filter(profile__in=profiles, at__gt=start, at__lte=end)
        .values("profile").annotate(n=Count("pk"), failed=Count("pk", filter=Q(ok=False))).order_by()
    )
    counts = {row["profile"]: (row["n"], row["failed"]) for row in rows}
    pks = [getattr(p, "pk", p) for p in profiles]
    return {
        pk: Availability(*counts.get(pk, (0, 0)), window_days=settings.window_days,
                         min_probes=settings.min_probes_per_day * settings.window_days,
                         veto_percent=settings.veto_percent)
        for pk in pks
    }
