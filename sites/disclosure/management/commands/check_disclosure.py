from django.core.management.base import BaseCommand
from django.utils import timezone

from sites.disclosure.stats import due_by_site


class Command(BaseCommand):
    help = "列出各网站超期和临近期限（到期前 5、2 个工作日）的依申请公开；有超期时退出码为 1，可用于定时任务。"

    def handle(self, *args, **options):
        today = timezone.localdate()
        found = due_by_site(today)
        for entry in found:
            self.stdout.write(f"{entry.site.name}：超期 {len(entry.overdue)} 件，临近期限 {len(entry.soon)} 件")
            for application in entry.overdue:
                self.stdout.write(f"    [超期 {(today - application.due_on).days} 天] {application.code}"
                                  f"（期限 {application.due_on:%Y-%m-%d}）")
            for application, left in entry.soon:
                self.stdout.write(f"    [还剩 {left} 个工作日] {application.code}（期限 {application.due_on:%Y-%m-%d}）")
        overdue = sum(len(entry.overdue) for entry in found)
        self.stdout.write(f"超期 {overdue} 件。" if found else "没有超期或临近期限的申请。")
        if overdue:
            raise SystemExit(1)
