import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from sitegroup.demo import loader
from sitegroup.demo.sites_data import SITES


class Command(BaseCommand):
    help = "创建演示站点群（中国九江、13 个县市区和市直部门网站），可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--sites", help="只创建这些站点，逗号分隔，如 jiujiang,xiushui")
        parser.add_argument("--articles-per-column", type=int, default=6, help="每个栏目的文章数（默认 6）")
        parser.add_argument("--seeds", help="法规原文目录（默认 ../shared/seeds）")

    def handle(self, *args, **options):
        # The demo's reviews are real, but nobody needs hundreds of workflow emails about them.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self._load(options)

    def _load(self, options):
        wanted = {c.strip() for c in (options["sites"] or "").split(",") if c.strip()}
        known = {site.code for site in SITES}
        if wanted - known:
            raise CommandError(f"未知的站点代码：{'、'.join(sorted(wanted - known))}")
        sites = [site for site in SITES if not wanted or site.code in wanted]
        per_column = max(0, options["articles_per_column"])
        started = time.perf_counter()
        for index, site in enumerate(sites, start=1):
            profile, created = loader.ensure_site(site)
            articles = loader.ensure_articles(profile, site, per_column)
            state = "新建站点" if created else "站点已存在"
            self.stdout.write(
                f"[{index}/{len(sites)}] {site.name}（{site.code}.localhost:8000）：{state}，新增文章 {articles} 篇"
            )
        seeds_dir = Path(options["seeds"]) if options["seeds"] else loader.default_seeds_dir()
        for result in loader.import_seeds(seeds_dir):
            if result.status == "failed":
                self.stderr.write(f"法规导入失败 {result.path.name}：{result.message}")
            else:
                self.stdout.write(f"法规《{result.page.title}》：{ {'created': '已发布', 'updated': '已更新', 'unchanged': '未变化'}[result.status] }")
        made = loader.ensure_users()
        if made:
            self.stdout.write(f"新建演示账号：{'、'.join(made)}（密码均为 {loader.DEMO_PASSWORD}）")
        loader.ensure_duty()
        applications = loader.ensure_disclosure()
        if applications:
            self.stdout.write(f"政府信息公开：演示依申请公开 {applications} 件。")
        channels, messages = loader.ensure_interaction()
        if channels or messages:
            self.stdout.write(f"政民互动：新建互动渠道 {channels} 个，演示留言 {messages} 条。")
        services, probes = loader.ensure_national_indicators()
        if services or probes:
            self.stdout.write(f"国家检查指标：新建办事服务入口 {services} 个，可用性监测记录 {probes} 条。")
        offers = loader.ensure_syndication()
        if offers:
            self.stdout.write(f"信息报送：各站点向门户报送信息 {offers} 条（已采用、待处理、已退回均有）。")
        if loader.release_media_once():
            self.stdout.write("已登记已发布页面使用的图片和文件（首次升级）。")
        self.stdout.write(f"演示站点群就绪，用时 {time.perf_counter() - started:.1f} 秒。门户：http://jiujiang.localhost:8000/")
