"""Build the demo site group. Every step checks before it writes, so a second
run changes nothing and an interrupted run is completed by the next one."""

import datetime
import functools
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from review.services import publish_through_review
from sitegroup.registry.models import SiteProfile, SiteRole
from sitegroup.registry.roles import ensure_office_group, site_group
from sitegroup.registry.services import SiteSpec, provision_site
from sitegroup.security.separation import ensure_security_groups
from sites.columns import STANDARD_COLUMNS
from sites.importing import import_file
from sites.models import ArticlePage, ColumnPage, DisclosureEntryPage

from .content import BY_KIND
from .sites_data import SITES, DemoSite


def _today():
    # The day the demo is loaded: its newest stories are days old, so the update
    # monitor and the national 首页不更新 veto see the live group a city would run.
    return timezone.localdate()


DEMO_PASSWORD = "Jiujiang@2026"
ROLE_USERS_FOR = ("jiujiang", "xiushui")
SEED_ARTICLES = [
    ("jiujiang-egov-measures.txt", "九江市电子政务管理办法"),
    ("tianjin-egov-measures-2004.txt", "天津市电子政务管理办法"),
]


def short_name(site: DemoSite) -> str:
    if site.kind == "portal":
        return "九"
    if site.kind == "county":
        return site.name[0]
    return "九" + site.name[3]


def ensure_site(site: DemoSite) -> tuple[SiteProfile, bool]:
    profile = SiteProfile.objects.filter(code=site.code).select_related("site").first()
    if profile is not None:
        return profile, False
    spec = SiteSpec(
        name=site.name, hostname=f"{site.code}.localhost", port=8000, code=site.code, kind=site.kind,
        organiser=site.organiser, operator=site.operator, site_id_code=site.site_id_code,
        icp_number=site.icp_number, police_number=site.police_number, phone=site.phone,
        email=site.email, address=site.address, leader=site.leader, responsible_person=site.responsible,
        is_default_site=site.kind == "portal", sort_order=list(SITES).index(site),
        intro=f"{site.name}是九江市政府网站群成员网站，由{site.organiser}主办。",
    )
    return provision_site(spec), True


def _fill(text: str, site: DemoSite) -> str:
    return text.format(
        area=site.area, org=site.organiser, year=_today().year, email=site.email, short=short_name(site)
    )


def _body(entry, site):
    blocks = []
    for line in entry["body"]:
        line = _fill(line, site)
        if line.startswith("## "):
            blocks.append(("heading", line[3:]))
        else:
            blocks.append(("paragraph", f"<p>{line}</p>"))
    return blocks


# Every demo site gets the people a review needs; the two sites named in
# ROLE_USERS_FOR get every role (README: demo accounts).
REVIEW_STAFF = (SiteRole.EDITOR, SiteRole.REVIEWER, SiteRole.FINAL_REVIEWER)


@functools.cache
def _demo_password_hash():
    # One PBKDF2 run for every demo account (each run takes ~0.5 s by design).
    return make_password(DEMO_PASSWORD)


def _demo_user(username, made=None):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@jiujiang.gov.cn"})
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
        if made is not None:
            made.append(username)
    return user


def ensure_site_staff(profile: SiteProfile, made=None) -> dict:
    """The site's demo editor, 初审 reviewer and 终审 reviewer (role → user)."""
    staff = {}
    roles = list(SiteRole) if profile.code in ROLE_USERS_FOR else REVIEW_STAFF
    for role in roles:
        user = _demo_user(f"{profile.code}_{role.value}", made)
        user.groups.add(site_group(profile, role))
        staff[role] = user
    return staff


def _publish(page, staff):
    """Through the site's own review: its editor submits, its reviewers approve."""
    publish_through_review(
        page, staff[SiteRole.EDITOR], [staff[SiteRole.REVIEWER], staff[SiteRole.FINAL_REVIEWER]],
        acknowledge_warnings=True,
    )


@transaction.atomic
def ensure_articles(profile: SiteProfile, site: DemoSite, per_column: int, staff=None) -> int:
    staff = staff or ensure_site_staff(profile)
    created = 0
    home = profile.site.root_page
    for slug, _title, kind in STANDARD_COLUMNS:
        column = ColumnPage.objects.child_of(home).filter(slug=slug).first()
        if column is None:
            continue
        existing = dict(ArticlePage.objects.child_of(column).values_list("slug", "live"))
        entries = BY_KIND[kind]
        # The catalogue gets a second round: earlier versions, some since repealed or amended.
        count = per_column * 2 if kind == "disclosure" else per_column
        for index in range(count):
            entry = entries[index % len(entries)]
            slug_i = f"demo-{kind}-{index + 1}"
            if slug_i in existing:
                if not existing[slug_i]:  # left unpublished by an interrupted run
                    _publish(ArticlePage.objects.get(slug=slug_i, path__startswith=column.path), staff)
                continue
            round_ = index // len(entries)
            fields = dict(
                title=_fill(entry["title"], site) + (f"（{round_ + 1}）" if round_ else ""),
                slug=slug_i,
                date=_today() - datetime.timedelta(days=entry["days_ago"] + 200 * round_),
                source=site.organiser,
                body=_body(entry, site),
                live=False,
            )
            if kind == "policy":
                fields["subtitle"] = _fill(entry["number"], site)
            if kind == "disclosure":
                page = DisclosureEntryPage(
                    issuer=site.organiser,
                    document_number=_fill(entry.get("number", ""), site) if entry.get("number") else "",
                    topic=entry.get("topic", "政务公开"),
                    genre=entry.get("genre", "other"),
                    # Written a few days before publication; one per site 45 days before (late).
                    written_date=fields["date"] - datetime.timedelta(days=45 if index == 1 else 3),
                    **fields,
                    **_earlier_version(column, index, per_column, entries),
                )
            else:
                page = ArticlePage(**fields)
            page.owner = staff[SiteRole.EDITOR]
            column.add_child(instance=page)
            page.save_revision(user=staff[SiteRole.EDITOR])
            _publish(page, staff)
            created += 1
    return created


