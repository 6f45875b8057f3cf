"""The one settings module, driven by the environment (see docs/deployment.md).

Embedded default: SQLite in ``LOKALSAMFUND_DATA_DIR`` (``./var``) with WAL and IMMEDIATE
transactions. Production: PostgreSQL by ``DATABASE_URL``, ``LOKALSAMFUND_HTTPS=1`` behind a
TLS-terminating proxy, secrets from the environment or ``*_FILE``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    """Read a setting from the environment, or from the file named by ``<NAME>_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DATA_DIR = Path(env("LOKALSAMFUND_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from env or file; else one generated once into the data folder."""
    key = env("SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
HTTPS = env_bool("LOKALSAMFUND_HTTPS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "lokalsamfund.core",
    "lokalsamfund.surveys",
    "lokalsamfund.bookings",
    "lokalsamfund.decisions",
    "lokalsamfund.activities",
    "lokalsamfund.green",
    "lokalsamfund.residents",
    "lokalsamfund.wellbeing",
    "lokalsamfund.network",
    "lokalsamfund.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lokalsamfund.api.middleware.RejectNulCharactersMiddleware",
]

ROOT_URLCONF = "lokalsamfund.urls"
WSGI_APPLICATION = "lokalsamfund.wsgi.application"

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
                "lokalsamfund.core.context_processors.shell",
            ],
        },
    },
]

# Database: SQLite in the data folder unless DATABASE_URL says otherwise.
_sqlite_default = f"sqlite:///{DATA_DIR / 'lokalsamfund.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", _sqlite_default))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"
        ),
    }
    # Tests use a real file, so that concurrency tests see real locking.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = int(env("CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Rate limiting of failed attempts (lokalsamfund.core.ratelimit), one limit and window per
# purpose: logins per e-mail and per client; survey answer codes per client.
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(env("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
ANSWER_CODE_FAILURE_LIMIT = int(env("ANSWER_CODE_FAILURE_LIMIT", "20"))
ANSWER_CODE_FAILURE_WINDOW_SECONDS = int(env("ANSWER_CODE_FAILURE_WINDOW_SECONDS", "900"))
# Password reset requests per e-mail and per client (each request sends an e-mail).
PASSWORD_RESET_FAILURE_LIMIT = int(env("PASSWORD_RESET_FAILURE_LIMIT", "5"))
PASSWORD_RESET_FAILURE_WINDOW_SECONDS = int(env("PASSWORD_RESET_FAILURE_WINDOW_SECONDS", "3600"))
ACTIVATION_CODE_FAILURE_LIMIT = int(env("ACTIVATION_CODE_FAILURE_LIMIT", "10"))
ACTIVATION_CODE_FAILURE_WINDOW_SECONDS = int(env("ACTIVATION_CODE_FAILURE_WINDOW_SECONDS", "900"))
# Sign-ups for public activities without an account, per e-mail and per client (each sends
# an e-mail with a link): 10 an hour is more than a household signs up for.
PUBLIC_SIGNUP_FAILURE_LIMIT = int(env("PUBLIC_SIGNUP_FAILURE_LIMIT", "10"))
PUBLIC_SIGNUP_FAILURE_WINDOW_SECONDS = int(env("PUBLIC_SIGNUP_FAILURE_WINDOW_SECONDS", "3600"))
# Reverse proxies in front of the app that append the client to X-Forwarded-For (nginx with
# $proxy_add_x_forwarded_for: 1). 0 = use REMOTE_ADDR. Never more than there really are:
# a client can write anything into the header it sends.
LOKALSAMFUND_PROXY_COUNT = int(env("LOKALSAMFUND_PROXY_COUNT", "0"))

# Uploaded tables (CSV/XLSX imports, lokalsamfund.core.tabular): read at most this much.
# Defaults: 20 MB file, 100,000 rows, 250 columns, 10,000 characters per cell; an XLSX file
# may unpack to at most 200 MB, no part of it packed harder than 100:1.
LOKALSAMFUND_TABLE_MAX_BYTES = int(env("LOKALSAMFUND_TABLE_MAX_BYTES", str(20 * 1024 * 1024)))
LOKALSAMFUND_TABLE_MAX_ROWS = int(env("LOKALSAMFUND_TABLE_MAX_ROWS", "100000"))
LOKALSAMFUND_TABLE_MAX_COLUMNS = int(env("LOKALSAMFUND_TABLE_MAX_COLUMNS", "250"))
LOKALSAMFUND_TABLE_MAX_CELL_CHARS = int(env("LOKALSAMFUND_TABLE_MAX_CELL_CHARS", "10000"))
LOKALSAMFUND_TABLE_MAX_UNCOMPRESSED_BYTES = int(
    env("LOKALSAMFUND_TABLE_MAX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024))
)
LOKALSAMFUND_TABLE_MAX_COMPRESSION_RATIO = int(
    env("LOKALSAMFUND_TABLE_MAX_COMPRESSION_RATIO", "100")
)

# Caches: Redis when REDIS_URL is set (shared between processes), else per-process memory.
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Internationalisation: Danish first, English as a switch.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env_bool("LOKALSAMFUND_PLAIN_STATIC"):  # tests: no manifest needed
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = DATA_DIR / "media"

# Background jobs (core.jobs): django-tasks with its database backend; a worker runs them
# (``lokalsamfund db_worker``, or the one ``lokalsamfund serve`` starts). Results are kept for
# LOKALSAMFUND_JOB_RESULT_DAYS and then purged (``lokalsamfund jobs purge``).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LOKALSAMFUND_JOB_RESULT_DAYS = int(env("LOKALSAMFUND_JOB_RESULT_DAYS", "7"))

# E-mail: console by default; SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "lokalsamfund <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the site in links sent by e-mail from outside a request (invitations).
LOKALSAMFUND_BASE_URL = env("LOKALSAMFUND_BASE_URL", "http://localhost:8000")
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Security. Everything is served by the app itself; the CSP forbids any other host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
LANGUAGE_COOKIE_SAMESITE = "Lax"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
SILENCED_SYSTEM_CHECKS: list[str] = []
if not env_bool("SECURE_HSTS_PRELOAD") and HTTPS:
    # Preloading is a one-way commitment for the whole domain; left to the operator.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Keys for pseudonymous hashes (answer codes) and field encryption; derived from SECRET_KEY
# unless set, so that they can be rotated independently in production.
LOKALSAMFUND_HASH_KEY = env("LOKALSAMFUND_HASH_KEY", SECRET_KEY)
LOKALSAMFUND_FIELD_KEYS = env_list("LOKALSAMFUND_FIELD_KEYS")
# The key of the blind indexes (keyed hashes of a referred resident's normalised name and
# address, wellbeing/crypto.py) that rights requests search by. Set it in production: the
# default is derived from SECRET_KEY, so changing SECRET_KEY would make old indexes unfindable.
LOKALSAMFUND_BLIND_INDEX_KEY = (
    env("LOKALSAMFUND_BLIND_INDEX_KEY")
    or hmac.new(
        SECRET_KEY.encode(), b"lokalsamfund.wellbeing.blind-index", hashlib.sha256
    ).hexdigest()
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # No IP addresses and no secrets in paths (answer codes, links, tokens): core/logging.py.
    "filters": {"redact": {"()": "lokalsamfund.core.logging.RedactFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
