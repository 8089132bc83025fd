"""Vocabularies of 依申请公开, named as in the national annual-report tables
(国务院办公厅政府信息与政务公开办公室 2019 template)."""

from django.db import models


class ApplicantKind(models.TextChoices):
    NATURAL = "natural", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    WELFARE = "welfare", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER_ORG = "other_org", "其他"


ORGANISATIONS = [k for k in ApplicantKind if k != ApplicantKind.NATURAL]


class IdType(models.TextChoices):
    RESIDENT = "resident", "居民身份证"
    PASSPORT = "passport", "护照"
    OTHER = "other", "其他有效身份证件"
    CREDIT_CODE = "credit_code", "统一社会信用代码"


class Delivery(models.TextChoices):
    EMAIL = "email", "电子邮件"
    PAPER = "paper", "纸质文本（邮寄）"
    COLLECT = "collect", "当面领取"
    DISC = "disc", "光盘"


class State(models.TextChoices):
    RECEIVED = "received", "已收到"
    REGISTERED = "registered", "办理中"
    CORRECTION = "correction", "待补正（暂停计时）"
    CONSULTATION = "consultation", "征求第三方意见（暂停计时）"
    ANSWERED = "answered", "已答复"


RUNNING = (State.RECEIVED, State.REGISTERED)
PAUSED = (State.CORRECTION, State.CONSULTATION)
OPEN = (*RUNNING, *PAUSED)


class Result(models.TextChoices):
    DISCLOSE = "disclose", "予以公开"
    PARTIAL = "partial", "部分公开（区分处理的，只计这一情形，不计其他情形）"
    REFUSE = "refuse", "不予公开"
    UNABLE = "unable", "无法提供"
    NOT_PROCESSED = "not_processed", "不予处理"
    OTHER = "other", "其他处理"


# result -> [(ground, label)] in the order of the national table.
GROUNDS = {
    Result.REFUSE: [
        ("state_secret", "属于国家秘密"),
        ("law_forbids", "其他法律行政法规禁止公开"),
        ("three_safety", "危及“三安全一稳定”"),
        ("third_party", "保护第三方合法权益"),
        ("internal", "属于三类内部事务信息"),
        ("process", "属于四类过程性信息"),
        ("enforcement", "属于行政执法案卷"),
        ("inquiry", "属于行政查询事项"),
    ],
    Result.UNABLE: [
        ("not_held", "本机关不掌握相关政府信息"),
        ("must_create", "没有现成信息需要另行制作"),
        ("unclear", "补正后申请内容仍不明确"),
    ],
    Result.NOT_PROCESSED: [
        ("petition", "信访举报投诉类申请"),
        ("repeat", "重复申请"),
        ("publication", "要求提供公开出版物"),
        ("abusive", "无正当理由大量反复申请"),
        ("confirm", "要求行政机关确认或重新出具已获取信息"),
    ],
    Result.OTHER: [
        ("no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("no_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other", "其他"),
    ],
}
GROUND_LABELS = {code: label for grounds in GROUNDS.values() for code, label in grounds}


class Event(models.TextChoices):
    RECEIVED = "received", "收到申请"
    REGISTERED = "registered", "登记"
    CORRECTION = "correction", "告知补正"
    CORRECTED = "corrected", "收到补正材料"
    CONSULTATION = "consultation", "征求第三方意见"
    CONSULTED = "consulted", "第三方意见征询结束"
    EXTENDED = "extended", "延期答复"
    TRANSFERRED = "transferred", "转办"
    ANSWERED = "answered", "答复"
