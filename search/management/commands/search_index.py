import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from search.engines import get_engine
from search.indexing import document_for, indexable_pages, retry_pending
from search.models import PendingUpdate, SearchDocument
from search.suggest import learn_title
from sitegroup.registry.lookup import profiles_by_root_path
from sitegroup.registry.models import SiteProfile

BATCH = 200


class Command(BaseCommand):
    help = "站群检索索引：rebuild 重建（可重复运行）、status 各站统计、verify 核对与页面的差异、retry 重试失败的更新。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "status", "verify", "retry"])

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")()

    def do_rebuild(self):
        engine = get_engine()
        profiles = profiles_by_root_path()
        # Oldest first, so document ids follow publication dates (the embedded
        # engine ranks huge result sets among the newest ids).
        ids = list(indexable_pages().order_by("articlepage__date", "pk").values_list("pk", flat=True))
        total = len(ids)
        started = time.perf_counter()
        self.stdout.write(f"重建索引：共 {total} 个页面（引擎：{engine.name}）")
        engine.clear()
        indexed = 0
        from wagtail.models import Page

        for start in range(0, total, BATCH):
            position = {pk: i for i, pk in enumerate(ids[start:start + BATCH])}
            pages = sorted(Page.objects.filter(pk__in=position).specific(), key=lambda p: position[p.pk])
            documents = [doc for doc in (document_for(p, profiles) for p in pages) if doc]
            engine.index(documents)
            for doc in documents:
                learn_title(doc["title"])
            indexed += len(documents)
            done = min(start + BATCH, total)
            rate = done / max(time.perf_counter() - started, 1e-6)
            self.stdout.write(f"  [{done}/{total}] {done * 100 // max(total, 1)}%  {rate:.0f} 页/秒", ending="\r")
        PendingUpdate.objects.all().delete()
        if hasattr(engine, "analyse"):
            engine.analyse()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"完成：索引 {indexed} 篇，用时 {time.perf_counter() - started:.1f} 秒。"))

    def do_status(self):
        counts = dict(SearchDocument.objects.values("site").annotate(n=Count("id")).values_list("site", "n"))
        for profile in SiteProfile.objects.select_related("site"):
            self.stdout.write(f"{profile.name:<16} {counts.get(profile.pk, 0):>7} 篇")
        self.stdout.write(f"合计 {sum(counts.values())} 篇；待重试更新 {PendingUpdate.objects.count()} 个。")

    def do_verify(self):
        live = set(indexable_pages().values_list("pk", flat=True))
        indexed = set(SearchDocument.objects.values_list("page_id", flat=True))
        missing, stale = live - indexed, indexed - live
        self.stdout.write(f"已发布页面 {len(live)} 个，索引文档 {len(indexed)} 篇。")
        if missing:
            self.stdout.write(f"未入索引（{len(missing)}）：{sorted(missing)[:50]}")
        if stale:
            self.stdout.write(f"索引中多余（已下线/撤稿/关停）（{len(stale)}）：{sorted(stale)[:50]}")
        if missing or stale:
            raise CommandError("索引与页面不一致，请运行 search_index retry 或 rebuild。")
        self.stdout.write(self.style.SUCCESS("索引与页面一致。"))

    def do_retry(self):
        done = retry_pending()
        self.stdout.write(f"已重试并成功 {done} 个；仍待重试 {PendingUpdate.objects.count()} 个。")
