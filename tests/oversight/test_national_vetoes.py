"""Each 单项否决 of the national check indicators at and just past its threshold."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from review import ledger
from sitegroup.availability.models import Probe
from sitegroup.evaluation.models import EvaluationWeights
from sitegroup.evaluation.scoring import VETO_GRADE, evaluate
from sites.columns import ColumnKind
from sites.models import ColumnPage
from tests.factories import column, make_article

from .test_evaluation import AS_OF, PERIOD, card_of, fill


def labels(card):
    return [label for label, _reason in card.vetoes]


def extra_columns(profile, count, kind, age=None):
    """``count`` more columns of ``kind``, each with one article ``age`` days old (None: blank)."""
    for n in range(count):
        page = ColumnPage(title=f"{kind}栏目{n}", slug=f"{kind}-{n}", kind=kind)
        profile.site.root_page.add_child(instance=page)
        page.save_revision().publish()
        if age is not None:
            make_article(page, f"{kind}{n}", date=AS_OF - datetime.timedelta(days=age))


def card(profile):
    return card_of(evaluate(PERIOD, as_of=AS_OF), profile)


def test_a_well_kept_site_has_no_veto(county):
    fill(county)
    result = card(county)
    assert result.vetoes == [] and result.grade != VETO_GRADE


@pytest.mark.parametrize("stale, vetoed", [(4, False), (5, True)])
def test_five_stale_news_notice_or_policy_columns_veto(county, stale, vetoed):
    fill(county)
    extra_columns(county, stale, ColumnKind.NEWS, age=15)  # news limit: 14 days
    result = card(county)
    assert ("栏目不更新" in labels(result)) is vetoed
    assert result.scores["freshness"] < 100  # a deduction either way
    if vetoed:
        assert result.grade == VETO_GRADE
        assert any("5 个动态、通知公告、政策文件类栏目超期未更新" in reason for _l, reason in result.vetoes)


def test_notice_and_policy_columns_have_six_months(county):
    fill(county)
    extra_columns(county, 5, ColumnKind.NOTICE, age=170)
    assert "栏目不更新" not in labels(card(county))
    extra_columns(county, 5, ColumnKind.POLICY, age=181)
    assert "栏目不更新" in labels(card(county))


@pytest.mark.parametrize("blank, vetoed", [(4, False), (5, True)])
def test_five_blank_columns_veto(county, blank, vetoed):
    fill(county)
    extra_columns(county, blank, ColumnKind.OTHER)
    assert ("栏目不更新" in labels(card(county))) is vetoed


@pytest.mark.parametrize("unupdated, vetoed", [(9, False), (10, True)])
def test_ten_columns_past_their_limit_veto(county, unupdated, vetoed):
    weights = EvaluationWeights.load()
    weights.stale_columns_veto = 0  # only the 应更新而未更新 count is under test
    weights.save()
    fill(county)
    extra_columns(county, unupdated, ColumnKind.NEWS, age=20)
    result = card(county)
    assert ("栏目不更新" in labels(result)) is vetoed
    if vetoed:
        assert "10 个栏目应更新而未更新" in result.vetoes[0][1]


@pytest.mark.parametrize("age, vetoed", [(14, False), (15, True)])
def test_a_home_page_not_updated_for_two_weeks_vetoes(county, age, vetoed):
    fill(county, age=age)
    weights = EvaluationWeights.load()
    weights.stale_columns_veto = weights.unupdated_columns_veto = 0  # the news column is stale too
    weights.save()
    result = card(county)
    assert ("首页不更新" in labels(result)) is vetoed
    if vetoed:
        assert f"首页已 {age} 天未更新（期限 14 天）" in dict(result.vetoes)["首页不更新"]


def test_the_home_page_is_judged_by_the_columns_it_shows(county):
    fill(county, age=15)
    weights = EvaluationWeights.load()
    weights.stale_columns_veto = weights.unupdated_columns_veto = 0
    weights.save()
    hidden = ColumnPage(title="内部栏目", slug="nbl", kind=ColumnKind.OTHER, show_on_home=False)
    county.site.root_page.add_child(instance=hidden)
    hidden.save_revision().publish()
    make_article(hidden, "不在首页展示的新文章", date=AS_OF)
    assert "首页不更新" in labels(card(county))  # nothing new where the home page shows it


@pytest.mark.parametrize("age, vetoed", [(14, False), (15, True)])
def test_a_navigation_only_home_page_is_judged_by_every_second_level_page(county, age, vetoed):
    fill(county, age=30)
    extra_columns(county, 1, ColumnKind.OTHER, age=age)  # the freshest second-level page
    for page in ColumnPage.objects.child_of(county.site.root_page):
        page.show_on_home = False  # the home page lists no column: it is navigation only
        page.save_revision().publish()
    weights = EvaluationWeights.load()
    weights.stale_columns_veto = weights.unupdated_columns_veto = 0
    weights.save()
    weights.navigation_home_sites.add(county)
    result = card(county)
    assert ("首页不更新" in labels(result)) is vetoed
    if vetoed:
        assert dict(result.vetoes)["首页不更新"] == f"首页仅为导航，所有二级页面均已 {age} 天未更新（期限 14 天）"


def test_an_overridden_block_finding_on_a_live_page_vetoes(county):
    fill(county)
    page = column(county, "ywdt").get_children().live().first()
    ledger.append("acknowledge", page)  # a warning acknowledged is not a severe error
    assert "严重错误" not in labels(card(county))
    ledger.append("override", page)
    assert "严重错误" in labels(card(county))
    page.unpublish()  # taken down: no longer on the site
    assert "严重错误" not in labels(card(county))


def test_no_service_entry_and_no_consultation_channel_veto(county):
    fill(county)
    ColumnPage.objects.get(slug="bsfw").unpublish()
    assert labels(card(county)) == ["服务不实用"]
    from sites.interaction.models import InteractionChannelPage

    InteractionChannelPage.objects.descendant_of(county.site.root_page).get().unpublish()
    assert labels(card(county)) == ["互动回应差", "服务不实用"]


@pytest.mark.parametrize("failed, vetoed", [(6, False), (7, True)])
def test_five_percent_of_failed_probes_over_a_week_veto(county, failed, vetoed):
    fill(county)
    end = min(timezone.now(), timezone.make_aware(datetime.datetime.combine(AS_OF, datetime.time(12))))
    Probe.objects.bulk_create(
        Probe(profile=county, at=end - datetime.timedelta(hours=1 + n), url="http://x/", ok=n >= failed)
        for n in range(140)
    )
    result = card(county)
    assert ("站点无法访问" in labels(result)) is vetoed
    assert result.scores["availability"] == 100 - (Decimal(100 * failed) / 140).quantize(Decimal("0.01"))
    assert "监测 140 次" in result.notes["availability"]
