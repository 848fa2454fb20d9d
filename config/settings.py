"""One settings file, driven by the environment (see README "Configuration").

Defaults run on a fresh machine with nothing else installed: SQLite and
Celery's filesystem broker under var/. Production sets DATABASE_URL,
CELERY_BROKER_URL, SECRET_KEY, DEBUG=0 and ALLOWED_HOSTS.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int_list(name: str, default: list[int]) -> list[int]:
    try:
        return [int(item) for item in env_list(name, [str(d) for d in default])]
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a comma-separated list of integers") from exc


def _secret_key(debug: bool) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if not debug:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Development only: generate once and keep it under var/ so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = _secret_key(DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files: offices often have no internet
    "simple_history",
    "axes",  # login lockout (docs/security.md)
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every response (docs/security.md)
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out login with the lockout page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.web.context_processors.header",
            ],
            # cases/web is not an app of its own, so its tag library is named here.
            "libraries": {"casetracker_web": "cases.web.templatetags.casetracker_web"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'casetracker.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a worker writes; IMMEDIATE transactions
    # take the write lock up front so two sweeps queue instead of failing with
    # "database is locked" half-way through (Django 5.1+ option).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("TEST_SQLITE_NAME") or None
    # The covering indexes' INCLUDE columns (issue 17: province-scale roll-ups) are a
    # PostgreSQL feature; SQLite builds the same indexes without them, as intended.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# History rows keep the whole reason a user typed (a suspension's grounds can be long).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a check: the hook that ends API tokens on every password change (docs/security.md).
    {"NAME": "cases.services.tokens.PasswordChangeRevokesTokens"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "cases" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Every upload (documents, absence proofs, templates, imports) is refused above this
# size by cases/uploads.py; scans of a judgment stay well below 20 MB.
UPLOAD_MAX_BYTES = int(float(os.environ.get("UPLOAD_MAX_MB", "20")) * 1024 * 1024)
# A request body that is not a file (a form, JSON) stays small.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Login lockout (django-axes) ------------------------------------------------
# After AXES_FAILURE_LIMIT wrong passwords for one user from one address, that pair is
# locked out (the page, the API token endpoint and the admin share the tracker's login)
# until the cool-off ends or an administrator deletes the attempt in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ADMIN = False  # registered on the tracker's own admin site (cases/admin/accounts.py)
# Behind one reverse proxy (nginx) the client's address is the last hop it adds.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Security: production (DEBUG off) gets HTTPS-only cookies and HSTS.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds an SMTP server may take to answer; without it a server that never replies
# blocks a reminder sweep forever. Keep it below half of REMINDER_CLAIM_LEASE.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "casetracker@localhost")

# --- Celery -----------------------------------------------------------------
# Default: the filesystem transport under var/, so `make run` needs no server.
_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("out", "processed", "control"):
        (_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "data_folder_in": str(_BROKER_DIR / "out"),
        "data_folder_out": str(_BROKER_DIR / "out"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # Redis redelivers an unacknowledged task after this many seconds; no task
    # is ever scheduled with a countdown longer than this (see docs/reminders.md).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves it to be redelivered
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Ledger imports (docs/ledger-import.md) ----------------------------------
# Files up to this size are checked and imported within the request; larger ones by
# a Celery task whose progress the 导入台账 page polls from the "progress" cache,
# which the web and worker processes share (the import's own transaction hides
# any progress written to the database until it commits).
LEDGER_IMPORT_INLINE_BYTES = int(os.environ.get("LEDGER_IMPORT_INLINE_BYTES", str(256 * 1024)))
# (CACHES["progress"] is set with the other caches below.)

# --- Reminders (docs/reminders.md) --------------------------------------------
# Where people open the tracker: links in reminder e-mails and webhook messages are
# made absolute with it (a worker has no request to take the host from).
SITE_URL = (os.environ.get("SITE_URL") or "http://127.0.0.1:8000").strip().rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SITE_URL must start with http:// or https://, e.g. https://cases.example.gov.cn")
# Lead times can be changed here or through the environment, without code.
REMINDER_DEADLINE_WORKING_DAYS = env_int_list("REMINDER_DEADLINE_WORKING_DAYS", [5])
REMINDER_DEADLINE_DAYS = env_int_list("REMINDER_DEADLINE_DAYS", [3, 1, 0])
REMINDER_HEARING_DAYS = env_int_list("REMINDER_HEARING_DAYS", [5, 3, 1])
# SPC20 Art. 5: the court serves the leader's notice >= 3 days ahead.
REMINDER_LEADER_ESCALATION_DAYS = int(os.environ.get("REMINDER_LEADER_ESCALATION_DAYS", "3"))
# Issue 13: warn once when the defence / reply deadline is this many working days away
# and the case's evidence list is still empty (ALL 34: late evidence is deemed absent).
REMINDER_EVIDENCE_EMPTY_WORKING_DAYS = int(os.environ.get("REMINDER_EVIDENCE_EMPTY_WORKING_DAYS", "3"))
REMINDER_WEBHOOK_TIMEOUT = float(os.environ.get("REMINDER_WEBHOOK_TIMEOUT", "5"))
# A send is tried this many times (backoff doubling from REMINDER_RETRY_BACKOFF seconds,
# capped well below the broker's visibility timeout), then the row is marked failed.
REMINDER_MAX_ATTEMPTS = int(os.environ.get("REMINDER_MAX_ATTEMPTS", "5"))
REMINDER_RETRY_BACKOFF = int(os.environ.get("REMINDER_RETRY_BACKOFF", "30"))
# A send that timed out may have arrived: it is retried once, after this many seconds.
REMINDER_TIMEOUT_RETRY_DELAY = int(os.environ.get("REMINDER_TIMEOUT_RETRY_DELAY", "300"))
# A row claimed for sending longer ago than this is taken to belong to a dead worker
# and is sent again; it must exceed the send task's hard time limit (90 s).
REMINDER_CLAIM_LEASE = int(os.environ.get("REMINDER_CLAIM_LEASE", "300"))
# An inline sweep claims this many rows at a time, just before sending them, and renews
# the claims it still holds every half lease (docs/reminders.md, "the lease rule").
REMINDER_SEND_BATCH = int(os.environ.get("REMINDER_SEND_BATCH", "100"))
# In-app rows are claimed and written this many at a time (inline, and per Celery batch task):
# a batch is a few queries whatever its size and waits on nothing (issue 17).
REMINDER_IN_APP_BATCH = int(os.environ.get("REMINDER_IN_APP_BATCH", "1000"))
# Users who asked for a daily digest get it at the first sweep after this hour (local time).
REMINDER_DIGEST_HOUR = int(os.environ.get("REMINDER_DIGEST_HOUR", "8"))

# --- Cache: login throttles (and nothing that must survive a restart) ---------------
# Redis in production so every web process counts the same attempts; memory otherwise.
_CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
    if _CACHE_URL.startswith(("redis://", "rediss://"))
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Ledger-import progress, written by the worker and read by the web process: Redis when
# there is one (CACHE_URL, else the broker), a file cache under VAR_DIR otherwise.
_PROGRESS_URL = next((u for u in (_CACHE_URL, CELERY_BROKER_URL) if u.startswith(("redis://", "rediss://"))), "")
CACHES["progress"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _PROGRESS_URL}
    if _PROGRESS_URL
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "progress")}
)

# --- Content-Security-Policy (django-csp) ------------------------------------------
# Scripts and styles only from our own static files: no inline <script>, style="" or on*="";
# the one inline favicon is a data: URL. Report-only when CSP_REPORT_ONLY=1 (to trial a change).
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

# --- REST framework -----------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: DRF takes the WWW-Authenticate header from the first class, so a request
    # without credentials gets 401 "Token" on every route (Session first would give 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested too deep is a 400 (cases/api/parsers.py), never a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "cases.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "cases.api.backends.FilterBackend",  # django-filter's, skipped without filter parameters
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "cases.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "cases.api.errors.AutoSchema",  # documents the one error shape
    "EXCEPTION_HANDLER": "cases.api.errors.exception_handler",
    # Guessing passwords at /api/auth/token/ or feed tokens at /calendar/feed/: 429 past these.
    "DEFAULT_THROTTLE_RATES": {
        "auth-token": os.environ.get("THROTTLE_AUTH_TOKEN", "10/min"),
        "calendar-feed": os.environ.get("THROTTLE_CALENDAR_FEED", "30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Case tracker API",
    "DESCRIPTION": "Administrative reconsideration (行政复议) and litigation (行政诉讼) cases of an agency.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind" or "status": name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "cases.choices.Kind",
        "HearingKindEnum": "cases.choices.HearingKind",
        "ReportKindEnum": "cases.choices.ReportKind",
        "CaseStatusEnum": "cases.choices.Status",
        "HearingStatusEnum": "cases.choices.HearingStatus",
        "DeadlineStatusEnum": "cases.choices.DeadlineStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
