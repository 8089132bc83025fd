"""What a restore is checked against, step by step (also ``restore --verify-only``)."""

import io

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from . import database, media
from .errors import BackupError


def row_counts(data: dict, say) -> int:
    """Every table's row count equals the manifest's. Audit events appended after
    the backup (the restore's own record among them) are allowed and reported."""
    from sitegroup.security.models import AuditEvent

    expected, actual = data["database"]["tables"], database.current_counts()
    audit_table, last_seq = AuditEvent._meta.db_table, data["database"].get("audit_last_seq")
    problems, appended = [], 0
    for table in sorted(set(expected) | set(actual)):
        if table not in actual:
            problems.append(f"{table} 缺失")
        elif table not in expected:
            problems.append(f"{table} 不在备份清单中")
        elif actual[table] != expected[table]:
            if table == audit_table and last_seq is not None and actual[table] > expected[table]:
                if AuditEvent.objects.filter(seq__lte=last_seq).count() == expected[table]:
                    appended = actual[table] - expected[table]
                    continue
            problems.append(f"{table} 应为 {expected[table]} 行，实际 {actual[table]} 行")
    if problems:
        shown = "；".join(problems[:8]) + (f" 等 {len(problems)} 处" if len(problems) > 8 else "")
        raise BackupError(f"行数校验失败：{shown}。")
    say(f"  {len(expected)} 张表、共 {sum(expected.values())} 行，与清单一致。")
    if appended:
        say(f"  另有备份之后追加的安全审计记录 {appended} 条（如本次恢复的记录）。")
    return len(expected)


def media_files(set_dir, data: dict, key, say) -> int:
    index = media.read_index(set_dir, data["media"], key)
    extra = media.verify(settings.MEDIA_ROOT, index, say)
    say(f"  {len(index)} 个媒体文件的 SHA-256 与备份一致。")
    if extra:
        say(f"  另有备份之后新增的媒体文件 {len(extra)} 个（如 {extra[0]}）。")
    return len(index)


def ledger(say) -> None:
    out = io.StringIO()
    try:
        call_command("verify_ledger", stdout=out, stderr=out)
    except CommandError as exc:
        raise BackupError(str(exc))
    for line in out.getvalue().splitlines():
        if line.strip():
            say(f"  {line.strip()}")


def site_homes(say) -> int:
    """GET / of every Wagtail site, as its own host, must answer 200."""
    from django.test import Client
    from wagtail.models import Site

    from sites.cache import purge_all

    purge_all()  # render from the database, not from pages cached before the restore
    sites = list(Site.objects.order_by("hostname", "port"))
    if not sites:
        say("  （数据库中没有站点）")
    client = Client(raise_request_exception=False)
    failures = []
    for site in sites:
        host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
        secure = site.port == 443 or settings.SECURE_SSL_REDIRECT
        response = client.get("/", HTTP_HOST=host, SERVER_PORT=str(site.port), secure=secure)
        say(f"  {site.site_name or site.hostname}（{host}）首页：HTTP {response.status_code}")
        if response.status_code == 400:
            failures.append(f"{host} 返回 HTTP 400（多为 ALLOWED_HOSTS 未包含该域名）")
        elif response.status_code != 200:
            failures.append(f"{host} 返回 HTTP {response.status_code}")
    if failures:
        raise BackupError("站点首页渲染失败：" + "；".join(failures) + "。")
    return len(sites)


def run_all(set_dir, data: dict, key, say) -> None:
    say("校验行数…")
    row_counts(data, say)
    say("校验媒体文件…")
    media_files(set_dir, data, key, say)
    say("校验责任台账与安全审计哈希链…")
    ledger(say)
    say("渲染各站点首页…")
    site_homes(say)
