from django.core.management.base import BaseCommand
from django.utils import timezone

from sites.interaction.models import InteractionSettings
from sites.interaction.stats import overdue_by_site


class Command(BaseCommand):
    help = (
        "检查政民互动留言的答复时限：列出各网站超期未答复的留言。有超期时退出码为 1；"
        "有效留言超过否决天数（默认 90 天）未答复时退出码为 2（单项否决条件），可用于定时任务。"
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        veto_days = InteractionSettings.load().veto_days
        found = overdue_by_site(today)
        for site in found:
            self.stdout.write(f"{site.site_name}：超期未答复 {len(site.open_overdue)} 条，"
                              f"超过 {veto_days} 天未答复 {len(site.veto)} 条")
            for message in site.open_overdue:
                days = (today - message.due_on).days
                self.stdout.write(f"    [超期 {days} 天] {message.code} {message.title}（期限 {message.due_on:%Y-%m-%d}）")
            for message in site.veto:
                waited = message.answer_days if message.answer_days is not None else (today - message.received_on).days
                self.stdout.write(f"    [单项否决] {message.code} {message.title}（收到 {message.received_on:%Y-%m-%d}，"
                                  f"{waited} 天{'后才答复' if message.answer_days is not None else '未答复'}）")
        late = sum(len(site.open_overdue) for site in found)
        vetoed = sum(len(site.veto) for site in found)
        self.stdout.write(f"共 {len(found)} 个网站有问题：超期 {late} 条，超过 {veto_days} 天未答复 {vetoed} 条。"
                          if found else "没有超期未答复的留言。")
        if vetoed:
            raise SystemExit(2)
        if late:
            raise SystemExit(1)
