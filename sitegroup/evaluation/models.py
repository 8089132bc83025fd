from django.core.exceptions import ValidationError
from django.db import models
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from sitegroup.registry.models import SiteProfile

CRITERIA = [
    ("freshness", "栏目更新"),
    ("links", "链接可用"),
    ("duty", "值班读网"),
    ("review", "审查合规"),
    ("filing", "备案信息"),
    ("interaction", "互动回应"),
    ("disclosure", "主动公开时效"),
]


@register_setting(icon="success")
class EvaluationWeights(BaseGenericSetting):
    """How the group office weighs each criterion of the monthly score card."""

    freshness = models.PositiveSmallIntegerField("栏目更新权重", default=30)
    links = models.PositiveSmallIntegerField("链接可用权重", default=20)
    duty = models.PositiveSmallIntegerField("值班读网权重", default=20)
    review = models.PositiveSmallIntegerField("审查合规权重", default=20)
    filing = models.PositiveSmallIntegerField("备案信息权重", default=10)
    interaction = models.PositiveSmallIntegerField(
        "互动回应权重", default=10, help_text="本期到期的有效留言按时答复的比例。"
    )
    disclosure = models.PositiveSmallIntegerField(
        "主动公开时效权重", default=10, help_text="本期到期的公开条目在 20 个工作日内公开的比例。"
    )
    link_deduction = models.PositiveSmallIntegerField(
        "每条失效链接扣分", default=2, help_text="链接可用得分 = 100 − 失效链接数 × 该分值，最低 0 分。"
    )
    veto_on_red = models.BooleanField(
        "超期单项否决", default=True,
        help_text="按国家检查指标，首页或栏目超期、空白栏目的网站评为不合格，不论总分。",
    )
    veto_on_unanswered = models.BooleanField(
        "留言超期未答复单项否决", default=True,
        help_text="按国家检查指标，近一年有有效留言超过 3 个月（天数见政民互动设置）未答复的网站评为不合格。",
    )

    class Meta:
        verbose_name = "绩效评估权重"
        verbose_name_plural = "绩效评估权重"

    def clean(self):
        if sum(self.as_dict().values()) == 0:
            raise ValidationError("各项权重不能全部为 0。")

    def as_dict(self):
        return {key: getattr(self, key) for key, _ in CRITERIA}


class EvaluationSnapshot(models.Model):
    """One site's score card for one month, kept so trends can be compared."""

    month = models.DateField("月份", help_text="该月第一天。")
    profile = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="evaluations",
                                verbose_name="网站")
    scores = models.JSONField("分项得分", default=dict)
    notes = models.JSONField("说明", default=dict)
    weights = models.JSONField("权重", default=dict)
    total = models.DecimalField("总分", max_digits=5, decimal_places=1)
    grade = models.CharField("等级", max_length=20)
    vetoed = models.BooleanField("单项否决", default=False)
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = "月度评估"
        verbose_name_plural = "月度评估"
        ordering = ["-month", "-total"]
        constraints = [models.UniqueConstraint(fields=["profile", "month"], name="one_evaluation_per_site_month")]

    def __str__(self):
        return f"{self.profile} {self.month:%Y-%m} {self.total}"
