from django.core.management.base import BaseCommand

from sitegroup.inspection.checker import ExternalChecker
from sitegroup.inspection.services import inspect


class Command(BaseCommand):
    help = "网上巡查：检查所有已发布页面中的站内链接和外部链接；中断后再次运行会从上次停下的地方继续。"

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=8)
        parser.add_argument("--timeout", type=float, default=10.0)
        parser.add_argument("--delay", type=float, default=0.5, help="同一网站两次请求的最小间隔（秒）")

    def handle(self, *args, **options):
        checker = ExternalChecker(options["concurrency"], options["timeout"], options["delay"])
        run = inspect(
            checker=checker,
            progress=lambda done, total: self.stdout.write(f"  已检查 {done}/{total} 个页面", ending="\r"),
        )
        self.stdout.write("")
        self.stdout.write(f"巡查完成：发现失效链接 {run.broken.count()} 个。")
        for link in run.broken.select_related("site__site")[:200]:
            self.stdout.write(f"[{link.site.name}] 《{link.page_title}》 {link.url} —— {link.problem}")
