from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sitegroup.evaluation.services import parse_month, previous_month, take_snapshot


class Command(BaseCommand):
    help = "计算并保存各网站的月度绩效评估快照（默认上个月；重复运行会覆盖同月快照），可由定时任务每月 1 日运行。"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="评估月份，如 2026-10；默认上个月")

    def handle(self, *args, month=None, **options):
        try:
            first = parse_month(month) if month else previous_month(parse_month(None))
        except ValidationError as exc:
            raise CommandError(exc.messages[0])
        snapshots = take_snapshot(first)
        for snapshot in snapshots:
            self.stdout.write(f"{snapshot.profile.name}\t{snapshot.total}\t{snapshot.grade}")
        self.stdout.write(self.style.SUCCESS(f"已保存 {first:%Y-%m} 共 {len(snapshots)} 个网站的评估快照。"))
