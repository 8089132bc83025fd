"""Append-only tables chained by SHA-256: the accountability ledger (review)
and the security audit trail both keep their rows this way.

Each row's hash covers its own fields and the previous row's hash, so an
edited, inserted or deleted row breaks the chain at that point."""

import hashlib
import json

from django.db import connection, transaction

GENESIS = "0" * 64


def digest(fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def append(model, lock_id: int, build):
    """Append one row to ``model``'s chain. ``build(seq, prev_hash)`` returns the
    unsaved row with every field but ``entry_hash``; ``row.chain_fields()`` is hashed."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
        # On SQLite the IMMEDIATE transaction mode already holds the write lock here.
        last = model.objects.order_by("-seq").only("seq", "entry_hash").first()
        row = build((last.seq + 1) if last else 1, last.entry_hash if last else GENESIS)
        row.entry_hash = digest(row.chain_fields())
        row.save()
        return row


def verify(queryset):
    """Return (number of rows checked, first problem or None)."""
    previous_hash, expected_seq, count = GENESIS, 1, 0
    for row in queryset.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if row.seq != expected_seq:
            return count, f"第 {expected_seq} 条缺失或序号被改动（实际读到第 {row.seq} 条）"
        if row.prev_hash != previous_hash:
            return count, f"第 {row.seq} 条的前序哈希与上一条不符（有记录被删除、插入或改动）"
        if digest(row.chain_fields()) != row.entry_hash:
            return count, f"第 {row.seq} 条内容被改动（哈希不符）"
        previous_hash, expected_seq = row.entry_hash, expected_seq + 1
    return count, None
