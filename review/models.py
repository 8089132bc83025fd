"""Pre-publication review records: word lists, statements, overrides, the ledger."""

from django.conf import settings
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import AbstractGroupApprovalTask

from sitegroup.registry.models import SiteProfile


class Level(models.TextChoices):
    BLOCK = "block", "阻断"
    WARN = "warn", "提示"


class TermKind(models.TextChoices):
    SENSITIVE = "sensitive", "敏感词"
    WRONG = "wrong", "表述错误"


class WordList(ClusterableModel):
    """A managed list: group-wide when ``site`` is empty (set by the group office),
    otherwise used only for that site's pages."""

    name = models.CharField("名称", max_length=100)
    site = models.ForeignKey(
        SiteProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="word_lists",
        verbose_name="适用站点", help_text="留空表示全站群通用（由市政府信息办维护）。",
    )
    active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    panels = [FieldPanel("name"), FieldPanel("site"), FieldPanel("active"), InlinePanel("terms", label="词条")]

    class Meta:
        verbose_name = "词库"
        verbose_name_plural = "词库"

    def __str__(self):
        return self.name


class Term(models.Model):
    word_list = ParentalKey(WordList, on_delete=models.CASCADE, related_name="terms")
    kind = models.CharField("类型", max_length=20, choices=TermKind.choices, default=TermKind.SENSITIVE)
    word = models.CharField("词语", max_length=100, help_text="表述错误类型填写错误写法。")
    correction = models.CharField("正确写法", max_length=100, blank=True, help_text="仅用于表述错误。")
    level = models.CharField("级别", max_length=10, choices=Level.choices, default=Level.WARN)

    panels = [FieldPanel("kind"), FieldPanel("word"), FieldPanel("correction"), FieldPanel("level")]

    class Meta:
        verbose_name = "词条"
        verbose_name_plural = "词条"

    def __str__(self):
        return self.word


class ResponsibilityStatement(models.Model):
    """The submitter's signed statement for one exact revision."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("声明内容")
    created_at = models.DateTimeField("签署时间", auto_now_add=True)

    class Meta:
        verbose_name = "保密审查责任声明"
        verbose_name_plural = "保密审查责任声明"

    def __str__(self):
        return f"{self.user} · {self.page_id} · {self.created_at:%Y-%m-%d %H:%M}"


class FindingDecision(models.Model):
    """A reviewer's override of a block finding, or acknowledgement of a warning."""

    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    finding_key = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    overridden = models.BooleanField(default=False)
    reason = models.TextField("理由", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "审查结论"
        verbose_name_plural = "审查结论"

    def __str__(self):
        return self.finding_key


class Withdrawal(models.Model):
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name="页面")
    title = models.CharField("标题", max_length=255)
    url = models.CharField("原地址", max_length=500, blank=True)
    site = models.ForeignKey(SiteProfile, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="站点")
    reason = models.TextField("撤稿理由")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人")
    created_at = models.DateTimeField("撤稿时间", auto_now_add=True)

    class Meta:
        verbose_name = "撤稿记录"
        verbose_name_plural = "撤稿记录"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class SanitisedMarkup(models.Model):
    """What the sanitiser removed from user HTML, so nothing is silently lost."""

    page = models.ForeignKey("wagtailcore.Page", null=True, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=100)
    removed = models.TextField()
    original = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "清理记录"
        verbose_name_plural = "清理记录"

    def __str__(self):
        return f"{self.page_id}:{self.field}"


class LedgerEntry(models.Model):
    """Append-only, hash-chained record of every review and publication event."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    action = models.CharField("动作", max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    username = models.CharField("操作人账号", max_length=150, blank=True)
    page_id_ref = models.BigIntegerField("页面ID", db_index=True)
    page_title = models.CharField("页面标题", max_length=255)
    revision_id_ref = models.BigIntegerField("版本ID", null=True)
    content_hash = models.CharField("内容摘要", max_length=64)
    detail = models.JSONField("详情", default=dict)
    created_at = models.DateTimeField("时间")
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "责任台账"
        verbose_name_plural = "责任台账"
        ordering = ["seq"]
        # Evaluation asks "did a workflow approve the revision now live?" per page.
        indexes = [models.Index(fields=["revision_id_ref", "action"], name="ledger_revision_action")]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.page_title}"


class SecrecyReviewTask(AbstractGroupApprovalTask):
    """One stage of 上网信息保密审查. Approval is refused to anyone who submitted
    or edited the revision, and (at the final stage) while screening finds
    unresolved problems."""

    final_stage = models.BooleanField("终审环节", default=False, help_text="终审通过即发布，发布前再次自动审查。")

    admin_form_fields = AbstractGroupApprovalTask.admin_form_fields + ["final_stage"]

    class Meta:
        verbose_name = "保密审查环节"
        verbose_name_plural = "保密审查环节"

    def get_actions(self, obj, user):
        from .services import conflicts_of_interest

        if conflicts_of_interest(obj, user):
            return []
        # Approval always goes through the modal, so the reviewer sees the
        # automatic screening of the revision before confirming.
        return [
            ("reject", "退回修改", True),
            ("approve", "审核通过", True),
        ]

    def get_template_for_action(self, action):
        if action == "approve":
            return "review/approve_modal.html"
        return super().get_template_for_action(action)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user)

    def on_action(self, task_state, user, action_name, **kwargs):
        from .services import approval_blockers, record_blocked_approval

        if action_name == "approve":
            blockers = approval_blockers(task_state, user, final=self.final_stage)
            if blockers:
                return record_blocked_approval(task_state, user, blockers)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return "本站审核员对拟发布信息进行保密审查；不得审核本人提交或修改的内容。"


class ReviewPolicy(models.Model):
    """How many stages a site (or one of its columns) uses: 初审→终审, or 初审→复审→终审."""

    site = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="review_policies", verbose_name="站点")
    column = models.ForeignKey(
        "sites.ColumnPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name="栏目", help_text="留空表示整个站点的默认设置。",
    )
    stages = models.PositiveSmallIntegerField("审核级数", choices=[(2, "两级：初审→终审"), (3, "三级：初审→复审→终审")], default=2)

    class Meta:
        verbose_name = "审核流程设置"
        verbose_name_plural = "审核流程设置"
        constraints = [models.UniqueConstraint(fields=["site", "column"], name="one_policy_per_site_column")]

    def __str__(self):
        return f"{self.site} · {self.column or '全站'} · {self.get_stages_display()}"
