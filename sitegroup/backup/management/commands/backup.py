from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sitegroup.backup import crypto, services, sets
from sitegroup.backup.errors import BackupError


class Command(BaseCommand):
    help = ("备份数据库与媒体文件到带时间戳的新目录，清单记录每个文件的 SHA-256 与每张表的行数；"
            "可加密，按份数保留。")

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="备份根目录（默认 BACKUP_ROOT，即 var/backups）")
        parser.add_argument("--encrypt-key-file", type=Path,
                            help="用该密钥文件加密数据库与媒体归档（32 字节，十六进制或 Base64）")
        parser.add_argument("--keep", type=int, help="保留最近 N 份完整备份（默认 BACKUP_KEEP，即 14）")

    def handle(self, *args, **options):
        keep = options["keep"] if options["keep"] is not None else sets.default_keep()
        try:
            path = options["encrypt_key_file"]
            key = crypto.load_key(path, warn=self.stderr.write) if path else None
            services.make_backup(options["output"] or sets.default_root(), key=key, keep=keep, say=self.say)
        except BackupError as exc:
            raise CommandError(str(exc))

    def say(self, line):
        self.stdout.write(line)
        self.stdout.flush()
