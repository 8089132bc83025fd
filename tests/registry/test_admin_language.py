from django.urls import reverse

from tests.factories import make_user


def test_admin_speaks_chinese_by_default(client, county):
    login = client.get(reverse("wagtailadmin_login")).content.decode()
    assert 'lang="zh-hans"' in login or 'lang="zh-Hans"' in login
    assert "九江市政府网站群管理系统" in login
    client.force_login(make_user("xs_editor", county, "editor"))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "控制面板 - 九江市政府网站群" in home


def test_page_model_labels_are_chinese(client, county):
    from sites.models import ArticlePage, ColumnPage

    assert ArticlePage._meta.verbose_name == "文章"
    assert ColumnPage._meta.get_field("kind").verbose_name == "栏目类型"
