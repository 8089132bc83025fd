"""Settings for the backup round trips, which run manage.py in subprocesses:
the shared test settings give every process its own media directory, so a
backup and the restore that follows would not see the same one."""

from sitegroup.settings.test import *  # noqa: F403
from sitegroup.settings.test import VAR_DIR

MEDIA_ROOT = VAR_DIR / "media"
