"""Django settings for Chuhai, driven by environment variables.

``CHUHAI_DATA_DIR`` (default ``./var``) holds the SQLite database, the huey queue, uploads, the
generated development secret key and ``law/``, the local law directory read over the shipped law
(``CHUHAI_LAW_DIR`` chooses another). ``DATABASE_URL`` switches to PostgreSQL (``postgres://…``); the job
queue follows it (PostgresHuey on the same database) unless ``CHUHAI_QUEUE_URL`` names another.
``DEBUG`` is off unless ``CHUHAI_DEBUG``/``DEBUG`` is set to a true value.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(*names: str, default: bool = False) -> bool:
    for name in names:
        value = os.environ.get(name)
        if value is not None:
            return value.strip().lower() in {"1", "true", "yes", "on"}
    return default


DATA_DIR = Path(os.environ.get("CHUHAI_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
# The web app's local law directory (read over the shipped law, chuhai.lawbook): CHUHAI_DATA_DIR/law.
os.environ.setdefault("CHUHAI_LAW_DIR", str(DATA_DIR / "law"))

DEBUG = _env_bool("CHUHAI_DEBUG", "DEBUG")


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept in the data directory.

    A persisted key keeps sessions valid across restarts of the embedded (single-user) install
    without ever shipping a fixed key in the source.
    """
    from_env = os.environ.get("CHUHAI_SECRET_KEY") or os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("CHUHAI_ALLOWED_HOSTS", "").split(",") if h.strip()] or [
    "localhost",
    "127.0.0.1",
    "[::1]",
    "testserver",
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CHUHAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "ninja",  # the API docs from local static files (no CDN: the CSP allows only this site)
    "csp",
    "chuhai.web.organisations",
    "chuhai.web.audit",
    "chuhai.web.vehicles",
    "chuhai.web.licences",
    "chuhai.web.customs",
    "chuhai.web.aftersales",
    "chuhai.web.imports",
    "chuhai.web.api",
    "chuhai.web.ui",
    "chuhai.web.lawbook",
]

MIDDLEWARE = [
    # First: every answer (redirects and errors included) carries the request id, every line logs it.
    "chuhai.web.observability.RequestIdMiddleware",
    "chuhai.web.security.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the web process (before sessions: no database work for a stylesheet).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chuhai.web.security.SessionSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chuhai.web.lawbook.middleware.LawMiddleware",
]

ROOT_URLCONF = "chuhai.web.urls"
WSGI_APPLICATION = "chuhai.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "chuhai.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server read while the other writes; a generous timeout makes a
    # writer wait for the other instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests need a file (not ":memory:") so that a real huey consumer process sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test_chuhai.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Job queue (huey) -------------------------------------------------------------------------------
QUEUE_URL = os.environ.get("CHUHAI_QUEUE_URL") or (
    DATABASE_URL
    if DATABASE_URL.startswith(("postgres://", "postgresql://"))
    else f"sqlite:///{DATA_DIR / 'huey.sqlite3'}"
)
HUEY_IMMEDIATE = _env_bool("CHUHAI_HUEY_IMMEDIATE")
# Worker threads per `chuhai worker` process; each organisation holds at most IMPORT_MAX_JOBS_PER_ORG of
# them at once (chuhai.web.imports.leases), so one tenant's large files cannot hold every worker.
WORKER_THREADS = int(os.environ.get("CHUHAI_WORKER_THREADS", "2"))
if QUEUE_URL.startswith(("postgres://", "postgresql://")):
    HUEY = {
        "huey_class": "huey.PostgresHuey",
        "name": "chuhai",
        "dsn": QUEUE_URL.replace("postgres://", "postgresql://", 1),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": WORKER_THREADS, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "chuhai",
        "filename": QUEUE_URL.removeprefix("sqlite:///"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": WORKER_THREADS, "worker_type": "thread"},
    }

# --- Import jobs (chuhai.web.imports.leases) --------------------------------------------------------
# A worker renews its job's lease every third of IMPORT_LEASE_SECONDS; a job whose worker died is
# retried up to IMPORT_MAX_ATTEMPTS attempts in all, then failed with the reason.
IMPORT_LEASE_SECONDS = int(os.environ.get("CHUHAI_IMPORT_LEASE_SECONDS", "30"))
IMPORT_MAX_ATTEMPTS = int(os.environ.get("CHUHAI_IMPORT_MAX_ATTEMPTS", "3"))
IMPORT_MAX_JOBS_PER_ORG = int(os.environ.get("CHUHAI_IMPORT_MAX_JOBS_PER_ORG", "1"))
IMPORT_DEFER_SECONDS = int(os.environ.get("CHUHAI_IMPORT_DEFER_SECONDS", "5"))
IMPORT_MAX_FILE_BYTES = int(os.environ.get("CHUHAI_IMPORT_MAX_FILE_MB", "64")) * 1024 * 1024
IMPORT_MAX_ORG_BYTES = int(os.environ.get("CHUHAI_IMPORT_MAX_ORG_MB", "256")) * 1024 * 1024
# A request body over this is refused (413) before it is read (chuhai.web.security).
MAX_REQUEST_BYTES = IMPORT_MAX_FILE_BYTES + 1024 * 1024

# --- Authentication and security --------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "ui:login"
LOGIN_REDIRECT_URL = "ui:dashboard"
LOGOUT_REDIRECT_URL = "ui:login"

# Login throttling (chuhai.web.organisations.throttle): failures per username and per client address
# within the window lock further attempts until the window has passed.
LOGIN_THROTTLE_MAX_FAILURES = int(os.environ.get("CHUHAI_LOGIN_MAX_FAILURES", "5"))
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("CHUHAI_LOGIN_WINDOW_SECONDS", "900"))

