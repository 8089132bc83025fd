import sys
import time

from django.core.management.base import BaseCommand, CommandError

from sitegroup.publishing import changes, services
from sitegroup.publishing.verify import LABELS


class Command(BaseCommand):
    help = ("防篡改校验：逐个比对静态发布目标中的文件与发布清单（SHA-256），恢复被改动或删除的文件，"
            "删除多出的文件，记入问责台账并通知市政府信息办；发现问题时退出码为 1（供 cron 每分钟运行）。")

    def add_arguments(self, parser):
        parser.add_argument("--site", action="append", dest="sites", metavar="CODE",
                            help="只校验该站点的目录（可重复；可按站点分组并行运行，不含公共资源 _shared）")
        parser.add_argument("--full", action="store_true",
                            help="计算每个文件的 SHA-256（默认只计算大小或修改时间变化了的文件；建议每小时运行一次 --full）")

    def handle(self, *args, **options):
        if not changes.enabled():
            self.stdout.write("静态发布未开启，无需校验。")
            return
        started = time.monotonic()
        try:
            report = services.check_and_restore(full=options["full"], site_codes=options["sites"])
        except services.PublishError as exc:
            raise CommandError(str(exc))
        seconds = time.monotonic() - started
        for finding in report.findings:
            self.stdout.write(f"{LABELS[finding.problem]}：{finding.target}:{finding.key}（已恢复）")
        for error in report.errors:
            self.stderr.write(f"无法校验目标 {error}")
        # Changes queued while nobody drained (a worker outage) are applied too.
        drained = services.drain(wait=5.0)
        if drained is not None and drained.failed:
            for name, error in sorted(drained.failed.items()):
                self.stderr.write(f"目标 {name} 写入失败：{error}")
        self.stdout.write(f"校验 {report.checked} 个文件（计算摘要 {report.hashed} 个，{seconds:.2f} 秒），"
                          f"发现 {len(report.findings)} 处改动。")
        if report.findings or report.errors:
            sys.exit(1)
