from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sitegroup.evaluation import annual
from sitegroup.evaluation.services import parse_year
from sitegroup.registry.models import SiteProfile, SiteStatus


class Command(BaseCommand):
    help = "生成政府网站工作年度报表（Excel，每个网站一列），供每年 1 月 31 日前公开；默认上一年度、全部运行中的网站。"

    def add_arguments(self, parser):
        parser.add_argument("year", nargs="?", help="年度，如 2026（默认上一年度）")
        parser.add_argument("--site", action="append", dest="sites", metavar="CODE", help="只包含该站点（可重复）")
        parser.add_argument("--output", type=Path, help="Excel 文件（默认 annual-report-<年度>.xlsx）")

    def handle(self, *args, year=None, sites=None, output=None, **options):
        try:
            year = parse_year(year)
        except ValidationError as exc:
            raise CommandError(exc.messages[0])
        profiles = SiteProfile.objects.filter(status=SiteStatus.RUNNING)
        if sites:
            unknown = sorted(set(sites) - set(SiteProfile.objects.filter(code__in=sites).values_list("code", flat=True)))
            if unknown:
                raise CommandError(f"没有这些站点代码：{'、'.join(unknown)}")
            profiles = SiteProfile.objects.filter(code__in=sites)
        reports = annual.build(year, profiles)
        output = output or Path(f"annual-report-{year}.xlsx")
        output.write_bytes(annual.as_xlsx(reports, year))
        self.stdout.write(f"已生成 {year} 年度报表：{len(reports)} 个网站，{output}")
