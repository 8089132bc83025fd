"""Below the vetoes each problem costs its criterion points, and the card says which and why."""

import io

import openpyxl
import pytest

from sitegroup.evaluation.models import EvaluationSnapshot, EvaluationWeights
from sitegroup.evaluation.scoring import evaluate
from sitegroup.evaluation.services import take_snapshot
from sitegroup.registry.roles import ensure_office_group
from sites.columns import ColumnKind
from tests.factories import make_user

from .test_evaluation import AS_OF, PERIOD, broken_links, card_of, fill
from .test_national_vetoes import extra_columns


def card(profile):
    return card_of(evaluate(PERIOD, as_of=AS_OF), profile)


@pytest.mark.parametrize("stale, vetoed", [(4, False), (5, True)])
def test_each_stale_column_costs_points_and_five_veto(county, stale, vetoed):
    fill(county)
    extra_columns(county, stale, ColumnKind.NEWS, age=15)
    result = card(county)
    assert result.scores["freshness"] == 100 - 5 * stale
    freshness = [d for d in result.deductions if d[0] == "栏目更新"]
    assert len(freshness) == stale and all(points == 5 for _l, _r, points in freshness)
    assert "栏目“news栏目0”已 15 天未更新（期限 14 天）" in [reason for _l, reason, _p in freshness]
    assert result.vetoed is vetoed


def test_blank_columns_broken_links_and_the_points_are_the_offices(county):
    fill(county)
    extra_columns(county, 2, ColumnKind.OTHER)
    broken_links(county, 3)
    result = card(county)
    assert result.scores["freshness"] == 90 and result.scores["links"] == 94
    reasons = {reason: points for _label, reason, points in result.deductions}
    assert reasons["栏目“other栏目0”为空白栏目（无任何已发布内容）"] == 5
    assert any("3 条失效链接" in reason and points == 6 for reason, points in reasons.items())

    weights = EvaluationWeights.load()
    weights.blank_column_points, weights.link_deduction = 20, 10
    weights.save()
    result = card(county)
    assert result.scores["freshness"] == 60 and result.scores["links"] == 70


def test_the_pass_mark_is_data(county):
    fill(county)
    total = card(county).total
    weights = EvaluationWeights.load()
    weights.pass_mark = int(total)  # just at it: passes
    weights.save()
    assert card(county).grade in ("优秀", "良好", "合格")
    weights.pass_mark = int(total) + 1  # just past it: fails
    weights.save()
    assert card(county).grade == "不合格"


def test_snapshot_dashboard_and_export_carry_every_deduction_and_veto(client, county):
    fill(county)
    extra_columns(county, 5, ColumnKind.NEWS, age=15)
    take_snapshot(PERIOD.start, as_of=AS_OF)
    snapshot = EvaluationSnapshot.objects.get(profile=county)
    assert len(snapshot.deductions) == 5 and snapshot.vetoes[0][0] == "栏目不更新"

    client.force_login(make_user("office", groups=[ensure_office_group()]))
    # The current month is computed live (as of today, when these articles are not yet due).
    page = client.get("/admin/oversight/evaluation/").content.decode()
    assert "<strong>栏目不更新</strong>" in page and "<summary>扣分 " in page and "栏目“news栏目4”" in page
    response = client.get(f"/admin/oversight/evaluation/?month={PERIOD.start:%Y-%m}&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[3]]
    row = dict(zip(header, [cell.value for cell in sheet[4]], strict=True))
    assert "栏目不更新：" in row["单项否决"] and row["扣分明细"].count("栏目更新 −5") >= 5
