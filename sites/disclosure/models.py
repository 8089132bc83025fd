"""依申请公开: applications, their statutory clock, and the rules that set it.

The clock (《政府信息公开条例》 2019): the reply is due ``limit`` working days after
the clock started (the day of receipt not counted), plus one extension of at
most ``extension_limit`` days, plus the working days spent consulting a third
party (at most ``consultation_limit``). A request to complete the application
(补正) stops the clock; it starts again, from zero, on the day the completed
application arrives. A transfer (转办) starts it again at the receiving site.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from sitegroup.registry.models import SiteProfile

from .kinds import GROUND_LABELS, OPEN, ApplicantKind, Delivery, Event, IdType, Result, State


@register_setting(icon="doc-full")
class DisclosureSettings(BaseGenericSetting):
    """Group-wide statutory limits; per-site exceptions are 站点公开时限."""

    reply_limit = models.PositiveSmallIntegerField(
        "依申请答复期限（工作日）", default=20,
        help_text="《政府信息公开条例》第三十三条：20 个工作日。本市办法规定为 15 个工作日的，可在此修改。",
    )
    extension_limit = models.PositiveSmallIntegerField("延期上限（工作日）", default=20)
    correction_limit = models.PositiveSmallIntegerField(
        "补正告知期限（工作日）", default=7, help_text="收到申请之日起 7 个工作日内一次性告知补正。"
    )
    consultation_limit = models.PositiveSmallIntegerField(
        "征求第三方意见上限（工作日）", default=15, help_text="征求意见所需时间不计算在答复期限内。"
    )
    publish_limit = models.PositiveSmallIntegerField(
        "主动公开期限（工作日）", default=20, help_text="信息形成或变更之日起 20 个工作日内主动公开。"
    )
    remind_before = models.CharField(
        "到期前提醒（工作日）", max_length=20, default="5,2", help_text="用逗号分隔，如 5,2。"
    )
    index_format = models.CharField(
        "索引号格式", max_length=60, default="{org}/{year}-{serial:05d}",
        help_text="可用 {org}（机构代码）、{year}（年份）、{serial}（当年序号），如 {org}/{year}-{serial:05d}。",
    )

    class Meta:
        verbose_name = "政府信息公开设置"
        verbose_name_plural = "政府信息公开设置"

    def remind_days(self):
        days = []
        for part in self.remind_before.replace("，", ",").split(","):
            if part.strip().isdigit():
                days.append(int(part.strip()))
        return sorted(set(days), reverse=True)


class SiteDisclosureRule(models.Model):
    """A site under different rules (e.g. the city's 15 days), and its organisation code."""

    profile = models.OneToOneField(SiteProfile, on_delete=models.CASCADE, related_name="disclosure_rule",
                                   verbose_name="网站")
    org_code = models.CharField("机构代码", max_length=20, blank=True,
                                help_text="用于生成索引号，如 014500345。留空使用网站标识码。")
    reply_limit = models.PositiveSmallIntegerField("依申请答复期限（工作日）", null=True, blank=True,
                                                   help_text="留空使用全市设置。")
    extension_limit = models.PositiveSmallIntegerField("延期上限（工作日）", null=True, blank=True)
    publish_limit = models.PositiveSmallIntegerField("主动公开期限（工作日）", null=True, blank=True)
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "站点公开时限"
        verbose_name_plural = "站点公开时限"

    def __str__(self):
        return str(self.profile)


class Application(models.Model):
    code = models.CharField("查询码", max_length=16, unique=True)
    site = models.ForeignKey(SiteProfile, on_delete=models.PROTECT, related_name="applications",
                             verbose_name="办理机关网站")
    received_site = models.ForeignKey(SiteProfile, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="收件网站")
    applicant_kind = models.CharField("申请人类型", max_length=16, choices=ApplicantKind.choices)
    name = models.CharField("申请人姓名或名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=16, choices=IdType.choices)
    id_number = models.CharField("证件号码", max_length=40)
    contact = models.CharField("联系人", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=20)
    email = models.EmailField("电子邮箱", blank=True)
    postal_address = models.CharField("通信地址", max_length=200, blank=True)
    description = models.TextField("所需政府信息的内容描述")
    document_hint = models.CharField("文件名称、文号或其他特征", max_length=200, blank=True)
    purpose = models.CharField("用途（可不填）", max_length=200, blank=True)
    delivery = models.CharField("获取信息的方式", max_length=12, choices=Delivery.choices)
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    fingerprint = models.CharField(max_length=64, db_index=True)

    status = models.CharField("状态", max_length=14, choices=State.choices, default=State.RECEIVED)
    received_at = models.DateTimeField("收到时间", default=timezone.now)
    received_on = models.DateField("收到日期", db_index=True)
    registered_at = models.DateTimeField("登记时间", null=True, blank=True)
    clock_start = models.DateField("计时起点", help_text="收到、补正或转办之日，当天不计。")
    limit_days = models.PositiveSmallIntegerField("答复期限（工作日）")
    extension_days = models.PositiveSmallIntegerField("延期（工作日）", default=0)
    extension_reason = models.CharField("延期理由", max_length=300, blank=True)
    paused_since = models.DateField("暂停计时自", null=True, blank=True)
    correction_request = models.TextField("补正内容", blank=True)
    consultation_days = models.PositiveSmallIntegerField("征求意见用时（工作日，不计入期限）", default=0)
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True,
                              help_text="暂停计时期间为空。")
    transfer_count = models.PositiveSmallIntegerField("转办次数", default=0)

    result = models.CharField("办理结果", max_length=16, choices=Result.choices, blank=True)
    ground = models.CharField("具体情形", max_length=20, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True, db_index=True)
    reply_letter = models.FileField("答复书", upload_to="disclosure/letters/%Y/", blank=True, max_length=200)

    class Meta:
        verbose_name = "依申请公开"
        verbose_name_plural = "依申请公开"
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["site", "status", "due_on"], name="application_site_status_due"),
            models.Index(fields=["-received_at", "-id"], name="application_newest_first"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_open(self):
        return self.status in OPEN

    @property
    def is_paused(self):
        return self.status in (State.CORRECTION, State.CONSULTATION)

    @property
    def ground_label(self):
        return GROUND_LABELS.get(self.ground, "")

    @property
    def is_organisation(self):
        return self.applicant_kind != ApplicantKind.NATURAL


class ApplicationEvent(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("事项", max_length=14, choices=Event.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name="操作人")
    site = models.ForeignKey(SiteProfile, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField("说明", max_length=500, blank=True)
    public = models.BooleanField("对申请人显示", default=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.note}"


def _file_path(instance, filename):
    return f"disclosure/{timezone.now():%Y/%m}/{instance.token}{instance.extension}"


class ApplicationFile(models.Model):
    """A file the applicant sent, or a document sent with the reply. Never public."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    from_applicant = models.BooleanField(default=True)
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    file = models.FileField(upload_to=_file_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    content_type = models.CharField(max_length=100)

    class Meta:
        verbose_name = "申请附件"
        verbose_name_plural = "申请附件"

    def __str__(self):
        return self.original_name


REVIEW_KEYS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结")]


class AnnualReportExtra(models.Model):
    """The figures the system cannot know: 行政复议 and 行政诉讼 about disclosure."""

    profile = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="+", verbose_name="网站")
    year = models.PositiveSmallIntegerField("年度")
    figures = models.JSONField("复议诉讼情况", default=dict)

    class Meta:
        verbose_name = "年报补充数据"
        verbose_name_plural = "年报补充数据"
        constraints = [models.UniqueConstraint(fields=["profile", "year"], name="one_report_extra_per_site_year")]

    def __str__(self):
        return f"{self.profile} {self.year}"
