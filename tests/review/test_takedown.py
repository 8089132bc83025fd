import pytest
from wagtail.models import Page

from review.models import LedgerEntry, Withdrawal
from sitegroup.registry.roles import ensure_office_group
from tests.factories import column, make_article, make_user
from tests.helpers import refused


@pytest.fixture
def live_article(county):
    return make_article(column(county, "ywdt"), "需要紧急撤下的稿件")


def test_group_office_withdraws_with_a_reason(client, county, live_article):
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    url = f"/admin/review/withdraw/{live_article.pk}/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "撤稿必须填写理由" in response.content.decode()
    assert Page.objects.get(pk=live_article.pk).live

    response = client.post(url, {"reason": "内容涉及未公开信息"})
    assert response.status_code == 302
    assert not Page.objects.get(pk=live_article.pk).live
    record = Withdrawal.objects.get()
    assert record.reason == "内容涉及未公开信息" and record.site == county
    assert LedgerEntry.objects.filter(action="withdraw", page_id_ref=live_article.pk).exists()
    report = client.get("/admin/review/withdrawals/").content.decode()
    assert "需要紧急撤下的稿件" in report
    public = client.get(f"/ywdt/{live_article.slug}/", HTTP_HOST=county.site.hostname)
    assert public.status_code == 404


@pytest.mark.parametrize("role", ["editor", "reviewer", "admin", "officer"])
def test_site_roles_cannot_withdraw(client, county, live_article, role):
    client.force_login(make_user(f"xs_{role}", county, role))
    response = client.post(f"/admin/review/withdraw/{live_article.pk}/", {"reason": "试图撤稿"})
    assert refused(response)
    assert Page.objects.get(pk=live_article.pk).live
    assert refused(client.get("/admin/review/withdrawals/"))


def test_anonymous_cannot_withdraw(client, live_article):
    response = client.post(f"/admin/review/withdraw/{live_article.pk}/", {"reason": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Page.objects.get(pk=live_article.pk).live
