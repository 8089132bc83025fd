from django.conf import settings
from django.db import models

from sitegroup.registry.models import SiteProfile

FILED_FIELDS = [
    "organiser", "operator", "site_id_code", "icp_number", "police_number", "phone", "email", "address",
    "leader", "responsible_person",
]


class FilingKind(models.TextChoices):
    OPEN = "open", "新建"
    REBUILD = "rebuild", "改建"
    MOVE = "move", "迁移"
    CLOSE = "close", "关停"


class FilingState(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


class FilingApplication(models.Model):
    profile = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="filings", verbose_name="网站")
    kind = models.CharField("备案类型", max_length=20, choices=FilingKind.choices)
    data = models.JSONField("备案信息", default=dict)
    state = models.CharField("状态", max_length=20, choices=FilingState.choices, default=FilingState.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="申请人")
    submitted_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="审核人")
    decided_at = models.DateTimeField("审核时间", null=True)
    reason = models.TextField("退回理由", blank=True)

    class Meta:
        verbose_name = "备案申请"
        verbose_name_plural = "备案申请"
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.profile} {self.get_kind_display()}"


class FilingHistory(models.Model):
    """Every change of a filing record, with who made it."""

    profile = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="filing_history",
                                verbose_name="网站")
    changes = models.JSONField("变更内容")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="操作人")
    application = models.ForeignKey(FilingApplication, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField("变更时间", auto_now_add=True)

    class Meta:
        verbose_name = "备案变更记录"
        verbose_name_plural = "备案变更记录"
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.profile} {self.changed_at:%Y-%m-%d}"
