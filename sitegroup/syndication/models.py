"""信息报送 (jiujiang-egov-measures §28): a subsite offers a published article to a
column of another site that accepts submissions; that site's editors accept
(采用, optionally with their own title or summary) or return it (退回)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.models import Page

from sitegroup.registry.lookup import profile_for_page
from sitegroup.registry.models import SiteProfile


class Intake(models.Model):
    """A column that accepts submissions (接收报送的栏目)."""

    column = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="+", verbose_name="接收栏目")
    site = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="+", verbose_name="接收站点",
                             editable=False)
    active = models.BooleanField("接收报送", default=True)
    review_required = models.BooleanField(
        "采用后需经本站审核", default=True,
        help_text="勾选后，采用的信息进入本站审核流程，审核通过后发布；不勾选则采用即发布"
                  "（原文已经报送单位审核）。门户网站默认需审核。",
    )
    note = models.CharField("征集说明", max_length=200, blank=True)

    panels = [
        PageChooserPanel("column", "sites.ColumnPage"),
        FieldPanel("active"),
        FieldPanel("review_required"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = "报送接收栏目"
        verbose_name_plural = "报送接收栏目"

    def __str__(self):
        return f"{self.site.name} › {self.column.title}" if self.site_id else str(self.column_id)

    def save(self, *args, **kwargs):
        if not self.site_id:
            self.site = profile_for_page(self.column)
        return super().save(*args, **kwargs)

    def clean(self):
        column = getattr(self, "column", None)
        if column is None:
            return
        if column.specific_class is None or column.specific_class.__name__ != "ColumnPage":
            raise ValidationError({"column": "只能选择栏目。"})
        profile = profile_for_page(column)
        if profile is None:
            raise ValidationError({"column": "该栏目不属于任何已备案站点。"})
        self.site = profile


class Status(models.TextChoices):
    PENDING = "pending", "待处理"
    ACCEPTED = "accepted", "已采用"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "原文已撤回"


class Submission(models.Model):
    story = models.ForeignKey("sites.ArticlePage", null=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name="报送信息")
    title = models.CharField("标题", max_length=255)  # kept when the story is deleted
    from_site = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="+", verbose_name="报送单位")
    # The record (and the sender's statistics) outlives the receiving column.
    intake = models.ForeignKey(Intake, null=True, on_delete=models.SET_NULL, related_name="submissions",
                               verbose_name="报送栏目")
    column_title = models.CharField("栏目名称", max_length=255, blank=True)
    to_site = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="+", verbose_name="接收站点")
    note = models.CharField("报送说明", max_length=500, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="报送人")
    submitted_at = models.DateTimeField("报送时间", auto_now_add=True, db_index=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="处理人")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    reason = models.CharField("退回理由", max_length=500, blank=True)
    copy = models.ForeignKey("sites.SyndicatedArticlePage", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name="采用页面")

    class Meta:
        verbose_name = "信息报送"
        verbose_name_plural = "信息报送"
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # A story is offered to a column once; a returned one may be offered again.
            models.UniqueConstraint(fields=["story", "intake"], condition=models.Q(status__in=["pending", "accepted"]),
                                    name="one_open_submission_per_story_and_column"),
        ]
        indexes = [models.Index(fields=["from_site", "submitted_at"]), models.Index(fields=["intake", "status"])]

    def __str__(self):
        return self.title
