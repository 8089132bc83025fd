from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sites.importing import ImportFailed, find_column, import_file

STATUS_LABELS = {"created": "新建", "updated": "更新", "unchanged": "未变化，跳过", "failed": "失败"}


class Command(BaseCommand):
    help = "将 .txt、.html、.docx 文件导入为指定栏目下的文章（繁体、台湾用语自动转为大陆简体）。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="要导入的文件或目录")
        parser.add_argument("--site", required=True, help="站点代码，如 xiushui")
        parser.add_argument("--column", required=True, help="栏目别名，如 zcwj")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--publish", action="store_true", default=True, help="导入后直接发布（默认）")
        mode.add_argument("--draft", action="store_true", help="仅保存为草稿")
        parser.add_argument("--user", help="记为作者的用户名")
        parser.add_argument(
            "--issuer",
            help="发布机关，保存为文章来源（默认从文件中识别：“颁布单位：…”、“…人民政府令”、落款等；"
            "识别不到时使用 --source，再不行则留空并提示）",
        )
        parser.add_argument(
            "--source", default="",
            help="来源，如 九江市人民政府办公室（兼容旧用法：文件中写明了发布机关时以文件为准）",
        )
        parser.add_argument("--force", action="store_true", help="文件未变化也重新导入（如转换规则更新后）")
        parser.add_argument("--title", help="文章标题（仅导入单个文件时使用；默认取自文件内容）")

    def handle(self, *args, **options):
        try:
            column = find_column(options["site"], options["column"])
        except ImportFailed as exc:
            raise CommandError(str(exc))
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"用户“{options['user']}”不存在。")
        files = []
        for raw in options["paths"]:
            path = Path(raw)
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
        failed = 0
        for index, path in enumerate(files, start=1):
            result = import_file(
                path, column, publish=not options["draft"], user=user, source=options["source"],
                issuer=options["issuer"], title=options["title"] if len(files) == 1 else None,
                force=options["force"],
            )
            line = f"[{index}/{len(files)}] {path.name}: {STATUS_LABELS[result.status]}"
            if result.page is not None:
                line += f" 《{result.page.title}》"
            if result.status == "failed":
                failed += 1
                self.stderr.write(f"{line}：{result.message}")
            else:
                self.stdout.write(line)
            for note in result.notes:
                self.stdout.write(f"    {note}")
        self.stdout.write(f"完成：共 {len(files)} 个文件，失败 {failed} 个。")
        if failed:
            raise CommandError(f"{failed} 个文件导入失败。")
