"""Settings shared by every environment of the site-group CMS."""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("SITEGROUP_VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    # Project apps. Each concern is its own app; keep this block sorted by concern.
    "sitegroup.registry",
    "sitegroup.workdays",
    "sitegroup.demo",
    "sitegroup.freshness",
    "sitegroup.filing",
    "sitegroup.duty",
    "sitegroup.notices",
    "sitegroup.inspection",
    "sitegroup.evaluation",
    "sites",
    "sites.interaction",
    "sites.disclosure",
    "themes",
    "review",
    "search",
    # --- apps added by feature work go above this line ---
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "captcha",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # the sitemap.xml template Wagtail's sitemap view renders
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous page cache sits before sessions/auth so a hit costs one cache read.
    "sites.cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "sitegroup.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "themes.context_processors.site_theme",
            ],
        },
    },
]

WSGI_APPLICATION = "sitegroup.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the public site read while an editor publishes; a busy timeout
    # turns brief write contention into a wait instead of "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# Fills the gaps in Wagtail's own zh_Hans catalog (see locale/zh_Hans/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = VAR_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Cross-process cache: gunicorn workers must all see a purge. Redis when
# configured, otherwise the filesystem, which needs no extra server.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "sitegroup"),
            "TIMEOUT": 3600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

# Background work (search index updates) is queued in the database and run by
# `manage.py db_worker`, so publishing never waits for the search engine.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Uploads. Limits are deliberately modest: these sites publish documents, not archives.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Pillow's own bomb guard trips at 2x its default; ours refuses much earlier with a clear message.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "ofd", "txt", "csv", "zip", "rar"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"

WAGTAIL_SITE_NAME = "九江市政府网站群"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://jiujiang.localhost:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
# Every site of the group runs on Beijing time; a per-user zone would only confuse dates.
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Government networks reach no external avatar service; Wagtail then shows its
# own default avatar (or an uploaded one) and no request leaves the server.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
# Reviewers publish by approving; what they approved is what goes live, and any
# edit during review sends the content back through every stage.
WAGTAIL_FINISH_WORKFLOW_ACTION = "review.finish.publish_approved"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Public search: "embedded" (the project's database) or "elasticsearch".
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "embedded")
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
ELASTICSEARCH_INDEX = os.environ.get("ELASTICSEARCH_INDEX", "sitegroup-pages")

WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}

# Name of the group-wide oversight group (市政府信息办).
SITEGROUP_OFFICE_GROUP = "市政府信息办"
# Builds a new site's home page and columns (the registry sits below the page
# types in the dependency order, so it is handed the builder, not importing it).
SITEGROUP_PAGE_TREE_BUILDER = "sites.provisioning.build_page_tree"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "sitegroup": {"level": "INFO"},
        "review": {"level": "INFO"},
        "search": {"level": "INFO"},
        "sites": {"level": "INFO"},
    },
}

# Public-form image challenge (django-simple-captcha): short, case-insensitive, 5 minutes.
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 5
CAPTCHA_IMAGE_SIZE = (120, 40)
CAPTCHA_FONT_SIZE = 28
