"""The accountability ledger: append-only rows chained by SHA-256.

Each entry's hash covers its own fields and the previous entry's hash, so an
edited, inserted or deleted row breaks the chain at that point.
"""

import hashlib
import json

from django.utils import timezone

from sitegroup.security import chain

from .models import LedgerEntry

GENESIS = chain.GENESIS
LOCK_ID = 732_001  # PostgreSQL advisory lock serialising appends


def revision_hash(revision) -> str:
    if revision is None:
        return GENESIS
    content = json.dumps(revision.content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def compute_hash(entry: LedgerEntry) -> str:
    return chain.digest(entry.chain_fields())


def append(action, page, user=None, revision=None, **detail) -> LedgerEntry:
    def build(seq, prev_hash):
        return LedgerEntry(
            seq=seq,
            action=action,
            user=user if getattr(user, "pk", None) else None,
            username=getattr(user, "username", "") or "系统",
            page_id_ref=page.pk,
            page_title=page.title[:255],
            revision_id_ref=revision.pk if revision is not None else None,
            content_hash=revision_hash(revision),
            detail={k: v for k, v in detail.items() if v not in (None, "")},
            created_at=timezone.now().replace(microsecond=0),
            prev_hash=prev_hash,
        )

    return chain.append(LedgerEntry, LOCK_ID, build)


def verify():
    """Return (number of entries checked, first problem or None)."""
    return chain.verify(LedgerEntry.objects.all())
