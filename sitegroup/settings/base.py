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
    "sitegroup.security",
    "sitegroup.backup",
    "sitegroup.publishing",
    "sitegroup.availability",
    "sitegroup.syndication",
    # --- apps added by feature work go above this line ---
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "sitegroup.security.apps.UsersConfig",  # wagtail.users with the 三员分立 check
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
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
    # Security (sitegroup.security): who is acting, for the audit trail; the second
    # factor; idle timeout and password expiry; sign-in lockout (django-axes, last
    # among these as its documentation asks).
    "sitegroup.security.middleware.AuditContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sitegroup.security.middleware.AdminSessionPolicyMiddleware",
    "sitegroup.security.middleware.SecondFactorMiddleware",
    "sitegroup.security.middleware.ExportAuditMiddleware",
    # django-csp with a separate, documented policy for the admin (settings/csp.py).
    "sitegroup.security.csp_middleware.SitegroupCSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    # An upload the disk refused (full, read-only) gets a Chinese message, not the error page.
    "sites.upload_errors.StorageErrorMiddleware",
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

# Passwords (GB/T 22239-2019 8.1.4.1 身份鉴别): length, three of four character
# classes, none of the last five, changed every 90 days.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sitegroup.security.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "sitegroup.security.passwords.ReuseValidator", "OPTIONS": {"history": 5}},
]
SECURITY_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("SECURITY_PASSWORD_MAX_AGE_DAYS", "90"))
# Admin sessions end after this long without a request (登录连接超时自动退出).
SECURITY_ADMIN_IDLE_MINUTES = int(os.environ.get("SECURITY_ADMIN_IDLE_MINUTES", "30"))
# Second factor: required for reviewers, site administrators, the group office, the
# three separated security roles and superusers; SECURITY_2FA_FOR_EVERYONE widens it
# to every admin user, SECURITY_2FA_ENFORCED=0 switches enforcement off (tests only).
SECURITY_2FA_ENFORCED = os.environ.get("SECURITY_2FA_ENFORCED", "1") == "1"
SECURITY_2FA_FOR_EVERYONE = os.environ.get("SECURITY_2FA_FOR_EVERYONE", "0") == "1"
SECURITY_BACKUP_CODES = 10
OTP_TOTP_ISSUER = "九江市政府网站群"
# 三员分立: one account may hold at most one of these groups.
# Office-maintained rules whose changes the audit trail records (Wagtail settings
# models are recorded without being listed).
SECURITY_AUDITED_MODELS = [
    "registry.SiteProfile", "review.WordList", "review.Term", "review.ReviewPolicy", "review.StageAssignment",
    "freshness.FreshnessRule", "disclosure.SiteDisclosureRule", "workdays.CalendarYear", "workdays.CalendarDay",
]
SECURITY_SYSTEM_ADMIN_GROUP = "系统管理员"
SECURITY_SECURITY_ADMIN_GROUP = "安全管理员"
SECURITY_AUDITOR_GROUP = "安全审计员"

# Sign-in lockout (django-axes): five failures per account, or from one address,
# lock it for 30 minutes; the group office or the security administrator unlocks.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Behind nginx every request comes from 127.0.0.1: count the proxies in front of
# Django so lockouts and the audit trail see the visitor's address.
SECURITY_TRUSTED_PROXY_COUNT = int(os.environ.get("SECURITY_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "sitegroup.security.audit.client_address"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
# The audit trail records every sign-in; axes keeps only the failure counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

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
    # Removes what a failed write (disk full) left half-written.
    "default": {"BACKEND": "sites.storage.FileSystemStorage"},
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

# Static publishing (sitegroup.publishing): every live public page rendered to a
# file tree that nginx serves on the public network, while Django (and the admin)
# stays on the internal address. Off by default: `make run` serves dynamically.
STATIC_PUBLISH_ENABLED = os.environ.get("STATIC_PUBLISH_ENABLED", "0") == "1"
# Where the tree is written: any number of Django storages (STORAGES syntax), each
# receiving every change, e.g. two web nodes' directories and an S3 bucket
# ("storages.backends.s3.S3Storage" with bucket_name, endpoint_url, ...).
STATIC_PUBLISH_TARGETS = {
    "local": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("STATIC_PUBLISH_ROOT", str(VAR_DIR / "public"))},
    },
}
# A target that fails is retried after this many seconds, doubling up to the cap.
STATIC_PUBLISH_RETRY_SECONDS = 5
STATIC_PUBLISH_RETRY_MAX_SECONDS = 300
# The generated nginx configuration (manage.py nginx_config): where visitors
# connect, where the application listens, and the internal-only address that
# also serves /admin/.
STATIC_PUBLISH_NGINX = {
    "listen": os.environ.get("STATIC_PUBLISH_LISTEN", "80"),
    "internal_listen": os.environ.get("STATIC_PUBLISH_INTERNAL_LISTEN", "127.0.0.1:8081"),
    "upstream": os.environ.get("STATIC_PUBLISH_UPSTREAM", "127.0.0.1:8000"),
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

# Content-Security-Policy (django-csp): its own module, documented there.
from .csp import *  # noqa: E402, F403
