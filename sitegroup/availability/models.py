"""站点可用性监测: how often each site's home page answers, and how fast.

The thresholds are the national check indicators' (国办秘函〔2019〕19号《政府网站与
政务新媒体检查指标》, the same as the 2015 普查): a site is 无法访问 when, over a
monitoring week with at least 20 probes a day, 5% or more of the probes of the
home page fail or take longer than 15 seconds. The office may change them.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from sitegroup.registry.models import SiteProfile

SOURCE = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
_LINE = re.compile(r"^\s*(\S+)\s+(\S+)\s*$")


@register_setting(icon="pick")
class AvailabilitySettings(BaseGenericSetting):
    timeout_seconds = models.PositiveSmallIntegerField(
        "超时时间（秒）", default=15, validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=f"首页打开超过该时间即算一次失败。默认 15 秒，依据{SOURCE}。",
    )
    min_probes_per_day = models.PositiveSmallIntegerField(
        "每天至少监测次数", default=20, validators=[MinValueValidator(1)],
        help_text=f"监测周期内平均每天少于该次数时不作判定。默认 20 次，依据{SOURCE}。",
    )
    window_days = models.PositiveSmallIntegerField(
        "监测周期（天）", default=7, validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=f"默认 7 天（一周），依据{SOURCE}。",
    )
    veto_percent = models.DecimalField(
        "单项否决失败比例（%）", max_digits=5, decimal_places=2, default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=f"周期内失败次数占比达到该值即“站点无法访问”单项否决。默认 5%，依据{SOURCE}。",
    )
    addresses = models.TextField(
        "监测地址", blank=True,
        help_text="每行一个站点：站点代码、空格、公众访问的首页地址，如 jiujiang https://www.jiujiang.gov.cn/ 。"
                  "未列出的站点按其域名访问。",
    )

    class Meta:
        verbose_name = "可用性监测设置"
        verbose_name_plural = "可用性监测设置"

    def clean(self):
        errors = []
        known = set(SiteProfile.objects.values_list("code", flat=True))
        for number, line in enumerate(self.addresses.splitlines(), start=1):
            if not line.strip():
                continue
            match = _LINE.match(line)
            if not match:
                errors.append(f"第 {number} 行格式不对，应为“站点代码 地址”。")
                continue
            code, url = match.groups()
            if code not in known:
                errors.append(f"第 {number} 行：没有站点代码 {code}。")
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                errors.append(f"第 {number} 行：{url} 不是有效的 http(s) 地址。")
        if errors:
            raise ValidationError({"addresses": errors})

    def address_map(self) -> dict[str, str]:
        out = {}
        for line in self.addresses.splitlines():
            match = _LINE.match(line)
            if match:
                out[match.group(1)] = match.group(2)
        return out


class Probe(models.Model):
    """One fetch of one site's home page through its public address."""

    profile = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="probes", verbose_name="网站")
    at = models.DateTimeField("时间", default=timezone.now)
    url = models.CharField("地址", max_length=500)
    ok = models.BooleanField("正常")
    status_code = models.PositiveSmallIntegerField("状态码", null=True, blank=True)
    seconds = models.FloatField("耗时（秒）", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "可用性探测"
        verbose_name_plural = "可用性探测"
        indexes = [models.Index(fields=["profile", "at"], name="probe_profile_at")]

    def __str__(self):
        return f"{self.profile} {self.at:%Y-%m-%d %H:%M} {'正常' if self.ok else '失败'}"
