"""Each theme lays its home page out differently; the portal links the whole group."""

from tests.factories import column, make_article, make_site


def home(client, host):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    return response.content.decode()


def test_portal_lists_the_group_and_leads_with_the_news(client, portal, county, department):
    make_article(column(portal, "ywdt"), "九江市召开政府网站工作会议")
    page = home(client, "jiujiang.localhost")
    assert 'class="headline"' in page and "九江市召开政府网站工作会议" in page
    assert "站群导航" in page and 'class="service-entry"' in page
    assert f'href="{county.site.root_url}/">{county.name}</a>' in page
    assert f'href="{department.site.root_url}/">{department.name}</a>' in page


def test_directory_follows_new_and_closed_sites(client, portal, county):
    home(client, "jiujiang.localhost")  # fills the cache
    added = make_site("county", name="湖口县", code="hukou", hostname="hukou.localhost")
    assert "湖口县" in home(client, "jiujiang.localhost")
    added.status = "closed"
    added.save()
    assert "湖口县" not in home(client, "jiujiang.localhost")


def test_subsites_link_back_to_the_portal(client, portal, county, department):
    make_article(column(department, "ywdt"), "教育局工作动态")
    county_page = home(client, "xiushui.localhost")
    assert f'href="{portal.site.root_url}/">中国九江' in county_page and "county-sections" in county_page
    dept_page = home(client, "jyj.localhost")
    assert "栏目导航" in dept_page and 'class="dept-aside"' in dept_page and "教育局工作动态" in dept_page
    assert "站群导航" not in dept_page and "站群导航" not in county_page
