import pytest
from django.urls import reverse
from wagtail.models import Page, Site

from sitegroup.registry.models import SiteProfile
from sitegroup.registry.roles import ensure_office_group
from tests.factories import make_user
from tests.helpers import refused

FORM = {
    "name": "湖口县", "hostname": "hukou.localhost", "port": "80", "code": "hukou",
    "kind": "county", "theme": "county", "status": "running",
    "organiser": "湖口县人民政府办公室", "operator": "湖口县大数据中心",
    "site_id_code": "3604290001", "icp_number": "赣ICP备05004431号-12",
    "police_number": "赣公网安备 36042902000001号", "phone": "0792-6322000",
    "email": "hkxzf@jiujiang.gov.cn", "address": "湖口县双钟镇行政中心",
    "leader": "王强", "responsible_person": "陈静", "sort_order": "100",
}


@pytest.fixture
def office_client(client, portal):
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    return client


def test_group_office_creates_a_site_in_the_admin(office_client):
    response = office_client.post(reverse("site_registry:add"), FORM)
    assert response.status_code == 302, response.content.decode()[:500]
    profile = SiteProfile.objects.get(code="hukou")
    assert profile.site.hostname == "hukou.localhost"
    assert profile.role_groups.count() == 6
    assert Page.objects.child_of(profile.site.root_page).count() == 6


def test_bad_filing_data_shows_chinese_errors_and_creates_nothing(office_client):
    sites_before = Site.objects.count()
    data = dict(FORM, site_id_code="12345", icp_number="ICP 123", hostname="jiujiang.localhost")
    response = office_client.post(reverse("site_registry:add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "网站标识码格式不正确" in html
    assert "ICP 备案号格式不正确" in html
    assert "已被其他站点使用" in html
    assert Site.objects.count() == sites_before
    assert not SiteProfile.objects.filter(code="hukou").exists()


def test_edit_changes_site_and_profile(office_client, county):
    data = dict(FORM, name="修水县（新）", hostname="xs.localhost", code="xiushui",
                site_id_code=county.site_id_code)
    response = office_client.post(reverse("site_registry:edit", args=[county.pk]), data)
    assert response.status_code == 302, response.content.decode()[:800]
    county.refresh_from_db()
    assert county.site.site_name == "修水县（新）"
    assert county.site.hostname == "xs.localhost"
    assert county.organiser == "湖口县人民政府办公室"


def test_site_editors_cannot_use_the_registry(client, county):
    client.force_login(make_user("xs_admin", county, "admin"))
    for url in (reverse("site_registry:index"), reverse("site_registry:add"),
                reverse("site_registry:edit", args=[county.pk])):
        response = client.get(url)
        assert refused(response)
    response = client.post(reverse("site_registry:add"), FORM)
    assert not SiteProfile.objects.filter(code="hukou").exists()


def test_registry_index_query_count(office_client, county, department, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        assert office_client.get(reverse("site_registry:index")).status_code == 200
