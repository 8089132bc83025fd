import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sitegroup.duty.models import DutyAssignment, ReadingLog
from sitegroup.evaluation.models import EvaluationSnapshot, EvaluationWeights
from sitegroup.evaluation.scoring import VETO_GRADE, Period, evaluate
from sitegroup.evaluation.services import take_snapshot
from sitegroup.inspection.models import BrokenLink, InspectionRun
from sitegroup.registry.roles import ensure_office_group
from sites.columns import STANDARD_COLUMNS
from tests.factories import column, make_article, make_site, make_user
from tests.helpers import denied
from tests.review.conftest import act, submit

# Publication dates are "now", so the period is the current month, judged as at its last day.
PERIOD = Period.month(timezone.localdate())
AS_OF = PERIOD.end


def fill(profile, age=1):
    for slug, _title, _kind in STANDARD_COLUMNS:
        make_article(column(profile, slug), f"{profile.name}{slug}", date=AS_OF - datetime.timedelta(days=age))
    equip(profile, AS_OF - datetime.timedelta(days=age))


def equip(profile, date):
    """What the national indicators require besides fresh content: a 办事服务 entry and a consultation channel."""
    from sites.columns import ColumnKind
    from sites.models import ColumnPage
    from tests.interaction.conftest import make_channel

    service = ColumnPage(title="办事服务", slug="bsfw", kind=ColumnKind.SERVICE)
    profile.site.root_page.add_child(instance=service)
    service.save_revision().publish()
    make_article(service, f"{profile.name}办事指南", date=date)
    make_channel(profile)


def card_of(cards, profile):
    return next(c for c in cards if c.profile.pk == profile.pk)


def roster(profile, user, logged_days, missed_days):
    for offset in range(logged_days + missed_days):
        day = PERIOD.start + datetime.timedelta(days=offset)
        DutyAssignment.objects.create(profile=profile, date=day, user=user)
        if offset < logged_days:
            ReadingLog.objects.create(profile=profile, date=day, user=user, checked="首页")


def broken_links(profile, count):
    run = InspectionRun.objects.create(finished_at=timezone.now(), total_pages=1, done_pages=1)
    for i in range(count):
        BrokenLink.objects.create(run=run, site=profile, page_id=1, page_title="页", url=f"/x{i}", problem="404")


def test_score_card_combines_every_criterion(client, county, people):
    fill(county)  # one article per standard column, published without review
    draft = make_article(column(county, "ywdt"), "经过审查的稿件", publish=False, user=people["editor"])
    submit(client, people["editor"], draft)
    act(client, people["reviewer"], draft)
    act(client, people["reviewer2"], draft)
    draft.refresh_from_db()
    assert draft.live
    roster(county, people["editor"], logged_days=3, missed_days=1)
    broken_links(county, 3)
    county.phone = ""
    county.save()

    card = card_of(evaluate(PERIOD, as_of=AS_OF), county)

    assert card.scores["freshness"] == 100
    unreviewed = len(STANDARD_COLUMNS) + 1  # and the 办事服务 guide
    assert card.scores["review"] == (Decimal(100) / (unreviewed + 1)).quantize(Decimal("0.1"))
    assert f"{unreviewed} 篇未经审查" in card.notes["review"]
    assert card.scores["duty"] == 75
    assert card.scores["links"] == 94  # 3 broken links × 2 points
    assert card.scores["filing"] == 90 and "联系电话" in card.notes["filing"]
    expected = (100 * 30 + 94 * 20 + 75 * 20 + card.scores["review"] * 20 + 90 * 10) / 100
    assert card.total == expected.quantize(Decimal("0.1"))
    assert card.grade == "良好" and not card.vetoed  # 75.7


def test_missing_data_is_left_out_and_weights_are_configurable(county, department):
    fill(county)
    fill(department)
    roster(department, make_user("wd"), logged_days=2, missed_days=0)
    cards = evaluate(PERIOD, as_of=AS_OF)
    xs = card_of(cards, county)
    assert xs.scores.get("links") is None and "尚未进行链接巡查" in xs.notes["links"]
    assert xs.scores["duty"] == 0 and xs.notes["duty"] == "本期未排班"
    assert card_of(cards, department).scores["duty"] == 100

    weights = EvaluationWeights.load()
    weights.freshness = weights.links = weights.review = weights.filing = 0
    weights.save()
    cards = evaluate(PERIOD, as_of=AS_OF)
    assert card_of(cards, county).total == 0
    assert card_of(cards, department).total == 100
    assert cards[0].profile.pk == department.pk  # ranked by total


def test_a_blank_column_is_a_deduction_not_a_veto(county):
    fill(county)
    column(county, "tzgg").get_children().delete()
    card = card_of(evaluate(PERIOD, as_of=AS_OF), county)
    assert not card.vetoed and card.scores["freshness"] < 100 and "1 项超期或空白" in card.notes["freshness"]


def test_vetoes_can_be_switched_off_by_the_office(county):
    fill(county)
    for slug in ("tzgg", "zcwj", "xxgk", "ztzl", "ywdt"):
        column(county, slug).get_children().delete()
    card = card_of(evaluate(PERIOD, as_of=AS_OF), county)
    assert card.grade == VETO_GRADE and card.vetoes[0][0] == "栏目不更新"
    weights = EvaluationWeights.load()
    weights.blank_columns_veto = 0
    weights.save()
    assert card_of(evaluate(PERIOD, as_of=AS_OF), county).grade != VETO_GRADE


