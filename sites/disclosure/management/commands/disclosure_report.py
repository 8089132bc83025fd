import sys

from django.core.management.base import BaseCommand, CommandError

from sitegroup.registry.models import SiteProfile
from sites.disclosure.report import build
from sites.disclosure.report_export import to_csv, to_html, to_xlsx


class Command(BaseCommand):
    help = "生成网站的政府信息公开工作年度报告表格（csv、xlsx 或 html）；数据不平衡时退出码为 1。"

    def add_arguments(self, parser):
        parser.add_argument("site_code")
        parser.add_argument("year", type=int)
        parser.add_argument("--format", choices=["csv", "xlsx", "html"], default="csv")
        parser.add_argument("--output", help="写入文件（xlsx 默认写到标准输出的二进制流）")

    def handle(self, site_code, year, **options):
        profile = SiteProfile.objects.filter(code=site_code).select_related("site__root_page").first()
        if profile is None:
            raise CommandError(f"未知的网站代码：{site_code}")
        if not 2008 <= year <= 2100:
            raise CommandError("年度应为 2008 年以后的四位年份。")
        report = build(profile, year)
        fmt = options["format"]
        body = {"csv": to_csv, "html": to_html, "xlsx": to_xlsx}[fmt](report)
        if options["output"]:
            mode = "wb" if fmt == "xlsx" else "w"
            with open(options["output"], mode, **({} if fmt == "xlsx" else {"encoding": "utf-8"})) as out:
                out.write(body)
        elif fmt == "xlsx":
            sys.stdout.buffer.write(body)
        else:
            self.stdout.write(body)
        for problem in report.problems:
            self.stderr.write(f"不平衡：{problem}")
        if report.problems:
            raise SystemExit(1)
