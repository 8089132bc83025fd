"""Visitors get Chinese, themed error pages, never Django's English defaults."""

from django.test import RequestFactory
from django.views.defaults import server_error


def test_missing_page_is_themed_and_offers_search(client, county):
    response = client.get("/no-such-page/", HTTP_HOST="xiushui.localhost")
    assert response.status_code == 404
    html = response.content.decode()
    assert "您访问的页面不存在" in html and 'class="theme-county"' in html
    assert 'action="/search/"' in html and "返回修水县首页" in html
    assert "主办单位" in html  # the filing footer is on every page, error pages too


def test_server_error_page_needs_no_database_or_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务暂时不可用" in response.content.decode()
