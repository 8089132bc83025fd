from pathlib import Path

from django.contrib.auth.models import User
from django.core.management import call_command
from wagtail.models import Page, Revision, Site

from sitegroup.registry.models import SiteProfile
from sites.models import ArticlePage, DisclosureEntryPage

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def snapshot():
    return (Site.objects.count(), Page.objects.count(), Revision.objects.count(), User.objects.count())


def test_load_demo_subset_is_idempotent(db, tmp_path, client):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "jiujiang-egov-measures.txt").write_text(
        "第一條 為了加強我市電子政務的建設和管理，制定本辦法。\n第二十七條 新建網站應當向市政府信息辦備案。\n"
    )
    args = ["--sites", "jiujiang,xiushui", "--articles-per-column", "5", "--seeds", str(seeds)]
    call_command("load_demo", *args)
    first = snapshot()
    call_command("load_demo", *args)
    assert snapshot() == first

    portal = SiteProfile.objects.get(code="jiujiang")
    assert portal.site.is_default_site and portal.site_id_code == "3604000003"
    assert SiteProfile.objects.get(code="xiushui").site_id_code == "3604240001"
    for profile in SiteProfile.objects.all():
        profile.full_clean()  # filing records are valid
        for col in Page.objects.child_of(profile.site.root_page).exclude(slug="bsfw"):
            assert ArticlePage.objects.child_of(col).live().count() >= 5, (profile, col.title)
        service = Page.objects.child_of(profile.site.root_page).get(slug="bsfw")  # 办事服务 and its guide
        assert service.live and ArticlePage.objects.child_of(service).live().count() == 1
    # 索引号 in the group format: 网站标识码 (no organisation code set) / year - serial.
    assert DisclosureEntryPage.objects.filter(index_number__startswith="3604240001/").exists()
    assert DisclosureEntryPage.objects.filter(validity="repealed", replaced_by__isnull=False).exists()

    regulation = ArticlePage.objects.get(title="九江市电子政务管理办法")
    body = str(regulation.body)
    assert "<strong>第二十七条</strong>" in body and "备案" in body and "備案" not in body
    assert User.objects.filter(username="xiushui_editor", groups__name="修水县·编辑").exists()

    response = client.get("/zcwj/", HTTP_HOST="jiujiang.localhost:8000")
    assert "九江市电子政务管理办法" in response.content.decode()


def test_demo_content_is_published_through_review(db):
    """Every live demo article went through its site's review: submitted by the
    site's demo editor with the statement, approved at 初审 and 终审 by two
    other people, recorded in an intact ledger."""
    from review.models import LedgerEntry, ResponsibilityStatement

    call_command("load_demo", "--sites", "xiushui", "--articles-per-column", "1", "--seeds", "/nonexistent")
    articles = list(ArticlePage.objects.live())
    assert articles
    approved = set(LedgerEntry.objects.filter(action="workflow_approved").values_list("revision_id_ref", flat=True))
    for article in articles:
        assert article.live_revision_id in approved, article.title
        statement = ResponsibilityStatement.objects.get(revision_id=article.live_revision_id)
        approvers = set(
            LedgerEntry.objects.filter(action="approve", revision_id_ref=article.live_revision_id)
            .values_list("username", flat=True)
        )
        assert statement.user.username == "xiushui_editor"
        assert approvers == {"xiushui_reviewer", "xiushui_final_reviewer"}
    call_command("verify_ledger")


def test_unknown_site_code_is_refused(db):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="未知的站点代码"):
        call_command("load_demo", "--sites", "atlantis")


def test_real_seeds_publish_both_regulations(db):
    import pytest

    if not SEEDS.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    call_command("load_demo", "--sites", "jiujiang", "--articles-per-column", "0")
    titles = set(ArticlePage.objects.values_list("title", flat=True))
    assert {"九江市电子政务管理办法", "天津市电子政务管理办法"} <= titles


