"""政民互动: channel pages, the messages citizens send them, and published replies.

A message is a record, not a page: it holds personal details that never go
online. Its answer is a page (``LetterReplyPage``) under the channel, so it
passes the site's pre-publication review like every other published text
(谁上网，谁负责); the message counts as answered when that page first goes live.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.search import index

from sitegroup.registry.models import SiteProfile
from sites.columns import ColumnKind
from sites.models import STATEMENT_PANEL, ThemedPage
from sites.visibility import children_q

from .kinds import (
    DEFAULT_CATEGORIES,
    DEFAULT_CATEGORY_TEXT,
    DEFAULT_LIMIT,
    DEFAULT_LIMITS,
    ChannelKind,
    Event,
    InvalidReason,
    Satisfaction,
    Status,
)

REPLIES_PER_PAGE = 20
REPLY_PLACEHOLDER = "（请填写答复内容）"
REPLY_FEATURES = ["bold", "italic", "ol", "ul", "link"]


@register_setting(icon="mail")
class InteractionSettings(BaseGenericSetting):
    """Group-wide rules of 政民互动; national values are the defaults."""

    veto_days = models.PositiveSmallIntegerField(
        "超期未答复否决天数", default=90,
        help_text="国办秘函〔2019〕19号：有效留言超过 3 个月未答复的网站单项否决。",
    )
    remind_before = models.PositiveSmallIntegerField("到期前提醒（工作日）", default=2)
    hourly_limit = models.PositiveSmallIntegerField("同一地址每小时最多留言", default=5)
    daily_limit = models.PositiveSmallIntegerField("同一地址每天最多留言", default=20)
    attempt_limit = models.PositiveSmallIntegerField(
        "同一地址每 10 分钟最多提交次数", default=30, help_text="含验证码错误等未成功的提交。"
    )
    duplicate_days = models.PositiveSmallIntegerField("重复留言判定天数", default=30)
    max_attachments = models.PositiveSmallIntegerField("附件个数上限", default=3)
    max_attachment_mb = models.PositiveSmallIntegerField("单个附件大小上限（MB）", default=10)

    class Meta:
        verbose_name = "政民互动设置"
        verbose_name_plural = "政民互动设置"


class InteractionChannelPage(RoutablePageMixin, ThemedPage):
    """领导信箱、部门信箱、咨询、投诉建议 or the group's 我为政府网站找错."""

    kind = models.CharField("渠道类型", max_length=20, choices=ChannelKind.choices, default=ChannelKind.LETTER)
    intro = models.TextField("渠道说明", blank=True)
    notice = models.TextField("留言须知", blank=True, help_text="显示在留言表单上方。")
    reply_limit = models.PositiveSmallIntegerField(
        "答复时限（工作日）", null=True, blank=True,
        help_text="留空按默认：信箱、咨询、投诉建议 10 个工作日，网站找错 3 个工作日。收到当天不计。",
    )
    categories = models.TextField("留言分类", blank=True, help_text="每行一个。留空使用默认分类。")
    publish_answered = models.BooleanField(
        "公开已答复留言", default=True, help_text="留言人同意公开的，答复审核通过后在“信件选登”中公开。"
    )

    content_panels = ThemedPage.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("reply_limit"), FieldPanel("publish_answered")]),
        FieldPanel("intro"),
        FieldPanel("notice"),
        FieldPanel("categories"),
        STATEMENT_PANEL,
    ]
    parent_page_types = ["sites.ColumnPage"]
    subpage_types = ["interaction.LetterReplyPage"]
    template = "interaction/channel_page.html"

    class Meta:
        verbose_name = "互动渠道"
        verbose_name_plural = "互动渠道"

    @classmethod
    def can_create_at(cls, parent):
        return super().can_create_at(parent) and getattr(parent.specific, "kind", None) == ColumnKind.INTERACTION

    def clean(self):
        super().clean()
        if self.reply_limit == 0:
            raise ValidationError({"reply_limit": "答复时限至少 1 个工作日。"})

    def save(self, *args, **kwargs):
        if not self.reply_limit:
            self.reply_limit = DEFAULT_LIMITS.get(self.kind, DEFAULT_LIMIT)
        if not self.categories.strip():
            self.categories = DEFAULT_CATEGORIES.get(self.kind, DEFAULT_CATEGORY_TEXT)
        return super().save(*args, **kwargs)

    @property
    def category_list(self):
        return [line.strip() for line in self.categories.splitlines() if line.strip()]

    # The public routes live in views.py; the page only dispatches to them.
    def serve(self, request, view=None, args=None, kwargs=None):
        refusal = self.refusal(request)
        if refusal is not None:
            return refusal
        return super().serve(request, view, args, kwargs)

    @path("")
    def index_route(self, request):
        from .views import letter_list
        return letter_list(self, request)

    @path("write/")
    def write_route(self, request):
        from .views import write
        return write(self, request)

    @path("query/")
    def query_route(self, request):
        from .views import query
        return query(self, request)

    def published_replies(self):
        return LetterReplyPage.objects.live().filter(children_q(self), shown_publicly=True)

    def paginated_replies(self, request):
        replies = self.published_replies()
        q = (request.GET.get("q") or "").strip()[:50]
        if q:
            replies = replies.filter(models.Q(title__icontains=q) | models.Q(question__icontains=q))
        replies = replies.order_by("-replied_on", "-pk").only(
            "id", "title", "url_path", "path", "depth", "replied_on", "asked_on", "category", "asker"
        )
        paginator = Paginator(replies, REPLIES_PER_PAGE)
        try:
            return q, paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            return q, paginator.page(1)
        except EmptyPage:
            return q, paginator.page(paginator.num_pages)