# Hardened unless in demo (embedded) mode: one person on this machine over plain HTTP
# (`chuhai serve --demo`, scripts/run) or DEBUG. Production runs behind HTTPS.
DEMO = _env_bool("CHUHAI_DEMO")
HARDENED = not DEBUG and not DEMO

# HTTPS: redirect plain HTTP (CHUHAI_SSL_REDIRECT, on when hardened); behind a TLS-terminating proxy,
# CHUHAI_PROXY_SSL_HEADER names the header it sets to "https" (e.g. X-Forwarded-Proto). Only set it when
# the proxy always sets (or strips) that header: otherwise a client could claim HTTPS.
SECURE_SSL_REDIRECT = _env_bool("CHUHAI_SSL_REDIRECT", default=HARDENED)
# Load balancers probe these over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
_proxy_header = os.environ.get("CHUHAI_PROXY_SSL_HEADER", "").strip()
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
# Client addresses (login throttling, logs): the number of proxies in front that append to
# X-Forwarded-For; 0 = use the connection's address.
TRUSTED_PROXY_HOPS = int(os.environ.get("CHUHAI_TRUSTED_PROXY_HOPS", "0"))
SECURE_HSTS_SECONDS = int(os.environ.get("CHUHAI_HSTS_SECONDS", "31536000" if HARDENED else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("CHUHAI_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_bool("CHUHAI_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies: Secure-only when hardened, never readable by scripts, not sent on cross-site requests.
SESSION_COOKIE_SECURE = HARDENED and not _env_bool("CHUHAI_INSECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Sessions end after CHUHAI_SESSION_IDLE_SECONDS without a request (chuhai.web.security) and at the
# latest after CHUHAI_SESSION_MAX_SECONDS.
SESSION_IDLE_SECONDS = int(os.environ.get("CHUHAI_SESSION_IDLE_SECONDS", "1800"))
SESSION_COOKIE_AGE = int(os.environ.get("CHUHAI_SESSION_MAX_SECONDS", str(12 * 3600)))

# Content-Security-Policy (django-csp): scripts and styles only from this site or carrying the
# request's nonce; no framing, no plugins, forms only to this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR.parent / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# `chuhai serve` collects the static files into STATIC_ROOT with content-hashed names (a manifest),
# which WhiteNoise serves compressed with a year of caching ("immutable"); it sets CHUHAI_STATIC_MANIFEST
# before collecting. Before a collection (tests, a checkout) WhiteNoise serves the apps' own static files
# under their plain names.
STATIC_COLLECTED = _env_bool("CHUHAI_STATIC_MANIFEST") or (STATIC_ROOT / "staticfiles.json").is_file()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/media/"  # never served directly: uploads are private, downloads go through views
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Larger uploads are spooled here while the request runs and removed at its end; a request killed
# mid-upload leaves its file, removed by `chuhai serve` at start and by the worker every minute once
# untouched for UPLOAD_TEMP_MAX_AGE_SECONDS.
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
UPLOAD_TEMP_MAX_AGE_SECONDS = int(os.environ.get("CHUHAI_UPLOAD_TEMP_MAX_AGE_SECONDS", "3600"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# The stock-file reader's budget in the import worker and the API (chuhai.io.readers.ReadLimits): a
# file past it is refused with a clear message instead of exhausting the worker's memory.
CHUHAI_IMPORT_MAX_ROWS = int(os.environ.get("CHUHAI_IMPORT_MAX_ROWS", "1048576"))
CHUHAI_IMPORT_MAX_MEMORY = os.environ.get("CHUHAI_IMPORT_MAX_MEMORY", "2G")

# --- REST API ---------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# Logs are JSON lines on stderr (chuhai.web.observability): one object per line with the request and
# correlation ids; gunicorn's log and the worker's use the same format. CHUHAI_LOG_FORMAT=text for
# people reading a terminal.
_LOG_LEVEL = os.environ.get("CHUHAI_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "chuhai.web.observability.ContextFilter"}},
    "formatters": {
        "json": {"()": "chuhai.web.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "text" if os.environ.get("CHUHAI_LOG_FORMAT") == "text" else "json",
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "chuhai": {"handlers": ["console"], "level": _LOG_LEVEL, "propagate": False},
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Unhandled errors are logged (with their traceback) by chuhai.web.observability, every request by
        # its access line: Django's own request log would say both again.
        "django.request": {"handlers": ["console"], "level": "CRITICAL", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
