"""Facts other apps may record: the accountability ledger keeps every action
on an application (review.ledger connects to this; this app never imports it)."""

from django.dispatch import Signal

# sender=Application; kwargs: application, action (kinds.Event value), user, note
application_changed = Signal()
