from django.core.management.base import BaseCommand

from sitegroup.freshness.assess import GREEN, RED, assess


class Command(BaseCommand):
    help = "按更新期限检查所有运行中网站的首页和栏目；有红色（超期或空白）时退出码为 1，可用于定时任务。"

    def handle(self, *args, **options):
        results = assess()
        red = 0
        for site in results:
            self.stdout.write(f"[{site.label}] {site.profile.name}")
            for finding in site.findings:
                if finding.status != GREEN:
                    self.stdout.write(f"    [{finding.label}] {finding.message}")
            red += site.status == RED
        self.stdout.write(f"共检查 {len(results)} 个网站，超期 {red} 个。")
        if red:
            raise SystemExit(1)
