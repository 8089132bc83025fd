"""The vocabularies of 政民互动: channel kinds, message states, reasons, rates."""

from django.db import models


class ChannelKind(models.TextChoices):
    LETTER = "letter", "领导信箱"
    DEPARTMENT = "department", "部门信箱"
    CONSULT = "consult", "咨询"
    COMPLAINT = "complaint", "投诉建议"
    ERROR_REPORT = "error_report", "我为政府网站找错"


# National defaults (working days); each channel page may change its own.
DEFAULT_LIMITS = {ChannelKind.ERROR_REPORT: 3}
DEFAULT_LIMIT = 10
DEFAULT_CATEGORIES = {
    ChannelKind.ERROR_REPORT: "内容错误\n错别字\n链接失效\n页面无法访问\n其他",
}
DEFAULT_CATEGORY_TEXT = "城乡建设\n教育文化\n医疗卫生\n社会保障\n交通出行\n生态环境\n市场监管\n其他"


class Status(models.TextChoices):
    PENDING = "pending", "待受理"
    ACCEPTED = "accepted", "办理中"
    ANSWERED = "answered", "已答复"
    INVALID = "invalid", "无效"


OPEN_STATES = (Status.PENDING, Status.ACCEPTED)


class InvalidReason(models.TextChoices):
    SPAM = "spam", "垃圾信息"
    ABUSE = "abuse", "辱骂、攻击等不当言论"
    DUPLICATE = "duplicate", "重复提交"
    OTHER = "other", "其他"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIR = "fair", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Event(models.TextChoices):
    RECEIVED = "received", "收到留言"
    ACCEPTED = "accepted", "受理"
    REJECTED = "rejected", "不予受理（无效）"
    TRANSFERRED = "transferred", "转办"
    DRAFTED = "drafted", "起草答复"
    ANSWERED = "answered", "答复已发布"
    RATED = "rated", "评价"
