"""The security audit trail: one call records one event.

Callers pass the acting user explicitly. Model signals (user, group and
permission changes made through Wagtail's own views) cannot, so the request
middleware leaves the request's user and address in a context variable that
only ``record`` reads."""

from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import chain
from .models import AuditEvent, AuditKind

LOCK_ID = 732_002  # PostgreSQL advisory lock serialising appends (the ledger uses 732_001)

# (user, address) of the request being served, set by AuditContextMiddleware.
current = ContextVar("sitegroup_audit_request", default=(None, ""))


def client_address(request) -> str:
    """The visitor's address: REMOTE_ADDR, or, behind SECURITY_TRUSTED_PROXY_COUNT
    reverse proxies (nginx), the address the outermost trusted proxy saw. Only the
    proxies' own entries of X-Forwarded-For are trusted; a visitor can forge the rest.
    Also django-axes' AXES_CLIENT_IP_CALLABLE, so lockouts and the trail agree."""
    if request is None:
        return ""
    proxies = settings.SECURITY_TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies][:64]
    return (request.META.get("REMOTE_ADDR") or "")[:64]


def record(kind: str, actor=None, *, request=None, target="", username="", **detail) -> AuditEvent:
    """Append one event. ``actor`` is the acting user (None: the request's, or the system)."""
    assert kind in AuditKind.values, kind
    context_user, context_address = current.get()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is None:
        actor = context_user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    address = client_address(request) if request is not None else context_address

    def build(seq, prev_hash):
        return AuditEvent(
            seq=seq, kind=kind,
            actor_ref=getattr(actor, "pk", None),
            actor_name=(getattr(actor, "username", "") or username or "系统")[:150],
            address=address, target=str(target)[:255],
            detail={k: v for k, v in detail.items() if v not in (None, "")},
            created_at=timezone.now().replace(microsecond=0),
            prev_hash=prev_hash,
        )

    return chain.append(AuditEvent, LOCK_ID, build)


def verify():
    return chain.verify(AuditEvent.objects.all())


# Changes announced by model signals are gathered per transaction and written once it
# commits: one event per changed object (a group's forty new page permissions are one
# event, not forty), and nothing for a change that was rolled back.
def defer(kind: str, target: str, change: str):
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        record(kind, target=target, changes=[change])
        return
    state = getattr(conn, "sitegroup_audit_pending", None)
    # Django replaces its list of commit callbacks on every commit and rollback (of a
    # savepoint too): a new list means the callbacks behind ``state`` ran or were dropped.
    if state is None or state["callbacks"] is not conn.run_on_commit:
        state = {"callbacks": conn.run_on_commit, "by_key": {}}
        conn.sitegroup_audit_pending = state
    changes = state["by_key"].get((kind, target))
    if changes is None:
        changes = state["by_key"][(kind, target)] = []
        actor, address = current.get()
        transaction.on_commit(lambda: _flush(state, kind, target, changes, actor, address))
    changes.append(change)


def _flush(state, kind, target, changes, actor, address):
    state["by_key"].pop((kind, target), None)  # later changes start a new event
    token = current.set((actor, address))
    try:
        shown = changes[:50]
        record(kind, target=target, changes=shown, more=max(0, len(changes) - len(shown)) or None)
    finally:
        current.reset(token)
