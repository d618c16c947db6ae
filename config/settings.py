"""Settings for the Customer Management System, read from the environment.

Every variable is documented in `.env.example`. Helpers fail loudly: a malformed value is an
error at start-up, never a silent default.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean; anything but a clear yes/no is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_htmx",
    # Before django_tasks_db: its `db_worker` command adds the heartbeat /healthz/ reports.
    "health",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "tailwind",
    "theme",
    "accounts",
    "customers",
    "imports",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.htmx.VaryOnHtmxMiddleware",
    # Last, as django-axes asks: turns a refused login into our lockout page.
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the import worker write to the same file: WAL lets readers go on
    # while a batch commits, IMMEDIATE takes the write lock up front (no upgrade deadlocks),
    # and a 20 s timeout waits for a batch instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any plan its cost model calls expensive: on these short
    # queries over a million customers it spent a second compiling to save milliseconds
    # (docs/benchmarks.md). This application runs no analytical queries that would gain.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) are PostgreSQL's; on SQLite they are plain indexes, as intended.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses a login from a locked-out username and address before the password is checked.
    "accounts.backends.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-in"
TIME_ZONE = os.environ.get("TIME_ZONE") or "Asia/Kolkata"
USE_I18N = True
USE_TZ = True
# Dates are shown and typed day first (DD/MM/YYYY): config/formats/en/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

TAILWIND_APP_NAME = "theme"
# django-tailwind's npm mode: never fall back to downloading the standalone binary.
TAILWIND_USE_STANDALONE_BINARY = False
NPM_BIN_PATH = os.environ.get("NPM_BIN_PATH", "npm")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

CUSTOMERS_PER_PAGE = 25
# Lists count at most this many matching customers ("10,000+") and page no deeper.
CUSTOMERS_COUNT_LIMIT = 10_000

# Background work (imports) through the Django Tasks API. The database backend needs
# `manage.py db_worker` running beside the web process (`make run` starts one).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

MB = 1024 * 1024
# Import limits (docs/user-guide.md, "Importing leads").
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_MB", 20) * MB
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_XLSX_UNCOMPRESSED_MB", 250) * MB
IMPORT_MAX_XLSX_ENTRIES = env_int("IMPORT_MAX_XLSX_ENTRIES", 1_000)
# A running import that has not reported progress for this long is marked failed (resumable).
IMPORT_STALL_SECONDS = env_int("IMPORT_STALL_SECONDS", 120)
# Django refuses bigger request bodies before any view runs; leave room for the form fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * MB

# --- Deployment: storage and task backend (docs/deployment.md) ---------------------------------
# The task backend is TASKS_BACKEND above: the database queue with `db_worker` processes, or
# django_tasks.backends.immediate.ImmediateBackend to run each import inside its upload request
# (Vercel, where no worker can run).
#
# Uploaded import files go to S3-compatible object storage when a bucket is named, so web
# processes and workers on different machines, or on a read-only disk, see the same files.
# boto3 finds the credentials itself (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a role).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            # Two uploads called leads.csv must not replace each other: an import reads its
            # file again when it is run again.
            "file_overwrite": False,
        },
    }
# Container health checks call /healthz/ over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
# --- end of Deployment block -------------------------------------------------------------------

# --- Security (docs/architecture.md "Security", docs/deployment.md "Security settings") -------
# Production defaults follow DEBUG: with DEBUG off everything below is on, and
# `manage.py check --deploy --fail-level WARNING` passes. Each can be overridden from the
# environment, e.g. SECURE_SSL_REDIRECT=false when the proxy already redirects to HTTPS.

# Only a proxy we run may tell us the request came over HTTPS and who the client is. Without
# BEHIND_PROXY, X-Forwarded-Proto and X-Forwarded-For are ignored (anyone can send them).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
# How many proxies of ours (load balancer, nginx...) each append to X-Forwarded-For.
PROXY_COUNT = env_int("PROXY_COUNT", 1)
if PROXY_COUNT < 1:
    raise ImproperlyConfigured(f"PROXY_COUNT must be 1 or more, not {PROXY_COUNT}")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: htmx sends the token from the page (hx-headers on <body>).
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"

# A logged-in session ends after SESSION_IDLE_MINUTES without a request. Using it moves the
# expiry forward (accounts.middleware.IdleTimeoutMiddleware), saving the session at most once
# every SESSION_REFRESH_SECONDS rather than on every request (SESSION_SAVE_EVERY_REQUEST).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 120)
if SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES must be 1 or more.")
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_REFRESH_SECONDS = min(60, SESSION_COOKIE_AGE // 10)

# Redis, when given, is the cache; sessions can then be read from it instead of the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
# "database": sessions in the database table. "redis": read from the Redis cache and written
# through to the database (cached_db), so deactivating someone can still find and end their
# sessions (User.end_sessions); a cache-only store could not be searched.
SESSION_STORE = os.environ.get("SESSION_STORE") or "database"
SESSION_ENGINES = {
    "database": "django.contrib.sessions.backends.db",
    "redis": "django.contrib.sessions.backends.cached_db",
}
if SESSION_STORE not in SESSION_ENGINES:
    raise ImproperlyConfigured(f"SESSION_STORE must be database or redis, not {SESSION_STORE!r}")
if SESSION_STORE == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("SESSION_STORE=redis needs REDIS_URL (redis://host:6379/0).")
SESSION_ENGINE = SESSION_ENGINES[SESSION_STORE]

# Content-Security-Policy (django-csp): only our own files, nothing inline, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Login lockout (django-axes): LOGIN_FAILURE_LIMIT failed logins for one username from one
# address lock that pair out for LOGIN_LOCKOUT_MINUTES. Other users, and the same user from
# elsewhere, can still log in. Trying again while locked out does not extend the wait.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
if LOGIN_FAILURE_LIMIT < 1 or LOGIN_LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be 1 or more.")
AXES_ENABLED = True
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Logins are in the audit log; axes keeps only the failures it counts, not a row per login.
AXES_DISABLE_ACCESS_LOG = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# The same address as the audit log: X-Forwarded-For only when BEHIND_PROXY says so.
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
# The username as Django authenticated it, cut to the 255 characters axes' table holds.
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_username"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "accounts.audit.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # The audit trail: one JSON object per line on stdout (accounts/audit.py).
        "audit": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"cms.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False}},
}
