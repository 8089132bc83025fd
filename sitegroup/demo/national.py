"""What the national check indicators look for, on the demo sites: a 办事服务 entry
on every site and a week of availability probes. Two sites fail on purpose so
the evaluation shows a realistic mix (see README, “Demo”)."""

import datetime

from django.utils import timezone

from sitegroup.availability.models import Probe
from sitegroup.registry.models import SiteProfile, SiteRole
from sites.columns import ColumnKind
from sites.models import ArticlePage, ColumnPage

NO_SERVICE_ENTRY = "gaj"       # 九江市公安局: 服务不实用
UNREACHABLE = "duchang"        # 都昌县: 站点无法访问 (7% of the week's probes failed)
PROBES_PER_DAY = 24


def ensure_service_entries(publish, staff_for) -> int:
    """A 办事服务 column with its guide on every site but one. Returns how many were made."""
    made = 0
    for profile in SiteProfile.objects.select_related("site__root_page").exclude(code=NO_SERVICE_ENTRY):
        home = profile.site.root_page
        column = ColumnPage.objects.child_of(home).filter(slug="bsfw").first()
        if column is not None and column.live and ArticlePage.objects.child_of(column).live().exists():
            continue
        staff = staff_for(profile)
        if column is None:
            column = ColumnPage(title="办事服务", slug="bsfw", kind=ColumnKind.SERVICE, live=False,
                                owner=staff[SiteRole.EDITOR],
                                intro="个人办事、法人办事和便民服务，统一接入江西政务服务网。")
            home.add_child(instance=column)
            column.save_revision(user=staff[SiteRole.EDITOR])
        if not column.live:
            publish(column, staff)
        guide = ArticlePage.objects.child_of(column).filter(slug="bszn").first()
        if guide is None:
            guide = ArticlePage(
                title=f"{profile.site.site_name}办事指南", slug="bszn", date=timezone.localdate(), live=False,
                source=profile.organiser, owner=staff[SiteRole.EDITOR],
                body=[("paragraph", "<p>本单位政务服务事项均可在江西政务服务网在线办理，"
                                    "也可到市民服务中心窗口办理。办理材料、时限和收费标准以服务指南为准。</p>")],
            )
            column.add_child(instance=guide)
            guide.save_revision(user=staff[SiteRole.EDITOR])
        if not guide.live:
            publish(guide, staff)
        made += 1
    return made


def ensure_probes(now=None) -> int:
    """Hourly probes of each site's home page over the last week, where the week has none."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=7)
    probed = set(Probe.objects.filter(at__gt=since).values_list("profile_id", flat=True).distinct())
    rows = []
    for profile in SiteProfile.objects.select_related("site").exclude(pk__in=probed):
        url = f"http://{profile.site.hostname}:8000/"
        total = 7 * PROBES_PER_DAY
        for n in range(total):
            # Every 14th probe of 都昌县 failed: 12 of 168, 7.1%, past the 5% veto.
            failed = profile.code == UNREACHABLE and n % 14 == 0
            rows.append(Probe(
                profile=profile, at=now - datetime.timedelta(hours=n), url=url, ok=not failed,
                status_code=None if failed else 200, seconds=15.0 if failed else 0.3,
                error="超过 15 秒未打开" if failed else "",
            ))
    Probe.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
