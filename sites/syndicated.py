"""采用信息: a story another site of the group offered (报送) and this site accepted.

The copy never holds the story's body. It renders the source's live page under
its own address, with 来源 and a canonical link to the original, so a correction
approved at the source is what every copy shows. Only the fields listings need
(title, date, summary, 来源) are kept on the copy's row, refreshed from the
source on every save, so column pages, home sections and update monitoring see
the copy as one more article of the receiving column.
"""

from django.db import models
from django.http import Http404
from wagtail.admin.panels import FieldPanel, HelpPanel

from sitegroup.registry.lookup import profile_for_page, public_root_url

from .models import STATEMENT_PANEL, ArticlePage
from .visibility import is_public

# Copied from the source on every save; the body, cover and attachments are read live.
MIRRORED = ("subtitle", "author", "date")


class SyndicatedArticlePage(ArticlePage):
    story = models.ForeignKey(
        ArticlePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="copies",
        verbose_name="原文", editable=False,
    )
    own_title = models.CharField("采用标题", max_length=255, blank=True,
                                 help_text="留空则与原文标题一致，原文修改标题后随之更新。")
    own_summary = models.TextField("采用摘要", blank=True, help_text="留空则使用原文摘要。")

    content_panels = [
        HelpPanel(content="本页正文来自报送单位的原文，原文更正后自动同步；此处只能修改标题和摘要。"),
        FieldPanel("own_title"),
        FieldPanel("own_summary"),
        STATEMENT_PANEL,
    ]
    search_fields = ArticlePage.search_fields
    parent_page_types = ["sites.ColumnPage"]
    subpage_types = []
    is_creatable = False  # made only by accepting a submission (采用)
    template = "sites/syndicated_article_page.html"

    class Meta:
        verbose_name = "采用信息"
        verbose_name_plural = "采用信息"

    @property
    def live_story(self):
        """The source as the public sees it, or None when it is not public: deleted,
        unpublished, restricted, or on a site that is not running. A copy never
        shows what its own site could not show."""
        return self.story_for()

    def story_for(self, request=None):
        """``live_story``, read once per instance (with the request's restriction list when given)."""
        if not self.story_id:
            return None
        if not hasattr(self, "_live_story"):
            found = ArticlePage.objects.live().filter(pk=self.story_id).first()
            self._live_story, self._story_profile = story_if_public(found, request, with_profile=True)
        return self._live_story

    def mirror(self, story=None):
        """Take title, summary, 来源 and the listing fields from the public source
        (never from a draft saved into a withdrawn source's row)."""
        story = story or self.live_story
        self._mirrored = True
        if story is None:
            return
        self.title = self.own_title or story.title
        self.summary = self.own_summary or story.summary
        for name in MIRRORED:
            setattr(self, name, getattr(story, name))
        profile = profile_for_page(story)
        self.source = (story.source or (profile.name if profile else ""))[:100]
        self.cover_image_id = story.cover_image_id

    def full_clean(self, *args, **kwargs):
        self.mirror()
        return super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        if not getattr(self, "_mirrored", False):  # full_clean or the caller just did
            self.mirror()
        self._mirrored = False  # a later change to this instance is mirrored again
        return super().save(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        # Withdrawn at the source (or no longer public there): not here either.
        if self.story_for(request) is None:
            raise Http404("原文已撤回")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        # ThemedPage's context: an ArticlePage's would read this page's own (empty) attachments.
        context = super(ArticlePage, self).get_context(request, *args, **kwargs)
        story = self.story_for(request)
        context["article"] = story or self
        context["attachment_list"] = list(story.attachments.select_related("document").all()) if story else []
        context["story_site"] = self._story_profile if story else None
        context["story_url"] = self.canonical_address(request)
        return context

    def canonical_address(self, request=None):
        """The original's public address: search engines credit the source site."""
        story = self.story_for(request)
        if story is None:
            return ""
        # A site's home page is a child of the tree root, so its url_path is one segment.
        relative = "/" + story.url_path.split("/", 2)[2]
        return public_root_url(self._story_profile.site.hostname, request) + relative


def story_if_public(page, request=None, with_profile=False):
    """``page`` (specific) when anonymous visitors may read it on its own site, else None
    (with its site's filing record when ``with_profile``)."""
    found = (None, None)
    if page is not None and page.live and is_public(page, request):
        profile = profile_for_page(page)
        if profile is not None and profile.is_public:
            found = (page.specific, profile)
    return found if with_profile else found[0]


def copies_of(page_ids):
    """Live copies of the given source pages."""
    return SyndicatedArticlePage.objects.live().filter(story_id__in=list(page_ids))


def copies_under(path):
    """Live copies of every story in the subtree at ``path`` (a restricted column, a closed site)."""
    return SyndicatedArticlePage.objects.live().filter(story__path__startswith=path)
