"""The accountability ledger: append-only rows chained by SHA-256.

Each entry's hash covers its own fields and the previous entry's hash, so an
edited, inserted or deleted row breaks the chain at that point.
"""

import hashlib
import json

from django.db import connection, transaction
from django.utils import timezone

from .models import LedgerEntry

GENESIS = "0" * 64
LOCK_ID = 732_001  # PostgreSQL advisory lock serialising appends


def revision_hash(revision) -> str:
    if revision is None:
        return GENESIS
    content = json.dumps(revision.content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def _payload(entry: LedgerEntry) -> str:
    return json.dumps(
        {
            "seq": entry.seq, "action": entry.action, "user": entry.user_id, "username": entry.username,
            "page": entry.page_id_ref, "title": entry.page_title, "revision": entry.revision_id_ref,
            "content": entry.content_hash, "detail": entry.detail,
            "at": entry.created_at.isoformat(), "prev": entry.prev_hash,
        },
        sort_keys=True, ensure_ascii=False,
    )


def compute_hash(entry: LedgerEntry) -> str:
    return hashlib.sha256(_payload(entry).encode()).hexdigest()


def append(action, page, user=None, revision=None, **detail) -> LedgerEntry:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
        # On SQLite the IMMEDIATE transaction mode already holds the write lock here.
        last = LedgerEntry.objects.order_by("-seq").only("seq", "entry_hash").first()
        entry = LedgerEntry(
            seq=(last.seq + 1) if last else 1,
            action=action,
            user=user if getattr(user, "pk", None) else None,
            username=getattr(user, "username", "") or "系统",
            page_id_ref=page.pk,
            page_title=page.title[:255],
            revision_id_ref=revision.pk if revision is not None else None,
            content_hash=revision_hash(revision),
            detail={k: v for k, v in detail.items() if v not in (None, "")},
            created_at=timezone.now().replace(microsecond=0),
            prev_hash=last.entry_hash if last else GENESIS,
        )
        entry.entry_hash = compute_hash(entry)
        entry.save()
        return entry


def verify():
    """Return (number of entries checked, first problem or None)."""
    previous_hash, expected_seq, count = GENESIS, 1, 0
    for entry in LedgerEntry.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if entry.seq != expected_seq:
            return count, f"第 {expected_seq} 条缺失或序号被改动（实际读到第 {entry.seq} 条）"
        if entry.prev_hash != previous_hash:
            return count, f"第 {entry.seq} 条的前序哈希与上一条不符（有记录被删除、插入或改动）"
        if compute_hash(entry) != entry.entry_hash:
            return count, f"第 {entry.seq} 条内容被改动（哈希不符）"
        previous_hash, expected_seq = entry.entry_hash, expected_seq + 1
    return count, None
