from tests.factories import column, make_article


def test_home_column_and_article_render_with_footer(client, portal):
    news = column(portal, "ywdt")
    article = make_article(news, "九江市召开政府网站工作会议", body="会议强调网站备案与值班读网。")
    home = client.get("/", HTTP_HOST="jiujiang.localhost")
    assert home.status_code == 200
    text = home.content.decode()
    assert "九江市召开政府网站工作会议" in text
    for label in ("主办单位", "承办单位", "联系方式", "网站标识码", "ICP备案号", "公安机关备案号"):
        assert label in text
    assert portal.site_id_code in text
    assert client.get("/ywdt/", HTTP_HOST="jiujiang.localhost").status_code == 200
    page = client.get(article.url_path[len("/jiujiang"):], HTTP_HOST="jiujiang.localhost")
    assert page.status_code == 200
    assert "会议强调网站备案与值班读网" in page.content.decode()
