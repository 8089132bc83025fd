from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from search.task_recovery import new_worker_id, requeue_abandoned


class Command(DatabaseWorkerCommand):
    help = (
        "后台任务进程（检索索引更新等）：先把进程意外终止时未完成的任务重新排队，再处理队列。"
        "参数同 db_worker；--recover-only 只重新排队后退出（可由 cron 定时运行）。"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # host:pid:random, so that a later worker can tell this one has died.
        parser.set_defaults(worker_id=None)
        parser.add_argument(
            "--recover-only", action="store_true",
            help="只把工作进程已终止或运行超时的任务重新排队，然后退出。",
        )

    def handle(self, *args, recover_only=False, worker_id=None, **options):
        requeued = requeue_abandoned()
        if requeued or recover_only:
            self.stdout.write(f"已重新排队 {requeued} 个中断的任务。")
        if recover_only:
            return
        super().handle(*args, worker_id=worker_id or new_worker_id(), **options)
