"""信息报送 as a criterion of the monthly evaluation."""

import datetime
from decimal import Decimal

from django.utils import timezone

from sitegroup.evaluation.models import EvaluationWeights
from sitegroup.evaluation.scoring import Period, evaluate
from sitegroup.syndication import services
from tests.factories import column, make_article


def cards_by_code():
    period = Period.month(timezone.localdate().replace(day=1))
    return {card.profile.code: card for card in evaluate(period)}


def offer_three(story, county, quick_intake, people, portal_people):
    news = column(county, "ywdt")
    second = make_article(news, "修水县开展安全生产检查", date=datetime.date.today())
    third = make_article(news, "修水县召开招商推介会", date=datetime.date.today())
    services.accept(services.submit(story, [quick_intake], people["editor"])[0], portal_people["editor"])
    services.accept(services.submit(second, [quick_intake], people["editor"])[0], portal_people["editor"])
    services.return_submission(services.submit(third, [quick_intake], people["editor"])[0],
                               portal_people["editor"], "不符合栏目定位")


def test_the_acceptance_rate_is_the_score_and_the_portal_is_not_judged(county, quick_intake, story, people,
                                                                       portal_people):
    offer_three(story, county, quick_intake, people, portal_people)
    cards = cards_by_code()
    assert cards["xiushui"].scores["syndication"] == Decimal("66.7")
    assert cards["xiushui"].notes["syndication"] == "报送 3 条，采用 2 条，退回 1 条，采用率 66.7%"
    assert "syndication" not in cards["jiujiang"].scores
    assert cards["jiujiang"].notes["syndication"] == "门户网站为接收方：本期收到报送 3 条，采用 2 条"


def test_a_quota_set_by_the_office_scores_accepted_items(county, quick_intake, story, people, portal_people):
    weights = EvaluationWeights.load()
    weights.syndication_quota = 4
    weights.save()
    offer_three(story, county, quick_intake, people, portal_people)
    assert cards_by_code()["xiushui"].scores["syndication"] == 50


def test_a_site_that_offers_nothing_is_not_judged_without_a_quota_and_scores_zero_with_one(county, portal):
    assert "syndication" not in cards_by_code()["xiushui"].scores
    weights = EvaluationWeights.load()
    weights.syndication_quota = 2
    weights.save()
    card = cards_by_code()["xiushui"]
    assert card.scores["syndication"] == 0 and card.notes["syndication"].endswith("（定额 2 条）")
