from django.db import models

HOME = "home"
KIND_CHOICES = [
    (HOME, "网站首页"),
    ("news", "要闻动态"),
    ("notice", "通知公告"),
    ("policy", "政策文件"),
    ("disclosure", "信息公开"),
    ("interaction", "互动交流"),
    ("topic", "专题"),
    ("service", "办事服务"),
    ("other", "其他"),
]
# National check indicators (政府网站与政务新媒体检查指标, 单项否决).
DEFAULT_RULES = {HOME: 14, "news": 14, "notice": 180, "policy": 180}


class FreshnessRule(models.Model):
    kind = models.CharField("对象", max_length=20, choices=KIND_CHOICES, unique=True)
    max_days = models.PositiveIntegerField("最长未更新天数")
    amber_days = models.PositiveIntegerField("提前预警天数", default=3, help_text="距离期限不足该天数时显示黄色。")

    class Meta:
        verbose_name = "更新期限"
        verbose_name_plural = "更新期限"
        ordering = ["max_days"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.max_days} 天"