def test_weights_cannot_all_be_zero(county):
    from django.core.exceptions import ValidationError

    weights = EvaluationWeights(freshness=0, links=0, duty=0, review=0, filing=0, interaction=0, disclosure=0,
                                availability=0, syndication=0)
    with pytest.raises(ValidationError):
        weights.full_clean()


def test_evaluation_uses_a_fixed_number_of_queries(county, department):
    from sites.interaction.models import InteractionSettings

    fill(county)
    InteractionSettings.load()  # the settings row is created on first use, once per database
    broken_links(county, 1)  # an inspection run exists in both measurements
    evaluate(PERIOD, as_of=AS_OF)  # and the working-day calendar loads each year once
    with CaptureQueriesContext(connection) as few:
        evaluate(PERIOD, as_of=AS_OF)
    for i in range(4):
        fill(make_site("department", name=f"部门{i}", code=f"dept{i}", hostname=f"dept{i}.localhost"))
    broken_links(county, 2)
    with CaptureQueriesContext(connection) as many:
        cards = evaluate(PERIOD, as_of=AS_OF)
    assert len(cards) == 6
    # + availability settings, probes, severe errors, channels, services; 信息报送 sent and received;
    # the navigation-only home pages; the portals' bonus points
    assert len(many) == len(few) <= 26


def test_monthly_snapshots_are_idempotent_and_show_trends(client, county):
    fill(county)
    last_month = (PERIOD.start - datetime.timedelta(days=1)).replace(day=1)
    call_command("evaluate_sites", "--month", f"{last_month:%Y-%m}")
    call_command("evaluate_sites", "--month", f"{last_month:%Y-%m}")  # re-running replaces, never duplicates
    assert EvaluationSnapshot.objects.filter(profile=county, month=last_month).count() == 1
    snapshot = EvaluationSnapshot.objects.get(profile=county, month=last_month)
    assert snapshot.weights["freshness"] == 30

    EvaluationSnapshot.objects.filter(pk=snapshot.pk).update(total=Decimal("50.0"))
    office = make_user("office", groups=[ensure_office_group()])
    client.force_login(office)
    page = client.get("/admin/oversight/evaluation/").content.decode()
    assert "修水县" in page and "较上月" in page and "50.0" in page

    past = client.get(f"/admin/oversight/evaluation/?month={last_month:%Y-%m}").content.decode()
    assert "月度快照" in past and "50.0" in past
    weights = EvaluationWeights.load()
    weights.freshness = 77
    weights.save()
    past = client.get(f"/admin/oversight/evaluation/?month={last_month:%Y-%m}").content.decode()
    assert "栏目更新 30" in past and "栏目更新 77" not in past  # the weights that month was scored with

    with pytest.raises(CommandError):
        call_command("evaluate_sites", "--month", "2026-13")
    with pytest.raises(CommandError):
        call_command("evaluate_sites", "--month", "2999-01")


def test_dashboard_permissions_export_and_queries(client, county, department, django_assert_max_num_queries):
    fill(county)
    admin = make_user("xs_admin", county, "admin")
    editor = make_user("xs_editor", county, "editor")
    url = "/admin/oversight/evaluation/"

    assert "/login/" in client.get(url)["Location"]
    client.force_login(editor)
    assert denied(client.get(url))
    assert denied(client.post("/admin/oversight/evaluation/snapshot/", {"month": f"{PERIOD.start:%Y-%m}"}))

    client.force_login(admin)
    own = client.get(url).content.decode()
    assert county.name in own and department.name not in own
    assert denied(client.post("/admin/oversight/evaluation/snapshot/", {"month": f"{PERIOD.start:%Y-%m}"}))
    assert not EvaluationSnapshot.objects.exists()

    client.force_login(make_user("office", groups=[ensure_office_group()]))
    with django_assert_max_num_queries(37):
        page = client.get(url).content.decode()
    assert county.name in page and department.name in page
    bad = client.get(url + "?month=garbage")
    assert bad.status_code == 200 and "月份格式不正确" in bad.content.decode()

    response = client.get(url + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[2][:5] == ("排名", "网站", "域名", "栏目更新", "链接可用")
    assert {row[1] for row in rows[3:]} == {county.name, department.name}

    saved = client.post("/admin/oversight/evaluation/snapshot/", {"month": f"{PERIOD.start:%Y-%m}"})
    assert saved.status_code == 302
    assert EvaluationSnapshot.objects.filter(month=PERIOD.start).count() == 2


def test_office_can_edit_weights_but_site_admins_cannot(client, county):
    from django.urls import reverse

    url = reverse("wagtailsettings:edit", args=["evaluation", "evaluationweights"])
    client.force_login(make_user("xs_admin", county, "admin"))
    response = client.get(url, follow=True)
    assert "每条失效链接扣分" not in response.content.decode()
    weights = EvaluationWeights.load()
    edit = reverse("wagtailsettings:edit", args=["evaluation", "evaluationweights", weights.pk])
    assert denied(client.post(edit, {"freshness": 100}))
    assert EvaluationWeights.load().freshness == 30
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    response = client.get(url, follow=True)
    assert response.status_code == 200 and "每条失效链接扣分" in response.content.decode()
    take_snapshot(PERIOD.start)  # with no running site filled in, still succeeds
