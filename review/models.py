"""Pre-publication review records: word lists, statements, overrides, the ledger."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Task

from sitegroup.registry.models import SiteProfile

from . import approvers
from .approvers import ASSIGNABLE_ROLES, DEFAULT_STAGE_ROLES, Stage


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

    def chain_fields(self) -> dict:
        # Hashed by sitegroup.security.chain; changing a key breaks every existing chain.
        return {
            "seq": self.seq, "action": self.action, "user": self.user_id, "username": self.username,
            "page": self.page_id_ref, "title": self.page_title, "revision": self.revision_id_ref,
            "content": self.content_hash, "detail": self.detail,
            "at": self.created_at.isoformat(), "prev": self.prev_hash,
        }


class SecrecyReviewTask(Task):
    """One stage of 上网信息保密审查, shared by every site of the group. Who may
    act is resolved from the page's site and the stage (see ``approvers``);
    approval is refused to anyone who submitted or edited the revision or acted
    on another stage, and (at the final stage) while screening finds unresolved
    problems."""

    stage = models.CharField("审核环节", max_length=10, choices=Stage.choices, default=Stage.FIRST)

    # Screening and the ledger sit above the models (they use them), so the
    # approval gate is handed to the task by ReviewConfig.ready() rather than
    # imported here: (task_state, user, final) -> redirect URL when refused, else None.
    approval_gate = None

    admin_form_fields = Task.admin_form_fields + ["stage"]

    class Meta:
        verbose_name = "保密审查环节"
        verbose_name_plural = "保密审查环节"

    @property
    def final_stage(self) -> bool:
        return self.stage == Stage.FINAL

    # While a page waits at this stage only the stage's reviewers may open or lock it.
    def user_can_access_editor(self, obj, user):
        return approvers.is_stage_reviewer(self.stage, obj, user)

    def locked_for_user(self, obj, user):
        return not approvers.is_stage_reviewer(self.stage, obj, user)

    def user_can_lock(self, obj, user):
        return approvers.is_stage_reviewer(self.stage, obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not approvers.may_act(self, obj, user):
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
        return approvers.moderatable_states(self, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        # Wagtail checked get_actions() against the page in the URL; the task
        # state may belong to another page, so every action is checked again
        # against the state's own page before anything changes.
        reason = approvers.refusal(self, task_state, user)
        if reason:
            raise PermissionDenied(reason)
        if action_name == "approve":
            if self.approval_gate is None:  # fail closed: never approve unscreened
                raise ImproperlyConfigured("SecrecyReviewTask.approval_gate is not set (ReviewConfig.ready).")
            refused_to = self.approval_gate(task_state, user, final=self.final_stage)
            if refused_to:
                return refused_to
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return "由页面所属站点承担该环节的审核人员（默认初审为审核员、复审为复审员、终审为终审员）进行保密审查；不得审核本人提交或修改的内容，同一人不得审核同一稿件的两个环节。"


class StageAssignment(models.Model):
    """Which role of a site acts on each review stage (审核环节分工). Without a
    row the defaults apply: 初审 → 审核员, 复审 → 复审员, 终审 → 终审员."""

    site = models.OneToOneField(
        SiteProfile, on_delete=models.CASCADE, related_name="stage_assignment", verbose_name="站点"
    )
    first_role = models.CharField(
        "初审", max_length=20, choices=ASSIGNABLE_ROLES, default=DEFAULT_STAGE_ROLES[Stage.FIRST]
    )
    second_role = models.CharField(
        "复审", max_length=20, choices=ASSIGNABLE_ROLES, default=DEFAULT_STAGE_ROLES[Stage.SECOND],
        help_text="仅用于三级审核的站点或栏目。",
    )
    final_role = models.CharField(
        "终审", max_length=20, choices=ASSIGNABLE_ROLES, default=DEFAULT_STAGE_ROLES[Stage.FINAL]
    )

    class Meta:
        verbose_name = "审核环节分工"
        verbose_name_plural = "审核环节分工"

    def __str__(self):
        return f"{self.site} · 审核环节分工"

    def clean(self):
        roles = [self.first_role, self.second_role, self.final_role]
        if len(set(roles)) != len(roles):
            raise ValidationError("初审、复审、终审必须由不同的角色承担，同一角色不能审核两个环节。")


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


class MediaKind(models.TextChoices):
    DOCUMENT = "document", "文件"
    IMAGE = "image", "图片"


class ReleasedMedia(models.Model):
    """A file a live page showed when it was published through review. Only
    released files are served to the public, and only while the file is the one
    that was reviewed (a replaced file needs the page reviewed again)."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=MediaKind.choices)
    object_id = models.PositiveBigIntegerField()
    fingerprint = models.CharField(max_length=400)
    released_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "已发布媒体"
        verbose_name_plural = "已发布媒体"
        constraints = [
            models.UniqueConstraint(fields=["page", "kind", "object_id"], name="one_release_per_page_media")
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="released_media_lookup")]

    def __str__(self):
        return f"{self.kind}:{self.object_id} @ {self.page_id}"
