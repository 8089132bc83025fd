from django.conf import settings
from django.db import models

from sitegroup.registry.models import SiteProfile


class DutyAssignment(models.Model):
    """One 值班员 on duty for one site on one day."""

    profile = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="duty", verbose_name="网站")
    date = models.DateField("值班日期", db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name="值班员")

    class Meta:
        verbose_name = "值班安排"
        verbose_name_plural = "值班安排"
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["profile", "date", "user"], name="one_duty_per_person_day")]

    def __str__(self):
        return f"{self.profile} {self.date} {self.user}"


class ReadingLog(models.Model):
    profile = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="reading_logs",
                                verbose_name="网站")
    date = models.DateField("读网日期", db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name="值班员")
    checked = models.TextField("检查的页面和栏目")
    created_at = models.DateTimeField("填写时间", auto_now_add=True)

    class Meta:
        verbose_name = "读网记录"
        verbose_name_plural = "读网记录"
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["profile", "date", "user"], name="one_log_per_person_day")]

    def __str__(self):
        return f"{self.profile} {self.date}"


class ProblemKind(models.TextChoices):
    TYPO = "typo", "错别字"
    WRONG = "wrong", "表述错误"
    BROKEN_LINK = "broken_link", "链接失效"
    OUTDATED = "outdated", "内容过期"
    OTHER = "other", "其他"


class Problem(models.Model):
    log = models.ForeignKey(ReadingLog, on_delete=models.CASCADE, related_name="problems", verbose_name="读网记录")
    kind = models.CharField("问题类型", max_length=20, choices=ProblemKind.choices)
    page_url = models.CharField("页面链接", max_length=500)
    description = models.TextField("问题描述")
    fixed_at = models.DateTimeField("整改时间", null=True, blank=True)
    fixed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name="整改人")

    class Meta:
        verbose_name = "读网发现的问题"
        verbose_name_plural = "读网发现的问题"

    def __str__(self):
        return f"{self.get_kind_display()} {self.page_url}"
