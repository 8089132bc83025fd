"""Site admins keep their own site's word lists; only the group office touches
group-wide lists or other sites' lists. Checked over HTTP as each user."""

import pytest
from django.urls import reverse

from review.models import WordList
from sitegroup.registry.roles import ensure_office_group
from tests.factories import make_user
from tests.helpers import denied


@pytest.fixture
def lists(county, department):
    return {
        "group": WordList.objects.create(name="全站群通用词库"),
        "own": WordList.objects.create(name="修水县本站词库", site=county),
        "other": WordList.objects.create(name="教育局词库", site=department),
    }


def form_data(name, site):
    return {
        "name": name, "site": site.pk if site else "", "active": "on",
        "terms-TOTAL_FORMS": "1", "terms-INITIAL_FORMS": "0", "terms-MIN_NUM_FORMS": "0",
        "terms-MAX_NUM_FORMS": "1000", "terms-0-kind": "sensitive", "terms-0-word": "内部资料",
        "terms-0-correction": "", "terms-0-level": "block", "terms-0-ORDER": "1",
    }


def test_site_admin_sees_and_edits_only_their_lists(client, county, department, lists):
    client.force_login(make_user("xs_admin", county, "admin"))
    index = client.get(reverse("wordlist:index")).content.decode()
    assert "修水县本站词库" in index and "教育局词库" not in index and "全站群通用词库" not in index

    assert client.get(reverse("wordlist:edit", args=[lists["own"].pk])).status_code == 200
    for key in ("group", "other"):
        assert denied(client.get(reverse("wordlist:edit", args=[lists[key].pk])))
        assert denied(client.post(reverse("wordlist:edit", args=[lists[key].pk]), form_data("改名", county)))
        assert denied(client.post(reverse("wordlist:delete", args=[lists[key].pk])))
    assert WordList.objects.filter(name__in=["全站群通用词库", "教育局词库"]).count() == 2

    # Creating: only for their own site, never group-wide or for another site.
    add = reverse("wordlist:add")
    page = client.get(add).content.decode()
    assert "修水县" in page and department.name not in page
    assert client.post(add, form_data("错误：他站", department)).status_code == 200
    assert client.post(add, form_data("错误：全站群", None)).status_code == 200
    assert not WordList.objects.filter(name__startswith="错误").exists()
    assert client.post(add, form_data("修水县新增词库", county)).status_code == 302
    created = WordList.objects.get(name="修水县新增词库")
    assert created.site == county and created.terms.get().word == "内部资料"


def test_editors_have_no_access_and_office_has_all(client, county, lists):
    client.force_login(make_user("xs_editor", county, "editor"))
    assert denied(client.get(reverse("wordlist:index")))
    assert denied(client.get(reverse("wordlist:edit", args=[lists["own"].pk])))

    client.force_login(make_user("office", groups=[ensure_office_group()]))
    index = client.get(reverse("wordlist:index")).content.decode()
    assert all(name in index for name in ("修水县本站词库", "教育局词库", "全站群通用词库"))
    assert client.post(reverse("wordlist:add"), form_data("市级新增", None)).status_code == 302
    assert WordList.objects.get(name="市级新增").site is None



@pytest.mark.parametrize("view", ["history", "history_results", "usage"])
def test_history_and_usage_views_answer_for_those_who_may_see_the_list(client, county, department, lists, view):
    """These views answered 500 for everyone (a get_object signature mismatch)."""
    url_own = reverse(f"wordlist:{view}", args=[lists["own"].pk])
    url_other = reverse(f"wordlist:{view}", args=[lists["other"].pk])
    client.force_login(make_user("xs_admin", county, "admin"))
    assert client.get(url_own).status_code == 200
    assert denied(client.get(url_other))
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    assert client.get(url_own).status_code == 200 and client.get(url_other).status_code == 200
    client.force_login(make_user("xs_editor", county, "editor"))
    assert denied(client.get(url_own))
