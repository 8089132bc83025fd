"""政府信息公开 in the demo: a catalogue with on-time and late entries, and
applications in every state, handled through the real services (so the ledger,
the dashboards and the annual report show real numbers). Re-runnable."""

import datetime

from django.db import transaction
from django.utils import timezone

from sitegroup.registry.models import SiteProfile, SiteRole
from sites.disclosure import services
from sites.disclosure.clock import due_date
from sites.disclosure.models import Application
from sites.models import DisclosureEntryPage

DEMO_SITES = ("jiujiang", "xiushui", "jyj")

# (description, kind, days ago, fate, result, ground)
APPLICATIONS = [
    ("{area}{year}年城区道路改造项目的立项批复文件", "natural", 2, "received", "", ""),
    ("{area}老旧小区改造资金安排明细", "natural", 6, "registered", "", ""),
    ("关于某地块征收补偿方案的文件", "natural", 4, "correction", "", ""),
    ("{area}某企业环境影响评价批复", "commercial", 9, "consultation", "", ""),
    ("{area}近三年政府采购合同清单", "legal_service", 12, "extended", "", ""),
    ("{area}义务教育学校招生划片方案", "natural", 15, "answered", "disclose", ""),
    ("{area}某建设项目的审批材料", "research", 25, "answered", "partial", ""),
    ("涉及国防设施的选址文件", "natural", 30, "answered", "refuse", "state_secret"),
    ("{area}2010年某次会议的内部讨论记录", "natural", 35, "answered", "refuse", "process"),
    ("{area}尚未制作的全市统计分析报告", "welfare", 20, "answered", "unable", "must_create"),
    ("对某单位工作人员的投诉处理结果", "natural", 18, "answered", "not_processed", "petition"),
    ("{area}农村公路养护经费使用情况", "natural", 45, "overdue", "", ""),
    ("{area}{last}年度部门决算", "other_org", 340, "carried", "disclose", ""),
]


def backdate_catalogue():
    """Demo entries read as first published on their own 发布日期 (their content,
    approved through review, is untouched); timeliness is judged from that date."""
    for entry in DisclosureEntryPage.objects.filter(slug__startswith="demo-disclosure-", live=True).only(
            "id", "date", "first_published_at", "publish_deadline", "published_late"):
        at = timezone.make_aware(datetime.datetime.combine(entry.date, datetime.time(9, 0)))
        late = bool(entry.publish_deadline and entry.date > entry.publish_deadline)
        if entry.first_published_at != at or entry.published_late != late:
            DisclosureEntryPage.objects.filter(pk=entry.pk).update(
                first_published_at=at, last_published_at=at, published_late=late)


def ensure_applications(staff_for, areas) -> int:
    made = 0
    today = timezone.localdate()
    for index, profile in enumerate(SiteProfile.objects.filter(code__in=DEMO_SITES).select_related("site")):
        staff = staff_for(profile)
        handler = staff[SiteRole.EDITOR]
        area = areas.get(profile.code, profile.name)
        for n, (description, kind, days_ago, fate, result, ground) in enumerate(APPLICATIONS):
            description = description.format(area=area, year=today.year - 1, last=today.year - 2)
            if Application.objects.filter(received_site=profile, description=description).exists():
                continue
            _make(profile, handler, description, kind, days_ago, fate, result, ground, f"192.0.2.{100 + index * 20 + n}")
            made += 1
    return made


@transaction.atomic
def _make(profile, handler, description, kind, days_ago, fate, result, ground, address):
    data = {
        "applicant_kind": kind, "name": "王建华" if kind == "natural" else "九江某某有限公司",
        "id_type": "resident" if kind == "natural" else "credit_code",
        "id_number": "360421199001011235" if kind == "natural" else "91360400MA35ABCD12",
        "contact": "" if kind == "natural" else "李敏", "phone": "13907925678", "email": "demo@example.com",
        "postal_address": "江西省九江市", "description": description, "delivery": "email",
    }
    application = services.apply(profile, data, [], address)
    received = timezone.localdate() - datetime.timedelta(days=days_ago)
    application.received_on = application.clock_start = received
    application.received_at = timezone.now() - datetime.timedelta(days=days_ago)
    application.due_on = due_date(application)
    application.save(update_fields=["received_on", "clock_start", "received_at", "due_on"])
    application.events.update(at=application.received_at)
    if fate in ("received", "overdue"):
        return
    services.register(application, handler)
    if fate == "correction":
        services.request_correction(application, handler, "请写明所需文件的名称或文号", today=received)
    elif fate == "consultation":
        services.start_consultation(application, handler, "九江某某有限公司（第三方）")
    elif fate == "extended":
        services.extend(application, handler, 15, "涉及多个年度的合同，需要调取档案")
    elif fate in ("answered", "carried"):
        services.answer(application, handler, result, ground, "经审查，现将办理结果答复如下，详见答复书。")
        if fate == "carried":  # received late last year, answered early this year
            Application.objects.filter(pk=application.pk).update(
                answered_on=datetime.date(timezone.localdate().year, 1, 8))
