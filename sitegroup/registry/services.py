"""Creating a site of the group: everything in one transaction, or nothing."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from wagtail.models import Collection, Site

from .events import site_provisioned, site_updated
from .models import DEFAULT_THEME_FOR_KIND, SiteProfile, SiteStatus
from .roles import ensure_office_group, provision_site_groups

PROFILE_FIELDS = [
    "code", "kind", "theme", "status", "organiser", "operator", "site_id_code", "icp_number",
    "police_number", "phone", "email", "address", "leader", "responsible_person", "sort_order",
]


@dataclass
class SiteSpec:
    name: str
    hostname: str
    code: str
    kind: str
    organiser: str
    operator: str
    site_id_code: str
    icp_number: str
    police_number: str
    phone: str
    email: str
    address: str
    leader: str
    responsible_person: str
    port: int = 80
    theme: str = ""
    status: str = SiteStatus.RUNNING
    is_default_site: bool = False
    intro: str = ""
    sort_order: int = 100
    # (slug, title, kind) of the columns to create; None: the page layer's standard columns.
    columns: list | None = None


def validate_spec(spec: SiteSpec, instance: SiteProfile | None = None) -> None:
    """Raise ValidationError (with Chinese messages) before anything is written."""
    errors = {}
    clash = Site.objects.filter(hostname=spec.hostname, port=spec.port)
    if instance is not None:
        clash = clash.exclude(pk=instance.site_id)
    if clash.exists():
        errors["hostname"] = [f"域名 {spec.hostname}:{spec.port} 已被其他站点使用。"]
    if spec.is_default_site:
        default = Site.objects.filter(is_default_site=True)
        if instance is not None:
            default = default.exclude(pk=instance.site_id)
        if default.exists():
            errors["is_default_site"] = ["已有默认站点，一个站点群只能有一个默认站点。"]
    # A scratch copy: a failed validation must not leave the caller's instance dirty.
    profile = SiteProfile(pk=instance.pk if instance else None)
    profile._state.adding = instance is None
    for name in PROFILE_FIELDS:
        setattr(profile, name, getattr(spec, name))
    if not profile.theme:
        profile.theme = DEFAULT_THEME_FOR_KIND.get(spec.kind, "")
    try:
        profile.full_clean(exclude=["site", "collection"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def provision_site(spec: SiteSpec) -> SiteProfile:
    """Create a site of the group: pages (built by SITEGROUP_PAGE_TREE_BUILDER),
    Site record, media collection, filing record and role groups, or nothing."""
    validate_spec(spec)
    home = import_string(settings.SITEGROUP_PAGE_TREE_BUILDER)(spec)

    site = Site.objects.create(
        hostname=spec.hostname, port=spec.port, root_page=home,
        site_name=spec.name, is_default_site=spec.is_default_site,
    )
    collection = Collection.get_first_root_node().add_child(name=spec.name)
    profile = SiteProfile(site=site, collection=collection)
    for name in PROFILE_FIELDS:
        setattr(profile, name, getattr(spec, name))
    profile.theme = spec.theme or DEFAULT_THEME_FOR_KIND[spec.kind]
    profile.full_clean()
    profile.save()

    provision_site_groups(profile, home, collection)
    ensure_office_group()
    site_provisioned.send(sender=SiteProfile, profile=profile)
    return profile


@transaction.atomic
def update_site(profile: SiteProfile, spec: SiteSpec, user=None, cause=None) -> SiteProfile:
    """Apply ``spec`` to a site; announce what changed (``site_updated``) with who
    did it. ``profile`` must be as stored: its values are the "before"."""
    validate_spec(spec, instance=profile)
    before = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    site = profile.site
    site.hostname, site.port = spec.hostname, spec.port
    site.site_name = spec.name
    site.is_default_site = spec.is_default_site
    site.save()
    for name in PROFILE_FIELDS:
        setattr(profile, name, getattr(spec, name))
    profile.full_clean()
    profile.save()
    if profile.collection_id and profile.collection.name != spec.name:
        profile.collection.name = spec.name
        profile.collection.save()
    changes = {
        name: [before[name], getattr(profile, name)] for name in PROFILE_FIELDS if before[name] != getattr(profile, name)
    }
    if changes:
        site_updated.send(sender=SiteProfile, profile=profile, changes=changes, user=user, cause=cause)
    return profile


def spec_from_profile(profile: SiteProfile) -> SiteSpec:
    site = profile.site
    return SiteSpec(
        name=site.site_name, hostname=site.hostname, port=site.port,
        is_default_site=site.is_default_site,
        **{name: getattr(profile, name) for name in PROFILE_FIELDS},
    )
