"""加分项: counted for a portal above the threshold, up to the monthly cap, never for others."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sitegroup.evaluation import services
from sitegroup.evaluation.models import Bonus, EvaluationSnapshot, EvaluationWeights
from sitegroup.evaluation.scoring import evaluate

from .test_evaluation import AS_OF, PERIOD, card_of, fill


def total(profile):
    return card_of(evaluate(PERIOD, as_of=AS_OF), profile)


def set_threshold(value, cap=5):
    weights = EvaluationWeights.load()
    weights.bonus_threshold, weights.bonus_cap = value, cap
    weights.save()


def test_a_portal_above_the_threshold_gets_its_bonus_up_to_the_cap(portal):
    fill(portal)
    base = total(portal).total
    set_threshold(int(base) - 1)
    Bonus.objects.create(profile=portal, month=AS_OF, points=Decimal("2"), reason="“双减”专题获省级通报表扬")
    card = total(portal)
    assert card.total == base + 2 and card.bonuses == [("“双减”专题获省级通报表扬", Decimal("2.0"))]
    Bonus.objects.create(profile=portal, month=AS_OF, points=Decimal("4.5"), reason="政务服务创新")
    assert total(portal).total == base + 5  # the monthly cap


def test_no_bonus_at_or_below_the_threshold(portal):
    fill(portal)
    base = total(portal).total
    set_threshold(100)
    Bonus.objects.create(profile=portal, month=AS_OF, points=3, reason="创新")
    card = total(portal)
    assert base <= 100 and card.total == base and card.bonuses == []


def test_other_sites_never_get_bonus_points(county):
    fill(county)
    base = total(county).total
    set_threshold(0)
    bonus = Bonus(profile=county, month=AS_OF, points=3, reason="创新")
    with pytest.raises(ValidationError, match="只有门户网站可以加分"):
        bonus.full_clean()
    bonus.save()  # even when stored around the form
    assert total(county).total == base


def test_the_snapshot_keeps_the_bonus(portal):
    fill(portal)
    set_threshold(0)
    Bonus.objects.create(profile=portal, month=AS_OF.replace(day=15), points=1, reason="创新")
    services.take_snapshot(PERIOD.start, as_of=AS_OF)
    snapshot = EvaluationSnapshot.objects.get(profile=portal)
    assert snapshot.bonuses == [["创新", 1.0]]
    [card] = services.cards_from_snapshots(PERIOD.start, [portal])
    assert card.bonuses == [("创新", 1.0)]
