"""Run in a subprocess with the settings and DATABASE_URL of a round trip
(``python -m tests.backup.drill populate|report``): ``populate`` builds a small
site group plus media files; ``report`` prints what a test compares: the row
count of every table, the security audit trail, the ledger check, each site
home's status and the SHA-256 of every media file. Both print one JSON line."""

import hashlib
import json
import sys

import django

EXTRA_MEDIA = "drill/原始数据.bin"
EXTRA_BYTES = bytes(range(256)) * 41 + b"\x00end"


def populate():
    from pathlib import Path

    from django.conf import settings

    from sitegroup.security.audit import record
    from sitegroup.security.models import AuditKind
    from tests.factories import column, make_article, make_document, make_image, make_site, make_user

    make_site("portal")
    county = make_site("county")
    editor = make_user("bk_editor", county, "editor")
    make_article(column(county, "ywdt"), "备份恢复演练通知", body="恢复之后应当原样可见。")
    image = make_image(county.collection, title="演练图片")
    document = make_document(county.collection, title="演练附件", content=b"%PDF-1.4\n%backup drill\n")
    record(AuditKind.LOGIN, editor, target="populate")
    extra = Path(settings.MEDIA_ROOT) / EXTRA_MEDIA
    extra.parent.mkdir(parents=True, exist_ok=True)
    extra.write_bytes(EXTRA_BYTES)
    return {"media": [image.file.name, document.file.name, EXTRA_MEDIA]}


def report():
    from pathlib import Path

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from wagtail.models import Site

    from review.ledger import verify as verify_ledger
    from sitegroup.security.audit import verify as verify_audit
    from sitegroup.security.models import AuditEvent

    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    media_root = Path(settings.MEDIA_ROOT)
    media = {
        path.relative_to(media_root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media_root.rglob("*")) if path.is_file()
    } if media_root.is_dir() else {}
    homes = {}
    if counts:
        client = Client()
        for site in Site.objects.all():
            response = client.get("/", HTTP_HOST=site.hostname)
            homes[site.hostname] = [response.status_code, site.site_name in response.content.decode()]
    return {
        "counts": counts,
        "audit": [[e.kind, e.target, e.detail] for e in AuditEvent.objects.order_by("seq")] if counts else [],
        "ledger": list(verify_ledger()) if counts else None,
        "audit_chain": list(verify_audit()) if counts else None,
        "homes": homes,
        "media": media,
    }


if __name__ == "__main__":
    django.setup()
    action = {"populate": populate, "report": report}[sys.argv[1]]
    print(json.dumps(action(), ensure_ascii=False))
