"""What search engines and page checkers look for on every site (Lighthouse's SEO
and best-practice audits): a description, a canonical link, robots.txt, a
sitemap, an icon, a title that names the site once, and links that work on
whatever address the group is served at."""

import re
from urllib.parse import quote

from sitegroup.registry.models import SiteStatus
from tests.factories import change_site, column, make_article

PORTAL, COUNTY = "jiujiang.localhost", "xiushui.localhost"


def get(client, path, host=PORTAL, port="8123"):
    return client.get(path, HTTP_HOST=f"{host}:{port}")


def test_home_page_head(client, portal, county):
    html = get(client, "/").content.decode()
    assert "<title>中国九江</title>" in html  # not 中国九江 - 中国九江
    assert re.search(r'<meta name="description" content="[^"]{10,}">', html)
    assert '<link rel="canonical" href="http://jiujiang.localhost:8123/">' in html
    assert 'rel="icon"' in html


def test_article_head_and_relative_links(client, portal, county):
    article = make_article(column(portal, "ywdt"), "防汛会议", summary="全市防汛工作部署。")
    html = get(client, f"/ywdt/{article.slug}/").content.decode()
    assert "<title>防汛会议 - 中国九江</title>" in html
    assert '<meta name="description" content="全市防汛工作部署。">' in html
    path = quote(f"/ywdt/{article.slug}/")
    assert f'<link rel="canonical" href="http://jiujiang.localhost:8123{path}">' in html
    # Same-site navigation is relative; no link carries the port stored on the Site record.
    assert 'href="/ywdt/"' in html and ":80/" not in html


def test_cross_site_links_follow_the_address_in_use(client, portal, county):
    html = get(client, "/", host=COUNTY, port="9000").content.decode()
    assert 'href="http://jiujiang.localhost:9000/"' in html
    portal_home = get(client, "/", port="9000").content.decode()
    assert 'href="http://xiushui.localhost:9000/"' in portal_home


def test_cross_site_links_use_the_configured_public_address(client, settings, portal, county):
    settings.SITEGROUP_PUBLIC_SCHEME, settings.SITEGROUP_PUBLIC_PORT = "https", 443
    html = get(client, "/", host=COUNTY).content.decode()
    assert 'href="https://jiujiang.localhost/"' in html


def test_robots_and_sitemap(client, portal, county):
    article = make_article(column(county, "ywdt"), "修水新闻")
    robots = get(client, "/robots.txt", host=COUNTY)
    assert robots.status_code == 200 and robots["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in robots.content.decode()
    assert "Sitemap: http://xiushui.localhost:8123/sitemap.xml" in robots.content.decode()
    sitemap = get(client, "/sitemap.xml", host=COUNTY).content.decode()
    assert f"<loc>http://xiushui.localhost:8123{quote(f'/ywdt/{article.slug}/')}</loc>" in sitemap
    assert "jiujiang.localhost" not in sitemap  # only this site's pages


def test_a_closed_site_is_not_indexed(client, portal, county):
    change_site(county, status=SiteStatus.CLOSED)
    assert get(client, "/robots.txt", host=COUNTY).content.decode() == "User-agent: *\nDisallow: /\n"
    assert get(client, "/sitemap.xml", host=COUNTY).status_code == 404


def test_favicon(client, portal):
    response = get(client, "/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("themes/favicon.ico")
