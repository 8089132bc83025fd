from django.db import models

from sitegroup.registry.models import SiteProfile


class InspectionRun(models.Model):
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True)
    total_pages = models.PositiveIntegerField("页面总数", default=0)
    done_pages = models.PositiveIntegerField("已检查页面", default=0)

    class Meta:
        verbose_name = "巡查任务"
        verbose_name_plural = "巡查任务"
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class CheckedPage(models.Model):
    """Pages finished in a run, so an interrupted run resumes where it stopped."""

    run = models.ForeignKey(InspectionRun, on_delete=models.CASCADE, related_name="checked")
    page_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "page_id"], name="page_once_per_run")]

    def __str__(self):
        return str(self.page_id)


class BrokenLink(models.Model):
    run = models.ForeignKey(InspectionRun, on_delete=models.CASCADE, related_name="broken")
    site = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="+", verbose_name="网站")
    page_id = models.BigIntegerField("页面ID")
    page_title = models.CharField("页面", max_length=255)
    url = models.CharField("链接", max_length=1000)
    problem = models.CharField("问题", max_length=200)

    class Meta:
        verbose_name = "失效链接"
        verbose_name_plural = "失效链接"

    def __str__(self):
        return self.url
