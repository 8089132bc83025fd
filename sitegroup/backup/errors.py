class BackupError(Exception):
    """A backup, restore or verification step failed. The message (Chinese) is
    shown to the operator as it is; the management commands turn it into a
    CommandError, so the process exits non-zero."""
