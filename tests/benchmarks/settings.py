"""Settings for benchmark servers: production-like (DEBUG off) but on loopback."""

import os

from sitegroup.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-only-key"
ALLOWED_HOSTS = ["*"]
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}

# bench_static: the static tree goes to every directory named here (two web nodes).
if os.environ.get("BENCH_PUBLISH_ROOTS"):
    STATIC_PUBLISH_TARGETS = {
        f"node{n}": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}}
        for n, root in enumerate(os.environ["BENCH_PUBLISH_ROOTS"].split(os.pathsep), start=1)
    }
