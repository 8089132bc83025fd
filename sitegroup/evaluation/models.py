from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
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
    ("availability", "站点可用"),
    ("syndication", "信息报送"),
]
# The national check indicators' 单项否决 (国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》,
# the thresholds of the 2015 普查): key → label, in the order they are shown.
VETOES = [
    ("availability", "站点无法访问"),
    ("home", "首页不更新"),
    ("columns", "栏目不更新"),
    ("errors", "严重错误"),
    ("interaction", "互动回应差"),
    ("service", "服务不实用"),
]
SOURCE = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"


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
    availability = models.PositiveSmallIntegerField(
        "站点可用权重", default=10, help_text="监测周期内首页探测成功的比例（见可用性监测设置）。"
    )
    syndication = models.PositiveSmallIntegerField(
        "信息报送权重", default=10,
        help_text="向门户等站点报送信息的采用情况（九江市电子政务管理办法第二十八条：落实“中国九江”网相关栏目的内容保障责任）。"
                  "门户网站是接收方，不评此项。",
    )
    syndication_quota = models.PositiveSmallIntegerField(
        "每期应被采用条数", default=0,
        help_text="设定后，信息报送得分 = 本期被采用条数 ÷ 该定额（最高 100 分）；为 0 时按采用率（采用 ÷ 已处理）评分。",
    )
    # Below the vetoes, each problem costs points of its criterion (100 less the deductions, at least 0).
    link_deduction = models.PositiveSmallIntegerField(
        "每条失效链接扣分", default=2, help_text="链接可用得分 = 100 − 失效链接数 × 该分值，最低 0 分。"
    )
    stale_column_points = models.PositiveSmallIntegerField(
        "每个超期栏目扣分", default=5, help_text="首页或栏目超过更新期限（更新期限设置）未更新，每个扣该分值（栏目更新得分）。"
    )
    blank_column_points = models.PositiveSmallIntegerField(
        "每个空白栏目扣分", default=5, help_text="没有任何已发布内容的栏目，每个扣该分值（栏目更新得分）。"
    )
    late_disclosure_points = models.PositiveSmallIntegerField(
        "每条超期公开扣分", default=5,
        help_text="本期到期的公开条目超过 20 个工作日才公开或仍未公开，每条扣该分值（主动公开时效得分）。",
    )
    overdue_message_points = models.PositiveSmallIntegerField(
        "每条超期答复留言扣分", default=5, help_text="本期到期的有效留言超过答复时限，每条扣该分值（互动回应得分）。"
    )
    bonus_threshold = models.PositiveSmallIntegerField(
        "加分门槛", default=80, validators=[MaxValueValidator(100)],
        help_text="只有门户网站、未被单项否决且总分高于该分数时，才计入“加分项”中的加分。默认 80 分。",
    )
    bonus_cap = models.PositiveSmallIntegerField(
        "每月加分上限", default=5, validators=[MaxValueValidator(20)],
        help_text="一个门户网站一个月内加分的合计上限。",
    )
    pass_mark = models.PositiveSmallIntegerField(
        "合格分数线", default=60, validators=[MaxValueValidator(100)],
        help_text="总分低于该分数为不合格（未触发单项否决时）。默认 60 分。",
    )
    # 单项否决 as the national indicators define it; 0 (or unticked) switches one off.
    home_stale_days = models.PositiveSmallIntegerField(
        "首页不更新（天）", default=14,
        help_text=f"首页超过该天数没有新内容即单项否决（0 为不判定）。默认 2 周，依据{SOURCE}。",
    )
    navigation_home_sites = models.ManyToManyField(
        SiteProfile, blank=True, related_name="+", verbose_name="首页仅为导航的网站",
        help_text=f"首页只有导航、不直接展示信息的网站：“首页不更新”改为判定所有二级页面（一级栏目）"
                  f"是否均超过上述天数未更新。依据{SOURCE}。",
    )
    news_stale_days = models.PositiveSmallIntegerField(
        "动态要闻类栏目更新期限（天）", default=14, help_text=f"默认 2 周，依据{SOURCE}。",
    )
    notice_stale_days = models.PositiveSmallIntegerField(
        "通知公告、政策文件类栏目更新期限（天）", default=180, help_text=f"默认 6 个月，依据{SOURCE}。",
    )
    stale_columns_veto = models.PositiveSmallIntegerField(
        "超期栏目否决数", default=5,
        help_text=f"动态要闻、通知公告、政策文件类栏目超过上述期限未更新的数量达到该值即单项否决（0 为不判定）。"
                  f"默认 5 个，依据{SOURCE}。",
    )
    unupdated_columns_veto = models.PositiveSmallIntegerField(
        "应更新未更新栏目否决数", default=10,
        help_text=f"任何栏目超过其更新期限（更新期限设置）未更新的数量达到该值即单项否决（0 为不判定）。"
                  f"默认 10 个，依据{SOURCE}。",
    )
    blank_columns_veto = models.PositiveSmallIntegerField(
        "空白栏目否决数", default=5,
        help_text=f"没有任何已发布内容的栏目达到该数量即单项否决（0 为不判定）。默认 5 个，依据{SOURCE}。",
    )
    severe_errors_veto = models.PositiveSmallIntegerField(
        "严重错误否决数", default=1,
        help_text="仍在线的页面中，保密审查发现“禁止发布”级问题而被强行放行的数量达到该值即单项否决"
                  f"（严重表述错误、涉密内容；0 为不判定）。默认 1 个，依据{SOURCE}。",
    )
    require_consultation_channel = models.BooleanField(
        "无咨询渠道单项否决", default=True,
        help_text=f"网站没有可用的互动渠道（已上线的信箱或咨询栏目）即“互动回应差”。依据{SOURCE}。",
    )
    require_service_entry = models.BooleanField(
        "无办事服务入口单项否决", default=True,
        help_text=f"网站没有已上线的“办事服务”栏目即“服务不实用”。依据{SOURCE}。",
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


class Bonus(models.Model):
    """加分: what a portal did beyond the indicators in a month (a special column the
    province praised, an innovation in service), recorded by the group office."""

    profile = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="+", verbose_name="门户网站",
                                limit_choices_to={"kind": "portal"})
    month = models.DateField("月份", help_text="该月任意一天均可，按所在月份计。")
    points = models.DecimalField("加分", max_digits=3, decimal_places=1,
                                 validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("20"))])
    reason = models.CharField("加分事由", max_length=200)

    class Meta:
        verbose_name = "加分项"
        verbose_name_plural = "加分项"
        ordering = ["-month", "profile"]

    def __str__(self):
        return f"{self.profile} {self.month:%Y-%m} +{self.points}"

    def save(self, *args, **kwargs):
        if self.month:
            self.month = self.month.replace(day=1)
        return super().save(*args, **kwargs)

    def clean(self):
        if self.profile_id and not self.profile.is_portal:
            raise ValidationError({"profile": "只有门户网站可以加分（国家检查指标）。"})


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
    vetoes = models.JSONField("否决项", default=list, blank=True, help_text="[[否决项, 原因], …]")
    deductions = models.JSONField("扣分明细", default=list, blank=True, help_text="[[评估项, 原因, 扣分], …]")
    bonuses = models.JSONField("加分明细", default=list, blank=True, help_text="[[事由, 加分], …]")
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = "月度评估"
        verbose_name_plural = "月度评估"
        ordering = ["-month", "-total"]
        constraints = [models.UniqueConstraint(fields=["profile", "month"], name="one_evaluation_per_site_month")]

    def __str__(self):
        return f"{self.profile} {self.month:%Y-%m} {self.total}"