class LetterReplyPage(ThemedPage):
    """The published answer to one message (question masked, reply reviewed)."""

    message = models.ForeignKey(
        "interaction.Message", on_delete=models.PROTECT, related_name="replies", verbose_name="留言",
    )
    asker = models.CharField("留言人", max_length=20, blank=True, help_text="公开时只显示姓氏，如 张*。")
    category = models.CharField("分类", max_length=50, blank=True)
    asked_on = models.DateField("留言日期")
    question = models.TextField("留言内容", help_text="已隐去手机号、身份证号等个人信息。")
    reply = RichTextField("答复内容", features=REPLY_FEATURES)
    reply_unit = models.CharField("答复单位", max_length=100)
    replied_on = models.DateField("答复日期", default=timezone.localdate)
    shown_publicly = models.BooleanField(
        "在信件选登中公开", default=False,
        help_text="仅在留言人同意且渠道公开已答复留言时可选；否则答复只在留言人的查询页面显示。",
    )

    content_panels = ThemedPage.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("asker"), FieldPanel("category"), FieldPanel("asked_on")]),
             FieldPanel("question")],
            heading="留言（公开内容）",
        ),
        FieldPanel("reply"),
        FieldRowPanel([FieldPanel("reply_unit"), FieldPanel("replied_on"), FieldPanel("shown_publicly")]),
        STATEMENT_PANEL,
    ]
    search_fields = ThemedPage.search_fields + [index.SearchField("question"), index.SearchField("reply")]
    parent_page_types = ["interaction.InteractionChannelPage"]
    subpage_types = []
    # Created from a message in the inbox, never from the page tree.
    is_creatable = False
    template = "interaction/letter_reply_page.html"

    class Meta:
        verbose_name = "留言答复"
        verbose_name_plural = "留言答复"

    def clean(self):
        from .masking import mask_personal_numbers

        super().clean()
        # Whatever an editor types, numbers that identify a person are masked.
        self.question = mask_personal_numbers(self.question)
        self.reply = mask_personal_numbers(self.reply)
        if REPLY_PLACEHOLDER in (self.reply or ""):
            raise ValidationError({"reply": "请填写答复内容。"})
        if self.shown_publicly and not self.message.may_be_published:
            raise ValidationError({"shown_publicly": "留言人未同意公开或该渠道不公开答复，不能在信件选登中公开。"})

    def serve(self, request, *args, **kwargs):
        if not self.shown_publicly:
            # Its answer is read on the citizen's query page only.
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        return super().get_sitemap_urls(request) if self.shown_publicly else []


