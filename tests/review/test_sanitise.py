from wagtail.models import Page

from review.models import SanitisedMarkup
from tests.factories import column, make_article

HOSTILE = (
    '<p onclick="steal()">正文<script>alert(1)</script>'
    '<a href="javascript:alert(1)">坏链接</a><a href="data:text/html;base64,PHNjcmlwdD4=">数据链接</a>'
    '<a href="https://www.jiujiang.gov.cn/">好链接</a>'
    '<span style="background:url(javascript:alert(1));width:expression(alert(1))">样式</span>'
    '<svg onload="alert(1)"><circle/></svg><iframe src="https://evil.example"></iframe>'
    '<img src=x onerror="alert(1)"></p>'
)


def test_hostile_markup_is_removed_on_save_and_recorded(county, client):
    article = make_article(column(county, "ywdt"), "含恶意代码的稿件", body="占位")
    article.body = [("paragraph", HOSTILE)]
    article.save_revision().publish()
    stored = str(Page.objects.get(pk=article.pk).specific.body.raw_data)
    for bad in ("onclick", "<script", "javascript:", "data:text", "expression", "<svg", "<iframe", "onerror", "style="):
        assert bad not in stored, bad
    assert "正文" in stored and "https://www.jiujiang.gov.cn/" in stored
    record = SanitisedMarkup.objects.filter(page_id=article.pk).first()
    assert record is not None and "script" in record.removed and "onclick" in record.original
    html = client.get(f"/ywdt/{article.slug}/", HTTP_HOST=county.site.hostname).content.decode()
    assert "alert(1)" not in html


def test_wagtail_rich_text_references_survive(county):
    kept = '<p data-block-key="a1">见<a linktype="page" id="3">链接</a></p><embed embedtype="image" id="1" format="left" alt="图"/>'
    article = make_article(column(county, "ywdt"), "正常稿件", body="占位")
    article.body = [("paragraph", kept)]
    article.save_revision().publish()
    stored = Page.objects.get(pk=article.pk).specific.body.raw_data[0]["value"]
    assert 'linktype="page"' in stored and '<embed embedtype="image" id="1" format="left" alt="图"/>' in stored
    assert 'data-block-key="a1"' in stored
    assert not SanitisedMarkup.objects.filter(page_id=article.pk).exists()
