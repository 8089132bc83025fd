import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from wagtail.models import Collection, GroupPagePermission, Page, Site

from sitegroup.registry.events import site_provisioned
from sitegroup.registry.models import SiteProfile, SiteRole
from sites.columns import STANDARD_COLUMNS
from sites.models import ColumnPage, SiteHomePage
from tests.factories import make_site


def counts():
    return (
        Site.objects.count(), SiteProfile.objects.count(), Page.objects.count(),
        Group.objects.count(), Collection.objects.count(),
    )


def test_provisioning_creates_everything(county):
    site = county.site
    assert isinstance(site.root_page.specific, SiteHomePage)
    assert site.root_page.live
    columns = ColumnPage.objects.child_of(site.root_page)
    assert sorted(columns.values_list("slug", flat=True)) == sorted(s for s, _, _ in STANDARD_COLUMNS)
    assert all(c.live for c in columns)
    assert county.collection.name == "修水县"
    roles = set(county.role_groups.values_list("role", flat=True))
    assert roles == {r.value for r in SiteRole}
    editor_group = county.role_groups.get(role=SiteRole.EDITOR).group
    perms = set(
        GroupPagePermission.objects.filter(group=editor_group).values_list("permission__codename", flat=True)
    )
    assert perms == {"add_page", "change_page"}
    assert not GroupPagePermission.objects.filter(permission__codename="publish_page").exists()


def test_invalid_filing_data_creates_nothing(db):
    make_site("portal")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        make_site("county", site_id_code="12AB", icp_number="bad", police_number="赣公网安备 1号")
    errors = exc.value.message_dict
    assert "site_id_code" in errors and "icp_number" in errors and "police_number" in errors
    assert counts() == before


def test_duplicate_hostname_and_site_id_code_rejected(db):
    first = make_site("county")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        make_site("county", code="wuning", hostname=first.site.hostname, name="武宁县",
                  site_id_code=first.site_id_code)
    errors = exc.value.message_dict
    assert "已被其他站点使用" in errors["hostname"][0]
    assert "site_id_code" in errors
    assert counts() == before


def test_failure_late_in_provisioning_rolls_everything_back(db):
    make_site("portal")
    before = counts()

    def explode(sender, profile, **kwargs):
        raise RuntimeError("workflow attach failed")

    site_provisioned.connect(explode)
    try:
        with pytest.raises(RuntimeError):
            make_site("county")
    finally:
        site_provisioned.disconnect(explode)
    assert counts() == before


def test_site_home_page_cannot_be_created_by_editors(db):
    assert not SiteHomePage.is_creatable
    from sites.models import ArticlePage, DisclosureEntryPage

    assert ArticlePage.parent_page_types == ["sites.ColumnPage"]
    assert ArticlePage.subpage_types == []
    site = make_site("county")
    news = ColumnPage.objects.child_of(site.site.root_page).get(slug="ywdt")
    xxgk = ColumnPage.objects.child_of(site.site.root_page).get(slug="xxgk")
    assert not DisclosureEntryPage.can_create_at(news)
    assert DisclosureEntryPage.can_create_at(xxgk)
