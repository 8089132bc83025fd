"""Per-address limits for public forms, counted in the database.

The embedded setup has no shared atomic cache (its file cache cannot increment
atomically, which is why django-ratelimit refuses it), and a count must hold
across every worker process. One row per address and window, incremented with
an UPDATE, holds on SQLite and PostgreSQL alike; a flood costs one row, not one
row per attempt.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import SubmissionCounter


def client_address(request) -> str:
    # The proxy in front of the application (nginx) sets REMOTE_ADDR through
    # its own configuration; a client-supplied X-Forwarded-For is never trusted.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, address: str) -> str:
    digest = hashlib.blake2b(f"{settings.SECRET_KEY}|{address}".encode(), digest_size=16).hexdigest()
    return f"{scope}:{digest}"


def _window_start(now, seconds):
    epoch = int(now.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % seconds, tz=datetime.UTC)


def count(scope: str, address: str, seconds: int, now=None) -> int:
    now = now or timezone.now()
    return SubmissionCounter.objects.filter(
        key=_key(scope, address), window_start=_window_start(now, seconds)
    ).values_list("count", flat=True).first() or 0


def hit(scope: str, address: str, seconds: int, now=None, report=True) -> int | None:
    """Count one more event; return the count in the current window (if ``report``)."""
    now = now or timezone.now()
    key, start = _key(scope, address), _window_start(now, seconds)
    updated = SubmissionCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                SubmissionCounter.objects.create(key=key, window_start=start, count=1)
            # A new window: forget windows older than a day while we are here.
            SubmissionCounter.objects.filter(window_start__lt=now - datetime.timedelta(days=2)).delete()
            return 1
        except IntegrityError:  # another process opened the window first
            SubmissionCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
    return count(scope, address, seconds, now) if report else None


class Throttled(Exception):
    """Too many submissions from one address; nothing is stored."""


def check_quota(prefix: str, address: str, hourly: int, daily: int):
    """Raise Throttled when the address used up its hourly or daily quota (counts nothing)."""
    if count(f"{prefix}-hour", address, 3600) >= hourly or count(f"{prefix}-day", address, 86400) >= daily:
        raise Throttled


def spend_quota(prefix: str, address: str):
    """Count one stored submission against both windows."""
    hit(f"{prefix}-hour", address, 3600, report=False)
    hit(f"{prefix}-day", address, 86400, report=False)


def count_attempt(scope: str, address: str, limit: int):
    """Every POST counts, failed ones too; beyond ``limit`` per 10 minutes it is refused."""
    if hit(scope, address, 600) > limit:
        raise Throttled
