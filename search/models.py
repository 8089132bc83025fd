"""The search index (one row per live page) and what the public search remembers."""

from django.db import models

from sitegroup.registry.models import SiteProfile


class SearchDocument(models.Model):
    page_id = models.BigIntegerField("页面ID", unique=True)
    site = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="+", verbose_name="站点")
    title = models.CharField("标题", max_length=255)
    body = models.TextField("正文")
    segmented_title = models.TextField("分词标题")
    segmented = models.TextField("分词正文")
    column_title = models.CharField("栏目", max_length=255, blank=True)
    column_kind = models.CharField("栏目类型", max_length=20, blank=True, db_index=True)
    content_type = models.CharField("内容类型", max_length=20, db_index=True)
    date = models.DateField("发布日期", null=True, db_index=True)
    source = models.CharField("来源", max_length=100, blank=True)
    url = models.CharField("地址", max_length=500)
    # One story published on several sites (报送采用): the source page's id, and
    # whether this row is a copy. Group-wide search shows the original once.
    story_id = models.BigIntegerField("原文页面ID", null=True, db_index=True)
    is_copy = models.BooleanField("采用信息", default=False)
    indexed_at = models.DateTimeField("索引时间", auto_now=True)

    class Meta:
        verbose_name = "索引文档"
        verbose_name_plural = "索引文档"

    def __str__(self):
        return self.title


class PendingUpdate(models.Model):
    """An index update that could not be applied (engine down); retried later."""

    page_id = models.BigIntegerField(unique=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "待重试的索引更新"
        verbose_name_plural = "待重试的索引更新"

    def __str__(self):
        return str(self.page_id)


class Synonym(models.Model):
    """同义词/俗称: every term in a group finds the others (社保 ↔ 社会保险)."""

    terms = models.CharField("同义词组", max_length=500, help_text="用逗号或空格分隔，如：社保，社会保险")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "同义词"
        verbose_name_plural = "同义词"

    def __str__(self):
        return self.terms

    def term_list(self):
        import re

        return [t for t in re.split(r"[,，、\s]+", self.terms) if t]


class QueryLog(models.Model):
    """Queries for hot searches. No IP address is stored, only a salted, daily hash."""

    query = models.CharField(max_length=100, db_index=True)
    site_code = models.CharField(max_length=40, blank=True)
    results = models.PositiveIntegerField(default=0)
    visitor = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "检索日志"
        verbose_name_plural = "检索日志"

    def __str__(self):
        return self.query


class SuggestTerm(models.Model):
    """Words from indexed titles with their pinyin, for 您是不是要找 and autocomplete."""

    term = models.CharField(max_length=50, unique=True)
    pinyin = models.CharField(max_length=200, db_index=True)
    initials = models.CharField(max_length=50, db_index=True)
    weight = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "联想词"
        verbose_name_plural = "联想词"

    def __str__(self):
        return self.term
