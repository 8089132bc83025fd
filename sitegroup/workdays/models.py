"""The group's working-day calendar: the days that break the weekday rule.

A weekday is a working day and a weekend day is not, except for the days
listed here: 法定节假日 on weekdays (rest) and 调休 weekends (work). Each year
is either confirmed (the State Council's schedule, from the library or entered
by the group office) or estimated (weekends and the statutory holidays only).
"""

from django.db import models


class Source(models.TextChoices):
    LIBRARY = "library", "国务院办公厅通知（chinese-calendar）"
    ESTIMATED = "estimated", "按法定节日推算（未含调休）"
    OFFICE = "office", "市政府信息办录入"


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField("年份", unique=True)
    confirmed = models.BooleanField(
        "已按国务院通知确认", default=False,
        help_text="未确认的年份只按周末和法定节日推算，没有调休上班日；国务院公布安排后请录入并勾选。",
    )
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.ESTIMATED)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} 年（{'已确认' if self.confirmed else '推算'}）"


class CalendarDay(models.Model):
    date = models.DateField("日期", unique=True)
    is_working = models.BooleanField("上班", help_text="勾选表示调休上班日；不勾选表示法定节假日休息。")
    name = models.CharField("名称", max_length=50, blank=True, help_text="如：国庆节、国庆节调休上班。")
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.OFFICE)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_working else '休息'} {self.name}".strip()
