"""Docket's settings: one module, every value from the environment.

Environment variables (all optional in development):

DOCKET_DEBUG            "1" for development pages with tracebacks (never in production).
DOCKET_PRODUCTION       "1" turns on HTTPS-only cookies, HSTS and the SSL redirect.
DOCKET_SECRET_KEY       Django's secret key. When unset, one is generated once into
                        DOCKET_VAR_DIR/secret_key (mode 0600), so no secret lives in the repo.
DOCKET_ALLOWED_HOSTS    comma-separated host names (default: localhost,127.0.0.1).
DOCKET_CSRF_TRUSTED_ORIGINS  comma-separated origins when behind a TLS proxy.
DATABASE_URL            sqlite:///path or postgres://user@host/db (default: SQLite in var/).
DOCKET_VAR_DIR          where the SQLite file, the content store and generated files live.
DOCKET_KEY_DIR          where key files live (default: DOCKET_VAR_DIR/keys); keep it
                        outside the database and its backups.
DOCKET_CONTENT_DIR      encrypted content store (default: DOCKET_VAR_DIR/content).
DOCKET_MAX_UPLOAD_BYTES largest evidence upload (default 25 MiB).
DOCKET_TIME_ZONE        the organization's time zone (default UTC).
DOCKET_SITE_URL         absolute URL used in notices and invitations (default: the address
                        `docket serve --bind` listens on, else http://127.0.0.1:8000).
DOCKET_EMAIL_URL        smtp://user:pass@host:port, or console:// (default console in debug).
DOCKET_DEFAULT_FROM_EMAIL  sender of notices.
DOCKET_TRUSTED_PROXIES  comma-separated addresses or networks (CIDR) of the reverse
                        proxies in front of Docket; only requests from them may name the
                        client in X-Forwarded-For (default: none, REMOTE_ADDR is the client).
DOCKET_CACHE_URL        the cache shared by every process (sign-in and MFA rate limits,
                        TOTP replay): db:// (default, a table in the database) or
                        redis://host:port/db (Redis, shared by several app servers).
DOCKET_CACHE_PREFIX     the prefix of Docket's keys in Redis (default docket), so that
                        deployments can share one Redis.
DOCKET_MAX_REQUEST_BYTES  largest request body (default 60 MiB); larger ones get 413
                        before the body is read. Set the proxy's limit to match.
DOCKET_MAX_REQUEST_FILES  most files in one request (default 5).

Values are read once when Django configures itself; application code reads them through
``django.conf.settings`` at call time, never at import time.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in _env(name, default).split(",") if item.strip()]


VAR_DIR = Path(_env("DOCKET_VAR_DIR", str(PROJECT_DIR / "var"))).resolve()
DOCKET_KEY_DIR = Path(_env("DOCKET_KEY_DIR", str(VAR_DIR / "keys"))).resolve()
DOCKET_CONTENT_DIR = Path(_env("DOCKET_CONTENT_DIR", str(VAR_DIR / "content"))).resolve()
DOCKET_MAX_UPLOAD_BYTES = int(_env("DOCKET_MAX_UPLOAD_BYTES", str(25 * 1024 * 1024)))
DOCKET_SITE_URL = _env("DOCKET_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DOCKET_PROTOCOL_DIR = PROJECT_DIR / "protocols"

DEBUG = _flag("DOCKET_DEBUG")
PRODUCTION = _flag("DOCKET_PRODUCTION")


def _secret_key() -> str:
    configured = _env("DOCKET_SECRET_KEY")
    if configured:
        return configured
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _list("DOCKET_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = _list("DOCKET_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "docket",
    "docket.core",
    "docket.accounts",
    "docket.ledger",
    "docket.crypto",
    "docket.org",
    "docket.access",
    "docket.cases",
    "docket.intake",
    "docket.notify",
    "docket.reports",
    "docket.web",
    "docket.api",
]

MIDDLEWARE = [
    "docket.web.limits.RequestSizeMiddleware",
    "docket.web.nostore.NoStoreMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "docket.accounts.middleware.ActiveAccountMiddleware",
]

ROOT_URLCONF = "docket.urls"
WSGI_APPLICATION = "docket.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "csp.context_processors.nonce",
            ],
        },
    }
]

# --- Foundation (web layout) -------------------------------------------------------------
# Docket's own templates are searched before every app's, so the overrides of allauth's
# layout and elements in src/docket/templates/ (allauth/, account/, mfa/) win over the
# plain ones allauth ships (allauth comes earlier in INSTALLED_APPS).
TEMPLATES[0]["DIRS"] = [BASE_DIR / "templates"]
# ------------------------------------------------------------------------------------------


def _database() -> dict[str, object]:
    url = _env("DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'docket.sqlite3'}"
    config: dict[str, object] = dict(dj_database_url.parse(url))
    engine = str(config["ENGINE"])
    if engine.endswith("sqlite3"):
        # WAL lets readers run beside the one writer; FULL fsyncs each commit; IMMEDIATE
        # takes the write lock at BEGIN so two writers queue instead of deadlocking.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
            " PRAGMA foreign_keys=ON;",
        }
        # Tests use a real file (not :memory:) so that WAL, locking and several
        # connections behave as in production; one per process so runs can overlap.
        config["TEST"] = {
            "NAME": _env("DOCKET_TEST_SQLITE", str(VAR_DIR / f"test-{os.getpid()}.sqlite3"))
        }
    elif "postgresql" in engine:
        config["ENGINE"] = "django.db.backends.postgresql"
        config["OPTIONS"] = {
            "pool": {"min_size": 1, "max_size": int(_env("DOCKET_DB_POOL_MAX", "10"))},
            # Docket's queries are short and indexed; PostgreSQL's JIT compiles the larger
            # access filters for tens of milliseconds each time and never pays that back.
            "options": "-c jit=off",
        }
        config["CONN_MAX_AGE"] = 0
        config["TEST"] = {"NAME": _env("DOCKET_TEST_DB_NAME", "test_docket")}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: accounts are created by invitation, never by open sign-up.
ACCOUNT_ADAPTER = "docket.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "reset_password": "5/m/ip,3/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Docket"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("DOCKET_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(_env("DOCKET_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Strict CSP: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "manifest-src": ["'self'"],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = _env("DOCKET_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Confidential content (docket.crypto): uploads stay in memory, never in a temporary
# file (plaintext must not touch the disk); larger than DOCKET_MAX_UPLOAD_BYTES is refused
# by evidence_prepare. Sealed items up to DOCKET_CONTENT_INLINE_MAX bytes are kept in
# their database row (still encrypted); larger ones go to the content store.
FILE_UPLOAD_HANDLERS = ["docket.crypto.uploads.BoundedMemoryUploadHandler"]
DOCKET_CONTENT_INLINE_MAX = int(_env("DOCKET_CONTENT_INLINE_MAX", str(64 * 1024)))

TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# --- Limits that hold across processes and behind a proxy (issue 24) ---------------------
# Request bodies are capped before they are read (docket.web.limits), files per request
# by Django's parser; per-file limits are DOCKET_MAX_UPLOAD_BYTES.
DOCKET_MAX_REQUEST_BYTES = int(_env("DOCKET_MAX_REQUEST_BYTES", str(60 * 1024 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FILES = int(_env("DOCKET_MAX_REQUEST_FILES", "5"))
DOCKET_TRUSTED_PROXIES = _list("DOCKET_TRUSTED_PROXIES", "")


def _cache() -> dict[str, object]:
    # Rate limits and TOTP replay protection must be seen by every worker and app
    # server, so the default cache is a table in the database (docket_cache, created
    # by the accounts migrations), never per-process memory. Problems with the value
    # are reported by the system check docket.E002.
    url = _env("DOCKET_CACHE_URL", "db://")
    scheme = urlparse(url).scheme
    if scheme in {"redis", "rediss", "unix"}:
        # One Redis may serve several deployments: each keeps its keys under its prefix.
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": _env("DOCKET_CACHE_PREFIX", "docket"),
        }
    if scheme == "locmem":  # one process only: for tests of a single process, never prod
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "docket_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }


CACHES = {"default": _cache()}
DOCKET_CACHE_URL = _env("DOCKET_CACHE_URL", "db://")
# ------------------------------------------------------------------------------------------


def _email() -> None:
    url = _env("DOCKET_EMAIL_URL", "" if PRODUCTION else "console://")
    g = globals()
    if not url:
        return
    parsed = urlparse(url)
    if parsed.scheme == "console":
        g["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    elif parsed.scheme == "locmem":
        g["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    elif parsed.scheme in {"smtp", "smtps", "smtp+tls"}:
        g["EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
        g["EMAIL_HOST"] = parsed.hostname or "localhost"
        g["EMAIL_PORT"] = parsed.port or 25
        g["EMAIL_HOST_USER"] = unquote(parsed.username or "")
        g["EMAIL_HOST_PASSWORD"] = unquote(parsed.password or "")
        g["EMAIL_USE_SSL"] = parsed.scheme == "smtps"
        g["EMAIL_USE_TLS"] = parsed.scheme == "smtp+tls"


_email()
DEFAULT_FROM_EMAIL = _env("DOCKET_DEFAULT_FROM_EMAIL", "Docket <docket@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": _env("DOCKET_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request bodies can hold statements; Django's request logger never logs them,
        # and Docket logs identifiers only.
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}
