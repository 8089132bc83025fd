import datetime

from django.core.management.base import BaseCommand, CommandError

from sitegroup.workdays.calendar import MAX_DAYS, add_working_days


class Command(BaseCommand):
    help = "打印 DATE 之后第 N 个工作日（受理当日不计），格式 YYYY-MM-DD。"

    def add_arguments(self, parser):
        parser.add_argument("date", help="起算日期，如 2026-09-30")
        parser.add_argument("days", help="工作日数，如 20")

    def handle(self, *args, **options):
        try:
            start = datetime.date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(f"日期无效：{options['date']}（请使用 YYYY-MM-DD，如 2026-09-30）。")
        try:
            days = int(options["days"])
        except ValueError:
            raise CommandError(f"工作日数无效：{options['days']}（请填写整数）。")
        if not 0 <= days <= MAX_DAYS:
            raise CommandError(f"工作日数须在 0 到 {MAX_DAYS} 之间。")
        self.stdout.write(f"{add_working_days(start, days):%Y-%m-%d}")
