from django.core.management.base import BaseCommand, CommandError

from sitegroup.publishing import services


class Command(BaseCommand):
    help = ("把运行中站点的全部公开页面及其使用的静态资源发布到每个静态发布目标；"
            "中断后再次运行从断点继续，--restart 重新开始。")

    def add_arguments(self, parser):
        parser.add_argument("--site", action="append", dest="sites", metavar="CODE",
                            help="只发布该站点（站点代码，可重复）")
        parser.add_argument("--restart", action="store_true", help="不续传上次未完成的发布，重新开始")

    def handle(self, *args, **options):
        try:
            report = services.publish_all(options["sites"], restart=options["restart"], progress=self.progress)
        except services.PublishError as exc:
            raise CommandError(str(exc))
        written = "，".join(f"{name} 写入 {n} 个文件" for name, n in sorted(report.written.items())) or "没有文件需要更新"
        self.stdout.write(f"完成：处理 {report.changes} 项，生成 {len(report.rendered)} 页，"
                          f"移除 {len(report.removed)} 页；{written}。")
        for name, error in sorted(report.failed.items()):
            self.stderr.write(f"目标 {name} 写入失败，稍后自动重试：{error}")
        if report.failed:
            raise CommandError("部分发布目标未完成，已排队重试。")

    def progress(self, done, total, seconds):
        rate = done / seconds if seconds > 0 else 0.0
        self.stdout.write(f"已发布 {done}/{total or done}（{rate:.1f} 页/秒）")
        self.stdout.flush()