def test_demo_interaction_shows_every_state_and_the_veto(db, client):
    import pytest

    from sites.interaction.models import InteractionChannelPage, LetterReplyPage, Message

    args = ["--sites", "jiujiang,xiushui,jyj", "--articles-per-column", "0", "--seeds", "/nonexistent"]
    call_command("load_demo", *args)
    counts = (Message.objects.count(), LetterReplyPage.objects.count(), InteractionChannelPage.objects.count())
    call_command("load_demo", *args)
    assert (Message.objects.count(), LetterReplyPage.objects.count(), InteractionChannelPage.objects.count()) == counts
    assert set(Message.objects.values_list("status", flat=True)) == {"pending", "accepted", "answered", "invalid"}
    assert Message.objects.filter(transfer_count__gt=0).exists()
    assert Message.objects.filter(kind="error_report", site__code="xiushui").exists()
    assert Message.objects.exclude(satisfaction="").exists()
    # Answers were published through the site's review, and only with consent.
    assert LetterReplyPage.objects.live().filter(shown_publicly=True).exists()
    assert LetterReplyPage.objects.live().filter(shown_publicly=False).exists()
    with pytest.raises(SystemExit) as exited:
        call_command("check_interaction")
    assert exited.value.code == 2
    channel = InteractionChannelPage.objects.get(path__startswith=SiteProfile.objects.get(code="xiushui")
                                                 .site.root_page.path, kind="letter")
    response = client.get(channel.relative_url(channel.get_site()), HTTP_HOST="xiushui.localhost:8000")
    assert response.status_code == 200 and "建议在修水县增设公交站点" in response.content.decode()


def test_demo_disclosure_has_every_state_and_a_balanced_report(db):
    from django.utils import timezone

    from sites.disclosure.models import Application
    from sites.disclosure.report import build

    args = ["--sites", "xiushui", "--articles-per-column", "1", "--seeds", "/nonexistent"]
    call_command("load_demo", *args)
    count = Application.objects.count()
    call_command("load_demo", *args)
    assert Application.objects.count() == count
    assert set(Application.objects.values_list("status", flat=True)) == {
        "received", "registered", "correction", "consultation", "answered"}
    assert Application.objects.filter(extension_days__gt=0).exists()
    assert set(Application.objects.exclude(result="").values_list("result", flat=True)) >= {
        "disclose", "partial", "refuse", "unable", "not_processed"}
    report = build(SiteProfile.objects.get(code="xiushui"), timezone.localdate().year)
    assert report.balanced and report.rows[1].counts.get("total") == 1  # carried over from last year


def test_demo_fails_the_national_vetoes_only_where_it_means_to(db):
    from sitegroup.availability.models import Probe
    from sitegroup.evaluation.scoring import Period, evaluate

    args = ["--sites", "jiujiang,duchang,gaj", "--articles-per-column", "1", "--seeds", "/nonexistent"]
    call_command("load_demo", *args)
    probes = Probe.objects.count()
    call_command("load_demo", *args)
    assert Probe.objects.count() == probes == 3 * 7 * 24
    from django.utils import timezone

    today = timezone.localdate()
    cards = {c.profile.code: {label for label, _ in c.vetoes} for c in evaluate(Period.month(today), as_of=today)}
    assert "站点无法访问" in cards["duchang"] and "服务不实用" not in cards["duchang"]
    assert "服务不实用" in cards["gaj"] and "站点无法访问" not in cards["gaj"]
    assert cards["jiujiang"] == set()  # the portal passes every national veto


def test_demo_syndication_has_accepted_pending_and_returned_offers(db, client):
    from sitegroup.syndication.models import Status, Submission
    from sites.syndicated import SyndicatedArticlePage

    args = ["--sites", "jiujiang,xunyang,lianxi,chaisang,wuning", "--articles-per-column", "1",
            "--seeds", "/nonexistent"]
    call_command("load_demo", *args)
    offers = Submission.objects.count()
    call_command("load_demo", *args)
    assert Submission.objects.count() == offers == 4
    states = dict(Submission.objects.values_list("from_site__code", "status"))
    assert states == {"xunyang": Status.ACCEPTED, "lianxi": Status.ACCEPTED, "chaisang": Status.PENDING,
                      "wuning": Status.RETURNED}
    copies = list(SyndicatedArticlePage.objects.live())
    assert len(copies) == 2 and any(c.own_title.startswith("濂溪区：") for c in copies)
    # The portal's news column lists them; the copy shows the county's text with 来源.
    copy = copies[0]
    response = client.get(copy.get_url(), HTTP_HOST="jiujiang.localhost:8000")
    assert response.status_code == 200 and "本文转载自" in response.content.decode()
