"""Page types shared by every site of the group."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from sitegroup.registry.gating import site_gate
from sitegroup.registry.lookup import profile_for_request, public_root_url, site_for_request

from .blocks import ArticleBodyBlock
from .cache import mark_cacheable
from .columns import ColumnKind
from .forms import SitePageForm
from .permissions import SitePagePermissionTester
from .visibility import children_q, is_public, public_q

COLUMN_PAGE_SIZE = 20


# Shown above the editor's action menu; required when submitting for review.
STATEMENT_PANEL = FieldPanel("responsibility_confirmed", heading="保密审查责任声明（谁上网，谁负责）")


class ThemedPage(Page):
    """Abstract base: picks the template of the site's theme when it has one."""

    base_form_class = SitePageForm

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        default = super().get_template(request, *args, **kwargs)
        profile = profile_for_request(request)
        if profile is not None:
            return [f"themes/{profile.theme}/{default}", default]
        return default

    def permissions_for_user(self, user):
        return SitePagePermissionTester(user, self)

    def get_sitemap_urls(self, request=None):
        # Wagtail's locations use the port stored on the Site record; visitors
        # reach the group at its public scheme and port.
        urls = super().get_sitemap_urls(request)
        site = site_for_request(request) if request is not None else None
        relative = (self.get_url(request=request) or "") if site is not None else ""
        if relative.startswith("/"):
            base = public_root_url(site.hostname, request)
            for entry in urls:
                entry["location"] = base + relative
        return urls

    def refusal(self, request):
        """The response that replaces the page when its site may not serve it, else None."""
        profile = profile_for_request(request)
        if profile is None:
            # A Site created outside the registry has no filing record to show.
            return TemplateResponse(
                request, "sites/unregistered_site.html", {"page": self}, status=503
            )
        return site_gate(request, profile)

    def serve(self, request, *args, **kwargs):
        refusal = self.refusal(request)
        if refusal is not None:
            return refusal
        response = super().serve(request, *args, **kwargs)
        if is_public(self, request):
            mark_cacheable(request, response)
        return response


class SiteHomePage(ThemedPage):
    """Root page of one site. Created only by site provisioning."""

    intro = models.TextField("网站简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), STATEMENT_PANEL]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["sites.ColumnPage"]
    is_creatable = False
    template = "sites/site_home_page.html"

    class Meta:
        verbose_name = "网站首页"
        verbose_name_plural = "网站首页"

    def get_context(self, request, *args, **kwargs):
        from .queries import home_page_sections

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = home_page_sections(self, request)
        return context


class ColumnPage(ThemedPage):
    """栏目. Its kind decides how often it must be updated."""

    kind = models.CharField(
        "栏目类型", max_length=20, choices=ColumnKind.choices, default=ColumnKind.OTHER,
        help_text="全站群统一的栏目分类，用于更新监测与检索筛选。",
    )
    intro = models.TextField("栏目说明", blank=True)
    show_on_home = models.BooleanField("在首页显示", default=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("show_on_home")]),
        FieldPanel("intro"),
        STATEMENT_PANEL,
    ]
    search_fields = Page.search_fields + [index.FilterField("kind")]

    parent_page_types = ["sites.SiteHomePage", "sites.ColumnPage"]
    subpage_types = [
        "sites.ColumnPage", "sites.ArticlePage", "sites.DisclosureEntryPage", "interaction.InteractionChannelPage",
        "sites.SyndicatedArticlePage",
    ]
    template = "sites/column_page.html"

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = (
            ArticlePage.objects.live().filter(children_q(self), public_q(request))
            .order_by("-date", "-first_published_at", "-pk")
            .only("id", "title", "url_path", "date", "path", "depth", "subtitle", "source")
        )
        paginator = Paginator(articles, COLUMN_PAGE_SIZE)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        context["page_obj"] = page_obj
        context["articles"] = page_obj.object_list
        context["subcolumns"] = ColumnPage.objects.live().filter(children_q(self), public_q(request)).only(
            "id", "title", "url_path", "path", "depth"
        )
        return context


def today():
    return timezone.localdate()


