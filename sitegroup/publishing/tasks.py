from django_tasks import task


@task()
def drain_static():
    from .apply import drain

    report = drain()
    return None if report is None else {"changes": report.changes, "failed": sorted(report.failed)}
