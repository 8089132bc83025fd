from django.core.management.base import BaseCommand

from sitegroup.availability import services


class Command(BaseCommand):
    help = ("可用性监测：通过公众访问地址打开每个运行中网站的首页一次（超时见可用性监测设置，默认 15 秒）并记录结果；"
            "有网站打不开时退出码为 1。按国家检查指标每天至少 20 次，建议 cron 每小时至少运行一次，例如每 5 分钟。")

    def handle(self, *args, **options):
        failed = 0
        for probe in services.probe_all(progress=None):
            if probe.ok:
                self.stdout.write(f"正常 {probe.profile.name} {probe.url}（{probe.seconds:.2f} 秒）")
            else:
                failed += 1
                self.stdout.write(f"失败 {probe.profile.name} {probe.url}：{probe.error}")
        if failed:
            self.stderr.write(f"{failed} 个网站首页无法正常访问。")
            raise SystemExit(1)