class ArticlePage(ThemedPage):
    """文章: news, notices, policy documents."""

    subtitle = models.CharField("副标题", max_length=200, blank=True)
    source = models.CharField("来源", max_length=100, blank=True)
    author = models.CharField("作者", max_length=100, blank=True)
    date = models.DateField("发布日期", default=today, db_index=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="封面图片",
    )
    summary = models.TextField("摘要", blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name="正文", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        FieldRowPanel([FieldPanel("source"), FieldPanel("author"), FieldPanel("date")]),
        FieldPanel("cover_image"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", heading="附件", label="附件"),
        STATEMENT_PANEL,
    ]
    search_fields = Page.search_fields + [
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = ["sites.ColumnPage"]
    subpage_types = []
    template = "sites/article_page.html"

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["article"] = self  # whose body is shown: a copy shows its source's (see syndicated)
        context["attachment_list"] = list(
            self.attachments.select_related("document").all()
        ) if self.pk else []
        return context


class ArticleAttachment(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name="文件"
    )
    title = models.CharField("附件名称", max_length=200, blank=True, help_text="留空则使用文件标题。")

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"

    @property
    def display_title(self):
        return self.title or self.document.title


class DisclosureValidity(models.TextChoices):
    VALID = "valid", "有效"
    AMENDED = "amended", "已修订"
    REPEALED = "repealed", "已废止"
    NA = "na", "不适用"


class DisclosureGenre(models.TextChoices):
    """体裁, with the kinds the national annual report counts (主动公开情况)."""

    REGULATION = "regulation", "规章"
    NORMATIVE = "normative", "规范性文件"
    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    FEES = "fees", "行政事业性收费"
    PLAN = "plan", "规划计划"
    REPORT = "report", "工作报告"
    NOTICE = "notice", "通知公告"
    OTHER = "other", "其他"


class DisclosureEntryPage(ArticlePage):
    """信息公开条目: an article with the index data the disclosure catalogue needs."""

    index_number = models.CharField("索引号", max_length=60, blank=True, db_index=True,
                                    help_text="留空则按全市索引号格式自动生成，生成后不再改变。")
    genre = models.CharField("体裁", max_length=20, choices=DisclosureGenre.choices, default=DisclosureGenre.OTHER)
    formed_on = models.DateField(
        "形成或变更日期", null=True, blank=True,
        help_text="信息形成或者变更之日；应在其后 20 个工作日内公开。留空按成文日期计。",
    )
    keywords = models.CharField("关键词", max_length=100, blank=True)
    publish_deadline = models.DateField(
        "公开期限", null=True, blank=True, editable=False, db_index=True,
        help_text="形成或变更之日起 20 个工作日（按全市工作日历）。",
    )
    published_late = models.BooleanField("超期公开", default=False, editable=False,
                                         help_text="首次发布晚于公开期限（发布时判定）。")
    replaced_by = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="修订或废止后的文件", help_text="有效性为已修订或已废止时，链接到取代它的文件。",
    )
    issuer = models.CharField("发布机构", max_length=100, blank=True)
    document_number = models.CharField("文号", max_length=60, blank=True)
    topic = models.CharField("主题分类", max_length=60, blank=True)
    written_date = models.DateField("成文日期", null=True, blank=True)
    validity = models.CharField(
        "有效性", max_length=20, choices=DisclosureValidity.choices, default=DisclosureValidity.VALID
    )

    content_panels = ArticlePage.content_panels[:1] + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("index_number"), FieldPanel("document_number")]),
                FieldRowPanel([FieldPanel("issuer"), FieldPanel("topic")]),
                FieldRowPanel([FieldPanel("genre"), FieldPanel("keywords")]),
                FieldRowPanel([FieldPanel("written_date"), FieldPanel("formed_on"), FieldPanel("validity")]),
                FieldPanel("replaced_by"),
            ],
            heading="公开目录信息",
        )
    ] + ArticlePage.content_panels[1:]
    search_fields = ArticlePage.search_fields + [
        index.SearchField("document_number"),
        index.SearchField("keywords"),
        index.FilterField("validity"),
        index.FilterField("genre"),
    ]

    parent_page_types = ["sites.ColumnPage"]
    subpage_types = []
    template = "sites/disclosure_entry_page.html"
    # A copy is a new entry: it gets its own index number.
    exclude_fields_in_copy = ["index_number", "publish_deadline", "published_late"]

    class Meta:
        verbose_name = "信息公开条目"
        verbose_name_plural = "信息公开条目"

    def clean(self):
        from .disclosure.catalogue import prepare

        super().clean()
        if self.replaced_by_id and self.validity == DisclosureValidity.VALID:
            from django.core.exceptions import ValidationError

            raise ValidationError({"validity": "指定了取代它的文件时，有效性应为已修订或已废止。"})
        prepare(self)

    def save(self, *args, **kwargs):
        # Drafts are saved with update_fields (Wagtail validates only title and slug
        # of a draft): the index number and the deadline must reach the row too, so
        # that an entry nobody publishes still shows up as overdue.
        from .disclosure.catalogue import prepare

        prepare(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "index_number", "publish_deadline"}
        return super().save(*args, **kwargs)

    @classmethod
    def can_create_at(cls, parent):
        # Disclosure entries belong only under 信息公开 columns.
        return super().can_create_at(parent) and getattr(
            parent.specific, "kind", None
        ) == ColumnKind.DISCLOSURE


class ImportRecord(models.Model):
    """Which source file became which page, so re-importing updates or skips."""

    column = models.ForeignKey(ColumnPage, on_delete=models.CASCADE, related_name="+", verbose_name="栏目")
    source_key = models.CharField("来源文件", max_length=255)
    checksum = models.CharField("SHA-256", max_length=64)
    page = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="+", verbose_name="文章")
    imported_at = models.DateTimeField("导入时间", auto_now=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        constraints = [
            models.UniqueConstraint(fields=["column", "source_key"], name="one_import_per_source_and_column")
        ]

    def __str__(self):
        return self.source_key


# A page type of its own module (it needs ArticlePage above); imported here so
# Django registers it with the app.
from .syndicated import SyndicatedArticlePage  # noqa: E402, F401
