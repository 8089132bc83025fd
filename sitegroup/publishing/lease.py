"""One publishing worker at a time (see ``models.Lease``)."""

import contextlib
import time
import uuid
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import Lease

NAME = "static"
SECONDS = 120


class Busy(Exception):
    """Another worker holds the lease."""


def _take(owner):
    now = timezone.now()
    Lease.objects.get_or_create(name=NAME)
    return Lease.objects.filter(Q(until__isnull=True) | Q(until__lt=now) | Q(owner=owner), name=NAME).update(
        owner=owner, until=now + timedelta(seconds=SECONDS)
    ) == 1


def renew(owner):
    Lease.objects.filter(name=NAME, owner=owner).update(until=timezone.now() + timedelta(seconds=SECONDS))


@contextlib.contextmanager
def held(wait=0.0):
    """Hold the lease for the block; wait up to ``wait`` seconds for it, else raise Busy."""
    owner = uuid.uuid4().hex
    deadline = time.monotonic() + wait
    while not _take(owner):
        if time.monotonic() >= deadline:
            raise Busy
        time.sleep(0.2)
    try:
        yield owner
    finally:
        Lease.objects.filter(name=NAME, owner=owner).update(owner="", until=None)