class Message(models.Model):
    """One letter, question, complaint or error report from the public."""

    code = models.CharField("查询码", max_length=16, unique=True)
    channel = models.ForeignKey(
        InteractionChannelPage, null=True, on_delete=models.SET_NULL, related_name="messages", verbose_name="渠道"
    )
    kind = models.CharField("渠道类型", max_length=20, choices=ChannelKind.choices)
    site = models.ForeignKey(
        SiteProfile, on_delete=models.PROTECT, related_name="messages", verbose_name="办理网站"
    )
    received_site = models.ForeignKey(
        SiteProfile, on_delete=models.PROTECT, related_name="+", verbose_name="收信网站"
    )
    category = models.CharField("分类", max_length=50, blank=True)
    title = models.CharField("标题", max_length=100)
    content = models.TextField("内容")
    name = models.CharField("姓名", max_length=30)
    phone = models.CharField("电话", max_length=20)
    email = models.EmailField("电子邮箱", blank=True)
    publish_consent = models.BooleanField("同意公开", default=False)
    page_url = models.CharField("出错页面", max_length=500, blank=True)
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    fingerprint = models.CharField("内容指纹", max_length=64, db_index=True)

    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    invalid_reason = models.CharField("无效原因", max_length=12, choices=InvalidReason.choices, blank=True)
    invalid_note = models.CharField("无效说明", max_length=200, blank=True)
    received_at = models.DateTimeField("收到时间", default=timezone.now)
    received_on = models.DateField("收到日期")
    clock_started_on = models.DateField("计时起点", help_text="收到或转办之日，当天不计。")
    due_on = models.DateField("答复期限")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    reply_working_days = models.PositiveIntegerField("答复用时（工作日）", null=True, blank=True)
    answer_days = models.PositiveIntegerField("答复用时（自然日）", null=True, blank=True)
    transfer_count = models.PositiveSmallIntegerField("转办次数", default=0)
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)

    class Meta:
        verbose_name = "留言"
        verbose_name_plural = "留言"
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["site", "status", "due_on"], name="message_site_status_due"),
            models.Index(fields=["status", "received_on"], name="message_status_received"),
            models.Index(fields=["site", "received_on"], name="message_site_received"),
            # The inbox's "all" and closed views list newest first.
            models.Index(fields=["-received_at", "-id"], name="message_newest_first"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def is_open(self):
        return self.status in (Status.PENDING, Status.ACCEPTED)

    @property
    def may_be_published(self):
        channel = self.channel
        return self.publish_consent and (channel is None or channel.publish_answered)

    def overdue_on(self, day):
        return self.is_open and self.due_on < day


class MessageEvent(models.Model):
    """The message's history; ``public`` events are shown to the citizen."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("事项", max_length=12, choices=Event.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="操作人",
    )
    site = models.ForeignKey(SiteProfile, null=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="网站")
    note = models.CharField("说明", max_length=500, blank=True)
    public = models.BooleanField("对留言人显示", default=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.note}"


def _attachment_path(instance, filename):
    # Never the citizen's file name: it is shown to staff, never used on disk.
    return f"interaction/{timezone.now():%Y/%m}/{instance.token}{instance.extension}"


class MessageAttachment(models.Model):
    """A file sent with a message. Kept private: staff download it from the inbox."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    content_type = models.CharField(max_length=100)

    class Meta:
        verbose_name = "留言附件"
        verbose_name_plural = "留言附件"

    def __str__(self):
        return self.original_name


class SubmissionCounter(models.Model):
    """Submissions per address and time window, shared by every worker process."""

    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")]
        indexes = [models.Index(fields=["window_start"], name="counter_window")]

    def __str__(self):
        return f"{self.key} {self.count}"
