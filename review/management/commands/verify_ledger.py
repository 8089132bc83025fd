from django.core.management.base import BaseCommand, CommandError

from review.ledger import verify


class Command(BaseCommand):
    help = "校验责任台账的哈希链，报告第一处断链。"

    def handle(self, *args, **options):
        count, problem = verify()
        if problem:
            raise CommandError(f"台账校验失败：{problem}（已校验 {count} 条）")
        self.stdout.write(f"台账完整：共 {count} 条记录，哈希链无断裂。")
