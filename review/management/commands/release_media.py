from django.core.management.base import BaseCommand

from review.release import rebuild


class Command(BaseCommand):
    help = "重新登记所有已发布页面使用的图片和文件（升级或恢复数据后运行；可重复运行）。"

    def handle(self, *args, **options):
        total = rebuild(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"完成：共登记 {total} 个已发布媒体。"))
