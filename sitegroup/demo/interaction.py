"""政民互动 in the demo: a channel on every site, and messages in every state.

Messages go through the real services (the reply pages through the site's real
review), then their dates are moved back so the dashboards show an overdue
message and one left unanswered past the 3-month veto. Re-runnable: a message
is recognised by its site and title.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from sitegroup.registry.models import SiteProfile, SiteRole
from sites.interaction import services
from sites.interaction.clock import due_date
from sites.interaction.kinds import ChannelKind, Status
from sites.interaction.models import InteractionChannelPage, LetterReplyPage, Message
from sites.models import ColumnPage

from .sites_data import SITES

CHANNEL_TITLES = {"portal": "市长信箱", "county": "{short}长信箱", "department": "局长信箱"}
CHANNEL_KINDS = {"portal": ChannelKind.LETTER, "county": ChannelKind.LETTER, "department": ChannelKind.DEPARTMENT}

# (title, content, days ago, what happens to it)
MESSAGES = [
    ("{area}老旧小区加装电梯如何申请", "我家住{area}某老旧小区，想了解加装电梯的申请条件和补贴政策。我的电话13907921234。",
     3, "pending"),
    ("{area}某路段夜间施工噪音扰民", "近一周每晚十一点后仍在施工，严重影响休息，请相关部门核查。", 6, "accepted"),
    ("建议在{area}增设公交站点", "建议在新建小区附近增设公交站点，方便居民出行。", 12, "answered"),
    ("咨询{area}新生儿医保办理流程", "孩子刚出生，想咨询医保参保需要哪些材料，身份证号36042119900101123X。", 5, "answered_private"),
    ("关于{area}农贸市场卫生的投诉", "农贸市场垃圾清运不及时，气味很大。", 25, "overdue"),
    ("{area}学校周边交通安全隐患", "上下学时段车辆乱停，希望加强管理。", 100, "veto"),
    ("{area}居民免费领取大奖点击链接", "恭喜您中奖，请点击链接领取大奖，联系13800000000。", 2, "invalid"),
    ("咨询{area}中小学招生划片范围", "想了解今年秋季学期的学区划分。", 4, "transfer"),
]
REPLIES = {
    "answered": "<p>感谢您的建议。经与市公交公司对接，已将该站点纳入明年线路优化方案，届时将向社会公布。</p>",
    "answered_private": "<p>新生儿参保需携带出生医学证明和户口簿，可在出生后 90 日内到社区服务中心或通过“赣服通”办理。</p>",
}
DEMO_SITES = ("jiujiang", "xiushui", "jyj", "lianxi")
VETO_SITE = "xiushui"
AREAS = {site.code: site.area for site in SITES}


def _short(profile):
    return profile.name[0] if profile.kind == "county" else profile.name[:2]


def ensure_channels(publish, staff_for):
    """A letter box on every site; the portal also runs 我为政府网站找错. Returns how many were made."""
    made = 0
    for profile in SiteProfile.objects.select_related("site__root_page"):
        column = ColumnPage.objects.child_of(profile.site.root_page).filter(kind="interaction").first()
        if column is None:
            continue
        wanted = [(CHANNEL_TITLES.get(profile.kind, "领导信箱").format(short=_short(profile)), "xx",
                   CHANNEL_KINDS.get(profile.kind, ChannelKind.LETTER))]
        if profile.kind == "portal":
            wanted.append(("我为政府网站找错", "zhaocuo", ChannelKind.ERROR_REPORT))
        for title, slug, kind in wanted:
            existing = InteractionChannelPage.objects.child_of(column).filter(slug=slug).first()
            if existing is not None and existing.live:
                continue
            staff = staff_for(profile)
            if existing is None:
                existing = InteractionChannelPage(
                    title=title, slug=slug, kind=kind, live=False, owner=staff[SiteRole.EDITOR],
                    intro=f"欢迎通过{title}反映问题、提出建议。我们将在答复时限内答复。",
                    notice="请文明留言，如实反映情况。涉及个人隐私的内容不会公开。",
                )
                column.add_child(instance=existing)
                existing.save_revision(user=staff[SiteRole.EDITOR])
            publish(existing, staff)
            made += 1
    return made


def _backdate(message, days_ago):
    today = timezone.localdate()
    received = today - datetime.timedelta(days=days_ago)
    message.received_on = message.clock_started_on = received
    message.received_at = timezone.now() - datetime.timedelta(days=days_ago)
    message.due_on = due_date(received, message.channel)
    message.save(update_fields=["received_on", "clock_started_on", "received_at", "due_on"])
    message.events.filter(action="received").update(at=message.received_at)


def ensure_messages(publish, staff_for) -> int:
    made = 0
    profiles = {p.code: p for p in SiteProfile.objects.filter(code__in=DEMO_SITES).select_related("site")}
    department = profiles.get("jyj")
    for index, profile in enumerate(profiles.values()):
        channel = InteractionChannelPage.objects.live().filter(
            path__startswith=profile.site.root_page.path).exclude(kind=ChannelKind.ERROR_REPORT).first()
        if channel is None:
            continue
        area = AREAS.get(profile.code, profile.name)
        for n, (title, content, days_ago, fate) in enumerate(MESSAGES):
            if fate == "veto" and profile.code != VETO_SITE:
                continue  # one site shows the 3-month veto on the dashboards
            title = title.format(area=area)
            if Message.objects.filter(received_site=profile, title=title).exists():
                continue
            staff = staff_for(profile)
            made += _make(channel, profile, staff, title, content.format(area=area), days_ago, fate,
                          f"192.0.2.{index * 10 + n}", department, publish, staff_for)
    errors = InteractionChannelPage.objects.live().filter(kind=ChannelKind.ERROR_REPORT).first()
    county = profiles.get("xiushui")
    if errors is not None and county is not None and not Message.objects.filter(kind=ChannelKind.ERROR_REPORT).exists():
        services.submit(errors, {
            "category": "错别字", "title": "通知公告栏目有错别字", "content": "“工作部署”写成了“工作布署”，请核实更正。",
            "name": "王五", "phone": "0792-8221234", "email": "", "publish_consent": False,
            "page_url": f"http://{county.site.hostname}/tzgg/",
        }, [], "198.51.100.7")
        made += 1
    return made


@transaction.atomic
def _make(channel, profile, staff, title, content, days_ago, fate, address, department, publish, staff_for):
    editor = staff[SiteRole.EDITOR]
    message = services.submit(channel, {
        "category": channel.category_list[n_category(title, channel)], "title": title, "content": content,
        "name": "刘建国", "phone": "13907921234", "email": "", "publish_consent": fate != "answered_private",
    }, [], address)
    _backdate(message, days_ago)
    if fate in ("accepted", "overdue"):
        services.accept(message, editor)
    elif fate == "invalid":
        services.reject(message, editor, "spam", "广告信息，与政务无关")
    elif fate == "transfer" and department is not None and department != profile:
        target = InteractionChannelPage.objects.live().filter(
            path__startswith=department.site.root_page.path).exclude(kind=ChannelKind.ERROR_REPORT).first()
        if target is not None:
            services.transfer(message, editor, target, "属于教育部门职责")
    elif fate in REPLIES:
        page = services.draft_reply(message, editor)
        page = LetterReplyPage.objects.get(pk=page.pk)
        page.reply = REPLIES[fate]
        page.save_revision(user=editor)
        publish(page, staff)
        message.refresh_from_db()
        if message.status == Status.ANSWERED and fate == "answered":
            services.rate(message, "satisfied")
    return 1


def n_category(title, channel):
    return len(title) % len(channel.category_list)