def _earlier_version(column, index, per_column, entries):
    """Second-round catalogue entries are earlier versions of the first round's:
    one in three repealed and one in three amended, each linked to what replaced it."""
    if index < per_column:
        return {}
    fate = index % 3
    if fate == 2:
        return {}
    newer = DisclosureEntryPage.objects.child_of(column).filter(slug=f"demo-disclosure-{index - per_column + 1}").first()
    return {"validity": "repealed" if fate == 0 else "amended", "replaced_by": newer}


def ensure_users(stdout=None):
    User = get_user_model()
    made = []
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@jiujiang.gov.cn", DEMO_PASSWORD)
        made.append("admin")
    office, created = User.objects.get_or_create(
        username="xinxiban", defaults={"email": "xinxiban@jiujiang.gov.cn", "first_name": "信息办"}
    )
    if created:
        office.password = _demo_password_hash()
        office.save(update_fields=["password"])
        made.append("xinxiban")
    office.groups.add(ensure_office_group())
    # 三员分立: one account for each of the separated security roles.
    for username, group in zip(("sysadmin", "secadmin", "auditor"), ensure_security_groups().values(), strict=True):
        _demo_user(username, made).groups.add(group)
    for profile in SiteProfile.objects.select_related("site"):
        ensure_site_staff(profile, made)
    return made


def ensure_duty(today=None):
    """A fortnight's duty roster for the sites with demo staff, logs filled in
    except yesterday's, so the dashboards show an overdue log. Re-runnable."""
    import datetime

    from django.utils import timezone

    from sitegroup.duty.models import DutyAssignment, ReadingLog

    today = today or timezone.localdate()
    User = get_user_model()
    for code in ROLE_USERS_FOR:
        profile = SiteProfile.objects.filter(code=code).first()
        officer = User.objects.filter(username=f"{code}_{SiteRole.OFFICER.value}").first()
        if profile is None or officer is None:
            continue
        for offset in range(-7, 7):
            day = today + datetime.timedelta(days=offset)
            DutyAssignment.objects.get_or_create(profile=profile, date=day, user=officer)
            if offset < -1:
                ReadingLog.objects.get_or_create(
                    profile=profile, date=day, user=officer, defaults={"checked": "首页、要闻动态、通知公告"}
                )


def ensure_interaction():
    """Channels on every site and messages in every state (see demo/interaction.py)."""
    from . import interaction

    staff = functools.cache(lambda pk: ensure_site_staff(SiteProfile.objects.get(pk=pk)))
    return (
        interaction.ensure_channels(_publish, lambda profile: staff(profile.pk)),
        interaction.ensure_messages(_publish, lambda profile: staff(profile.pk)),
    )


def ensure_national_indicators():
    """办事服务 entries and a week of availability probes (see demo/national.py)."""
    from . import national

    staff = functools.cache(lambda pk: ensure_site_staff(SiteProfile.objects.get(pk=pk)))
    return national.ensure_service_entries(_publish, lambda profile: staff(profile.pk)), national.ensure_probes()


def ensure_syndication():
    """信息报送: offers from every subsite to the portal, in each state (see demo/syndication.py)."""
    from . import syndication

    staff = functools.cache(lambda pk: ensure_site_staff(SiteProfile.objects.get(pk=pk)))
    return syndication.ensure_submissions(lambda profile: staff(profile.pk))


def ensure_disclosure():
    """The catalogue read as published over time, and applications in every state."""
    from . import disclosure

    disclosure.backdate_catalogue()
    staff = functools.cache(lambda pk: ensure_site_staff(SiteProfile.objects.get(pk=pk)))
    return disclosure.ensure_applications(lambda profile: staff(profile.pk), {s.code: s.area for s in SITES})


def default_seeds_dir() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "seeds"


def import_seeds(seeds_dir: Path):
    profile = SiteProfile.objects.filter(code="jiujiang").select_related("site").first()
    if profile is None or not seeds_dir.is_dir():
        return []
    column = ColumnPage.objects.child_of(profile.site.root_page).filter(slug="zcwj").first()
    staff = ensure_site_staff(profile)
    results = []
    for filename, title in SEED_ARTICLES:
        path = seeds_dir / filename
        if path.is_file():
            result = import_file(
                path, column, publish=False, user=staff[SiteRole.EDITOR], title=title, source_key=f"seeds/{filename}"
            )
            # Imported content is published content like any other: through review.
            if result.status != "failed" and result.page is not None and (
                result.status != "unchanged" or not result.page.live
            ):
                _publish(result.page, staff)
            results.append(result)
    return results


def release_media_once() -> bool:
    """A database from before media release had nothing registered: register
    the files of every live page once, so existing pages keep their files."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from review.models import ReleasedMedia
    from review.release import rebuild

    if ReleasedMedia.objects.exists() or not (
        get_document_model().objects.exists() or get_image_model().objects.exists()
    ):
        return False
    rebuild()
    return True
