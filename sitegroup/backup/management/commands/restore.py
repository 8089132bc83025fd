import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sitegroup.backup import crypto, services
from sitegroup.backup.errors import BackupError


class Command(BaseCommand):
    help = ("把备份集恢复到空数据库与空媒体目录，并逐项校验（SHA-256、行数、台账与审计哈希链、各站点首页）；"
            "--verify-only 只校验当前数据库。")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="备份集目录（var/backups/sitegroup-YYYYMMDD-HHMMSS）")
        parser.add_argument("--decrypt-key-file", type=Path, help="加密备份的密钥文件")
        parser.add_argument("--yes", action="store_true",
                            help="不再询问确认（非空的数据库或媒体目录仍然拒绝恢复）")
        parser.add_argument("--verify-only", action="store_true", help="不恢复，只用该备份校验当前数据库与媒体文件")

    def handle(self, *args, **options):
        try:
            path = options["decrypt_key_file"]
            key = crypto.load_key(path, warn=self.stderr.write) if path else None
            if options["verify_only"]:
                services.verify_backup(options["directory"], key=key, say=self.say)
            else:
                services.restore_backup(options["directory"], key=key, say=self.say,
                                        confirm=lambda summary: self.confirm(summary, options["yes"]))
        except BackupError as exc:
            raise CommandError(str(exc))

    def confirm(self, summary, yes):
        self.say(summary)
        if yes:
            return True
        if not sys.stdin.isatty():
            raise BackupError("非交互运行时请加 --yes 确认恢复（空库与空目录检查照样进行）。")
        return input("确认恢复请输入 yes：").strip().lower() == "yes"

    def say(self, line):
        self.stdout.write(line)
        self.stdout.flush()
