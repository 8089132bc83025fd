import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sitegroup.evaluation.models import EvaluationWeights
from sitegroup.evaluation.scoring import VETO_GRADE, Period, evaluate
from sitegroup.notices.models import Notification
from sitegroup.notices.services import send_reminders
from sitegroup.registry.roles import ensure_office_group
from sites.interaction import services
from sites.interaction.kinds import Status
from sites.interaction.models import InteractionSettings, Message
from tests.factories import make_site, make_user

from .conftest import make_channel

pytestmark = pytest.mark.django_db

DATA = {"category": "其他", "content": "小区门口路灯已损坏两周。", "name": "张三", "phone": "13812345678",
        "email": "", "publish_consent": True}


def received(channel, title, days_ago=0, due_in=None, status=Status.PENDING, address="10.2.0.1", **fields):
    """A message submitted through the service, then moved back in time."""
    message = services.submit(channel, {**DATA, "title": title, "content": DATA["content"] + title}, [], address)
    today = timezone.localdate()
    message.received_on = message.clock_started_on = today - datetime.timedelta(days=days_ago)
    message.received_at = timezone.now() - datetime.timedelta(days=days_ago)
    message.due_on = today + datetime.timedelta(days=due_in) if due_in is not None else message.due_on
    message.status = status
    for name, value in fields.items():
        setattr(message, name, value)
    message.save()
    return message


def run(*args):
    out = io.StringIO()
    try:
        call_command("check_interaction", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


def test_check_interaction_exit_codes(channel):
    assert run() == (0, "没有超期未答复的留言。\n")
    on_time = received(channel, "按时办理的留言", days_ago=2, due_in=5)
    late = received(channel, "已经超期的留言", days_ago=20, due_in=-3, status=Status.ACCEPTED)
    code, out = run()
    assert code == 1 and late.code in out and on_time.code not in out and "超期 3 天" in out
    ancient = received(channel, "三个多月没人管的留言", days_ago=100, due_in=-85)
    code, out = run()
    assert code == 2 and ancient.code in out and "单项否决" in out
    # An invalid message is never overdue.
    Message.objects.filter(pk__in=[late.pk, ancient.pk]).update(status=Status.INVALID)
    assert run()[0] == 0


def test_a_late_answer_still_counts_for_the_veto(channel):
    received(channel, "回复太晚的留言", days_ago=120, due_in=-100, status=Status.ANSWERED, answer_days=95,
             answered_on=timezone.localdate() - datetime.timedelta(days=25))
    code, out = run()
    assert code == 2 and "95 天后才答复" in out


def test_veto_days_are_the_offices_setting(channel):
    received(channel, "五十天未答复的留言", days_ago=50, due_in=-30)
    assert run()[0] == 1
    rules = InteractionSettings.load()
    rules.veto_days = 45
    rules.save()
    assert run()[0] == 2


def test_reminders_before_and_at_the_limit_reach_inbox_and_email(channel, county, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    handler = make_user("xs_officer", county, "officer")
    soon = received(channel, "明天到期的留言", due_in=1)
    late = received(channel, "已经超期的留言二", days_ago=15, due_in=-1)
    received(channel, "远未到期的留言", due_in=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() >= 1
    assert [handler.email] == [to for m in mailoutbox for to in m.to if to == handler.email]
    note = Notification.objects.get(user=handler, title__startswith="【政民互动】")
    assert soon.code in note.body and late.code in note.body and "远未到期" not in note.body
    # Once a day.
    send_reminders()
    assert Notification.objects.filter(user=handler, title__startswith="【政民互动】").count() == 1


def test_evaluation_scores_and_vetoes(channel, county, department):
    other = make_channel(department, title="局长信箱", slug="jzxx")
    received(channel, "按时答复的留言", days_ago=5, due_in=5)
    received(other, "超期的留言三", days_ago=20, due_in=-5, address="10.3.0.1")
    received(other, "三个月未答复的留言", days_ago=100, due_in=-85, address="10.3.0.2")
    weights = EvaluationWeights.load()
    # Only the interaction criterion is under test: the sites' empty columns and missing
    # 办事服务 entries would veto them anyway.
    weights.home_stale_days = weights.blank_columns_veto = 0
    weights.require_service_entry = False
    weights.save()
    today = timezone.localdate()
    cards = {c.profile.pk: c for c in evaluate(Period(today.replace(day=1) - datetime.timedelta(days=120), today))}
    assert cards[county.pk].scores["interaction"] == 100 and not cards[county.pk].vetoed
    assert cards[department.pk].scores["interaction"] == 90  # two messages past their limit, 5 points each
    assert ("互动回应", "2 条有效留言超过答复时限", 10) in cards[department.pk].deductions
    assert cards[department.pk].vetoed and cards[department.pk].grade == VETO_GRADE
    assert "超过 3 个月未答复" in cards[department.pk].notes["interaction"]


def test_statistics_and_excel_export(client, channel, county, department):
    other = make_channel(department, title="局长信箱", slug="jzxx")
    answered = received(channel, "已答复的留言", days_ago=10, due_in=-1, status=Status.ANSWERED,
                        reply_working_days=4, answer_days=6, satisfaction="satisfied",
                        answered_on=timezone.localdate() - datetime.timedelta(days=4))
    received(channel, "无效的留言", status=Status.INVALID, invalid_reason="spam")
    moved = received(channel, "转办的留言", address="10.2.0.9")
    services.transfer(moved, make_user("root", superuser=True), other, "")
    office = make_user("office", groups=[ensure_office_group()])
    client.force_login(office)
    html = client.get(reverse("interaction_statistics")).content.decode()
    assert "修水县" in html and "九江市教育局" in html
    response = client.get(reverse("interaction_statistics") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    # received, answered, overdue, transferred, invalid, average, 满意...
    assert rows["修水县"][1:7] == (2, 1, 0, 1, 1, 4)
    assert rows["修水县"][7] == 1
    assert rows["九江市教育局"][1] == 1
    assert answered.satisfaction == "satisfied"
    bad = client.get(reverse("interaction_statistics") + "?start=2026-13-01")
    assert bad.status_code == 200 and "日期格式不正确" in bad.content.decode()
    bad = client.get(reverse("interaction_statistics") + "?start=2026-10-01&end=2026-01-01")
    assert "开始日期不能晚于结束日期" in bad.content.decode()


def test_office_pages_cost_the_same_at_any_size(client, channel, county):
    office = make_user("office", groups=[ensure_office_group()])
    client.force_login(office)
    received(channel, "第一条留言", due_in=-1)
    urls = [reverse("interaction_inbox"), reverse("interaction_inbox") + "?status=overdue",
            reverse("interaction_statistics")]
    for url in urls:
        client.get(url)  # warm the per-process caches

    def cost():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    few = cost()
    for n in range(3):
        site = make_site("department", name=f"部门{n}", code=f"bm{n}", hostname=f"bm{n}.localhost")
        other = make_channel(site, title="信箱", slug="xx")
        for m in range(4):
            received(other, f"部门{n}留言{m}", due_in=-m, address=f"10.9.{n}.{m}")
    many = cost()
    assert few == many, (few, many)
    assert max(many) <= 25
