from django.core.management.base import BaseCommand, CommandError

from review.ledger import verify
from sitegroup.security import audit


class Command(BaseCommand):
    help = "校验责任台账和安全审计记录的哈希链，报告第一处断链。"

    def handle(self, *args, **options):
        failures = []
        for label, check in (("责任台账", verify), ("安全审计记录", audit.verify)):
            count, problem = check()
            if problem:
                failures.append(f"{label}校验失败：{problem}（已校验 {count} 条）")
                self.stderr.write(failures[-1])
            else:
                self.stdout.write(f"{label}完整：共 {count} 条记录，哈希链无断裂。")
        if failures:
            raise CommandError("；".join(failures))
