from django.core.management.base import BaseCommand

from sitegroup.notices.services import send_reminders


class Command(BaseCommand):
    help = "向责任人发送栏目超期、即将超期和读网记录逾期提醒（同一事项每天最多一次），可由定时任务每天运行。"

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"已发送 {sent} 封提醒邮件。")
