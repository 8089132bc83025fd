"""Every clock rule of 依申请公开, over the group working-day calendar."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from review.models import LedgerEntry
from sitegroup.workdays.calendar import add_working_days
from sites.disclosure import services
from sites.disclosure.clock import due_date
from sites.disclosure.kinds import State
from sites.disclosure.models import Application, SiteDisclosureRule

pytestmark = pytest.mark.django_db

D = datetime.date
DATA = {"applicant_kind": "natural", "name": "王小明", "id_type": "resident", "id_number": "360421199001011235",
        "phone": "13907920000", "description": "申请公开道路改造立项批复。", "delivery": "email",
        "email": "w@example.com"}


def received_on(profile, day, n=0):
    application = services.apply(profile, {**DATA, "description": f"申请公开第{n}号文件。"}, [], f"10.8.0.{n}")
    application.received_on = application.clock_start = day
    application.due_on = due_date(application)
    application.save()
    return application


def test_holidays_are_not_counted(county):
    application = received_on(county, D(2026, 9, 28))
    # 国庆 and 中秋 (10-01 .. 10-08) are rest days; 10-10 (Saturday) is a 调休 working day.
    assert application.due_on == add_working_days(D(2026, 9, 28), 20)
    naive = D(2026, 9, 28)
    weekdays = 0
    while weekdays < 20:
        naive += datetime.timedelta(days=1)
        weekdays += naive.weekday() < 5
    assert application.due_on > naive


def test_a_tiaoxiu_saturday_counts_and_the_day_of_receipt_does_not(county):
    SiteDisclosureRule.objects.create(profile=county, reply_limit=1)
    application = received_on(county, D(2026, 10, 9))
    assert application.limit_days == 1
    assert application.due_on == D(2026, 10, 10)  # the 调休 Saturday


def test_city_rules_per_site(county, department):
    SiteDisclosureRule.objects.create(profile=county, reply_limit=15, note="九江市电子政务管理办法第二十四条")
    assert received_on(county, D(2026, 11, 2)).limit_days == 15
    assert received_on(department, D(2026, 11, 2), n=1).limit_days == 20


def test_correction_stops_the_clock_and_restarts_it_from_zero(county, handler):
    application = received_on(county, D(2026, 11, 2))
    application = services.request_correction(application, handler, "请补充所需文件的文号或名称", today=D(2026, 11, 5))
    assert application.status == State.CORRECTION and application.due_on is None
    with pytest.raises(ValidationError, match="补正应一次性告知|只有计时中"):
        services.request_correction(application, handler, "再补一次", today=D(2026, 11, 6))
    application = services.correction_received(application, handler, D(2026, 11, 16))
    assert application.clock_start == D(2026, 11, 16)
    assert application.due_on == add_working_days(D(2026, 11, 16), 20)
    with pytest.raises(ValidationError, match="一次性告知"):
        services.request_correction(application, handler, "又一次", today=D(2026, 11, 17))


def test_correction_must_be_asked_within_seven_working_days(county, handler):
    application = received_on(county, D(2026, 11, 2))
    too_late = add_working_days(D(2026, 11, 2), 8)
    with pytest.raises(ValidationError, match="7 个工作日内"):
        services.request_correction(application, handler, "请补充", today=too_late)
    assert services.request_correction(application, handler, "请补充",
                                       today=add_working_days(D(2026, 11, 2), 7)).status == State.CORRECTION


def test_consultation_time_is_not_counted_up_to_its_limit(county, handler):
    application = received_on(county, D(2026, 11, 2))
    before = application.due_on
    application = services.start_consultation(application, handler, "某公司", today=D(2026, 11, 9))
    assert application.due_on is None and application.status == State.CONSULTATION
    application = services.end_consultation(application, handler, D(2026, 11, 13))
    assert application.consultation_days == 4
    assert application.due_on == add_working_days(before, 4)
    # A second, long consultation is capped at 15 working days in all.
    application = services.start_consultation(application, handler, "另一公司", today=D(2026, 11, 16))
    application = services.end_consultation(application, handler, D(2026, 11, 25))
    application.refresh_from_db()
    assert application.consultation_days == min(15, 4 + 7)


def test_extension_once_with_a_reason_within_the_limit(county, handler):
    application = received_on(county, timezoneless_today())
    with pytest.raises(ValidationError, match="须说明理由"):
        services.extend(application, handler, 10, "")
    with pytest.raises(ValidationError, match="1 至 20"):
        services.extend(application, handler, 21, "材料较多")
    due = application.due_on
    application = services.extend(application, handler, 20, "涉及多个部门，需要协调")
    assert application.due_on == add_working_days(due, 20)
    with pytest.raises(ValidationError, match="只能一次"):
        services.extend(application, handler, 5, "再延")


def timezoneless_today():
    from django.utils import timezone
    return timezone.localdate()


def test_transfer_restarts_the_clock_on_the_receiving_sites_rules(county, department, handler):
    SiteDisclosureRule.objects.create(profile=department, reply_limit=15)
    application = received_on(county, D(2026, 11, 2))
    application = services.transfer(application, handler, department, "属教育局职责")
    today = timezoneless_today()
    assert application.site == department and application.limit_days == 15
    assert application.clock_start == today and application.due_on == add_working_days(today, 15)
    assert application.status == State.RECEIVED
    with pytest.raises(PermissionDenied):
        services.register(application, handler)  # no longer this handler's case


def test_a_year_without_calendar_data_still_has_a_deadline(county):
    application = received_on(county, D(2028, 12, 20))
    assert application.due_on is not None and application.due_on > D(2029, 1, 1)


def test_every_action_is_in_the_ledger(county, handler):
    from django.core.management import call_command

    application = received_on(county, timezoneless_today())
    services.register(application, handler)
    services.extend(application, handler, 5, "需要调取档案")
    services.answer(application, handler, "partial", "", "部分公开，涉及个人隐私的内容已删除。")
    actions = list(LedgerEntry.objects.filter(action__startswith="ysqgk_").values_list("action", flat=True))
    assert actions == ["ysqgk_received", "ysqgk_registered", "ysqgk_extended", "ysqgk_answered"]
    assert LedgerEntry.objects.filter(detail__code=application.code).count() == 4
    call_command("verify_ledger")


def test_answer_needs_a_ground_where_the_law_requires_one(county, handler):
    application = received_on(county, timezoneless_today())
    with pytest.raises(ValidationError, match="具体情形"):
        services.answer(application, handler, "refuse", "", "不予公开。")
    with pytest.raises(ValidationError, match="办理结果"):
        services.answer(application, handler, "maybe", "", "？")
    application = services.answer(application, handler, "refuse", "state_secret", "属于国家秘密，不予公开。")
    assert application.status == State.ANSWERED and application.reply_letter.name.endswith(".docx")
    from docx import Document

    text = "\n".join(p.text for p in Document(application.reply_letter.open("rb")).paragraphs)
    assert "不予公开（属于国家秘密）" in text and "行政复议" in text and application.code in text
    with pytest.raises(ValidationError, match="已答复"):
        services.answer(Application.objects.get(pk=application.pk), handler, "disclose", "", "再答")
