"""主动公开 catalogue: 索引号 and the 20-working-day publishing deadline.

Both are set when an entry is cleaned (every save and every revision), so an
entry keeps the index number it was first given, and its deadline follows its
形成或变更日期.
"""

import datetime

from sitegroup.registry.lookup import profile_for_page
from sitegroup.workdays.calendar import add_working_days

from .clock import limits_for
from .models import DisclosureSettings, SiteDisclosureRule

# National 主题分类 (国务院公文主题词 first level) and the categories TJ §14 requires.
TOPICS = [
    "综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源", "农业、林业、水利",
    "工业、交通", "商贸、海关、旅游", "市场监管、安全生产监管", "城乡建设、环境保护", "科技、教育",
    "文化、广电、新闻出版", "卫生、体育", "人口与计划生育、妇女儿童工作", "劳动、人事、监察",
    "公安、安全、司法", "民政、扶贫、救灾", "民族、宗教", "对外事务", "港澳台侨工作", "国防",
    "机构设置与职能", "政策法规", "规划计划", "财政预决算", "行政许可与服务", "人事信息", "重大项目",
    "突发公共事件", "政府信息公开年报", "政务公开", "机构职能", "重大决策", "监管执法", "其他",
]


def org_code(profile) -> str:
    rule = SiteDisclosureRule.objects.filter(profile=profile).only("org_code").first()
    return (rule.org_code if rule and rule.org_code else profile.site_id_code) or profile.code


def next_index_number(entry, profile) -> str:
    from sites.models import DisclosureEntryPage

    fmt = DisclosureSettings.load().index_format
    year = (entry.written_date or entry.date or datetime.date.today()).year
    code = org_code(profile)
    prefix = fmt.split("{serial", 1)[0].format(org=code, year=year)
    # A range rather than LIKE 'prefix%', so the index on index_number answers it.
    taken = set(DisclosureEntryPage.objects.filter(index_number__gte=prefix, index_number__lt=prefix + "\uffff")
                .values_list("index_number", flat=True))
    serial = len(taken) + 1
    while True:
        number = fmt.format(org=code, year=year, serial=serial)
        if number not in taken:
            return number
        serial += 1


def prepare(entry):
    """Give ``entry`` its index number (once) and its publishing deadline."""
    profile = profile_for_page(entry) if entry.path else None
    if profile is None:
        return
    if not entry.index_number:
        entry.index_number = next_index_number(entry, profile)
    formed = entry.formed_on or entry.written_date
    _reply, _extension, publish_limit = limits_for(profile)
    entry.publish_deadline = add_working_days(formed, publish_limit) if formed else None
