"""A host that is not registered is never served a site under its name."""

import pytest

from tests.factories import column, make_article


@pytest.mark.parametrize("path", ["/", "/ywdt/"])
def test_unregistered_host_gets_the_unregistered_answer(client, settings, portal, path):
    settings.ALLOWED_HOSTS = [".localhost"]
    make_article(column(portal, "ywdt"), "门户新闻")
    assert "门户新闻" in client.get(path, HTTP_HOST="jiujiang.localhost").content.decode()
    response = client.get(path, HTTP_HOST="foo.localhost")
    html = response.content.decode()
    assert response.status_code == 503
    assert "本站点尚未完成登记备案" in html and "门户新闻" not in html and "中国九江" not in html
    # Nor is the answer cached for the real site.
    assert "门户新闻" in client.get(path, HTTP_HOST="jiujiang.localhost").content.decode()
