from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from review.dictionary import dictionary_for
from review.screening import BLOCK, screen_text, unreadable
from sitegroup.registry.models import SiteProfile
from sites.extraction import ExtractionError, extract_file_text


class Command(BaseCommand):
    help = "用与网站审查相同的规则和词库检查文件（.txt .html .docx .xlsx .pdf），发现阻断项时退出码为 1。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--site", help="同时使用该站点的词库（站点代码）")

    def handle(self, *args, **options):
        site_id = None
        if options["site"]:
            profile = SiteProfile.objects.filter(code=options["site"]).first()
            if profile is None:
                raise CommandError(f"站点代码“{options['site']}”不存在。")
            site_id = profile.pk
        dictionary = dictionary_for(site_id)
        blocked = total = 0
        for raw in options["paths"]:
            path = Path(raw)
            try:
                text = extract_file_text(path, path.name)
                findings = screen_text(text, path.name, dictionary)
            except (ExtractionError, OSError) as exc:
                message = str(exc) if isinstance(exc, ExtractionError) else "文件不存在或无法读取。"
                findings = [unreadable(path.name, message)]
            for finding in findings:
                total += 1
                blocked += finding.level == BLOCK
                context = f"…{finding.before}【{finding.matched}】{finding.after}…".replace("\n", " ")
                self.stdout.write(f"{finding.line()}  {context}")
        self.stdout.write(f"共 {len(options['paths'])} 个文件，发现 {total} 项，其中阻断 {blocked} 项。")
        if blocked:
            raise SystemExit(1)
