"""Settings for Fleksi, read from the environment (12-factor).

DATABASE_URL  postgres://... or sqlite:///path (default: SQLite in var/fleksi.sqlite3, WAL)
SECRET_KEY    default: generated once and kept in var/secret_key
DEBUG         0/1 (default 0)
ALLOWED_HOSTS comma-separated (default 127.0.0.1,localhost)
TIME_ZONE     default Asia/Jakarta (WIB)
FLEKSI_VAR    folder for the database, uploads and the secret (default ./var)
FLEKSI_LOCKOUT_MINUTES      cool-off after 10 failed logins (default 15)
FLEKSI_JOB_STALE_MINUTES    a running background job without progress this long is failed (default 15)
FLEKSI_PROXY_COUNT          reverse proxies in front of the app whose X-Forwarded-For is trusted
                            for the client address of the lockout (default 0: REMOTE_ADDR)
FLEKSI_SESSION_MAX_HOURS    absolute session lifetime (default 12; the idle timeout is per agency)
FLEKSI_REQUIRE_2FA          TOTP required for HR admins, PPK, national monitors, system admins
                            (default 1; `fleksi demo` turns it off, see docs/decisions/153)
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FLEKSI_VAR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "ya", "on"}


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# The site's public address, for links in emails (e.g. https://fleksi.example.go.id).
FLEKSI_SITE_URL = os.environ.get("FLEKSI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "fleksi.core",
    "fleksi.accounts",
    "fleksi.organisation",
    "fleksi.audit",
    "fleksi.scheme",
    "fleksi.schedules",
    "fleksi.requests",
    "fleksi.notifications",
    "fleksi.attendance",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "fleksi.backup",
    "fleksi.performance",
    "django_tasks",
    "django_tasks_db",
    "fleksi.monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # the Content-Security-Policy header on every response
    "fleksi.core.middleware.RejectNulMiddleware",  # before anything reads the request
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fleksi.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fleksi.accounts.middleware.OTPMiddleware",  # django-otp's: request.user.is_verified() (decision 215)
    "fleksi.organisation.middleware.AccountSecurityMiddleware",  # timeouts, 2FA (docs/decisions/152)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fleksi.core.middleware.MethodNotAllowedMiddleware",  # the 405 page, as the view answered
    "fleksi.core.formonce.FormOnceMiddleware",  # last: one-time form tokens, after the CSRF check
    "axes.middleware.AxesMiddleware",  # the lockout page after 10 failed logins (last: docs)
]
CSRF_FAILURE_VIEW = "fleksi.core.views.csrf_failure"

ROOT_URLCONF = "fleksi.config.urls"
WSGI_APPLICATION = "fleksi.config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "fleksi.organisation.context_processors.roles",
            ],
            # {% form_once %} in every POST form without a {% load %} (docs/decisions/161)
            "builtins": ["fleksi.core.templatetags.form_once"],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'fleksi.sqlite3'}"
# Persistent connections (60 s) with a health check at the first query of each request: after
# PostgreSQL restarts, a worker's dead connection is dropped and reopened by the request that
# finds it, instead of answering one 500 per connection (docs/decisions/210).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_db, conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
elif "options" not in DATABASES["default"].setdefault("OPTIONS", {}) and os.environ.get(
    "FLEKSI_PG_JIT", "off"
) == "off":
    # PostgreSQL's JIT compiles each large aggregate anew (about 0.4 s per dashboard query at
    # 50,000 employees, more than the query itself): off for Fleksi's connections
    # (docs/decisions/197). FLEKSI_PG_JIT=on keeps the server's setting; behind a
    # connection pooler that refuses startup options, set it in the database instead
    # (ALTER DATABASE ... SET jit = off) and FLEKSI_PG_JIT=on.
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The job queue (docs/decisions/173): django-tasks with its database backend, run by
# `fleksi worker`; the same on SQLite and PostgreSQL.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
AUTH_USER_MODEL = "accounts.User"
# The lockout backend first: it refuses a locked account or address before the password is
# checked (docs/decisions/150).
AUTHENTICATION_BACKENDS = [
    "fleksi.accounts.backends.LockoutBackend",
    "fleksi.accounts.backends.NipOrEmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Argon2id for new and upgraded hashes; the others stay so existing hashes still verify (and
# are rehashed with Argon2 at the next login).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# ---- Lockout (django-axes): 10 failures on an account OR from an address lock it for the
# cool-off; the right password is refused meanwhile. docs/decisions/150.
FLEKSI_LOCKOUT_MINUTES = int(os.environ.get("FLEKSI_LOCKOUT_MINUTES", 15))
FLEKSI_JOB_STALE_MINUTES = int(os.environ.get("FLEKSI_JOB_STALE_MINUTES", 15))  # docs/decisions/191
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = dt.timedelta(minutes=FLEKSI_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock ends when it said it would
AXES_USERNAME_CALLABLE = "fleksi.accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "fleksi.accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "fleksi.accounts.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password", "new_password1", "new_password2", "otp_token"]
FLEKSI_PROXY_COUNT = int(os.environ.get("FLEKSI_PROXY_COUNT", 0))
# The reset form: at most this many emails per account, and requests per address, per cool-off.
FLEKSI_RESET_EMAILS_PER_ACCOUNT = 3
FLEKSI_RESET_REQUESTS_PER_ADDRESS = 10

# ---- Sessions: an idle timeout (per agency, Agency.session_idle_minutes, default 30) and an
# absolute lifetime; re-authentication before sensitive actions. docs/decisions/152.
FLEKSI_SESSION_MAX_HOURS = int(os.environ.get("FLEKSI_SESSION_MAX_HOURS", 12))
FLEKSI_SESSION_IDLE_MINUTES = 30  # accounts of no agency (system admins, national monitors)
FLEKSI_REAUTH_MINUTES = 5
SESSION_COOKIE_AGE = FLEKSI_SESSION_MAX_HOURS * 3600

# ---- 2FA (django-otp TOTP + static recovery codes). docs/decisions/153.
FLEKSI_REQUIRE_2FA = env_bool("FLEKSI_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Fleksi"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # compressed, hashed names (collectstatic runs on `fleksi serve`); tests use the plain one
    "staticfiles": {"BACKEND": "fleksi.core.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Hashed names are cached for ten years ("immutable") by WhiteNoise itself; this is for the
# few files served under their plain name.
WHITENOISE_MAX_AGE = 0 if DEBUG else 3600
# Uploaded evidence lives outside the web root and is served only through checked views.
MEDIA_ROOT = VAR_DIR / "private"
# Multipart bodies of these paths are read (and checked for NUL) by the view only after its
# permission check, not by RejectNulMiddleware before it: an upload nobody may make is not read.
FLEKSI_UPLOAD_AFTER_PERMISSION = [r"^/api/v1/requests/[^/]+/evidence$"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FLEKSI_IMPORT_MAX_BYTES = int(os.environ.get("FLEKSI_IMPORT_MAX_BYTES", 50 * 1024 * 1024))
# Bounds of every uploaded spreadsheet, checked before it is parsed (rows of one file).
FLEKSI_UPLOAD_MAX_ROWS = int(os.environ.get("FLEKSI_UPLOAD_MAX_ROWS", 200_000))
# Rows of the recap's day-by-day sheet before it stops with a note (docs/decisions/183).
FLEKSI_RECAP_DETAIL_MAX_ROWS = int(os.environ.get("FLEKSI_RECAP_DETAIL_MAX_ROWS", 250_000))
# Evidence of the daily output log (performance): at most this many bytes per file.
FLEKSI_PERFORMANCE_EVIDENCE_MAX_BYTES = int(os.environ.get("FLEKSI_PERFORMANCE_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))
# The planner's time limit per unit (seconds): the best schedule found by then, with its gap.
FLEKSI_PLANNER_TIME_LIMIT = float(os.environ.get("FLEKSI_PLANNER_TIME_LIMIT", 10))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fleksi@localhost")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4.x format). No inline script or style anywhere: every
# script and style sheet is a static file of our own (src/fleksi/static), templates carry no
# <script> blocks, no on*= handlers and no style="..." (tests/web/test_csp.py scans them),
# htmx is told not to inject its indicator styles (the htmx-config meta tag in base.html).
# No nonces are needed. settings_production.py adds upgrade-insecure-requests.
CSP_SELF = "'self'"
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "object-src": ["'none'"],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No secret of a URL (the iCalendar feed's token, a password-reset link) in any log line.
    "filters": {"redact_secrets": {"()": "fleksi.core.logredact.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Django's own loggers through the same (filtered) handler, not the default ones.
    "loggers": {
        "django": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING"), "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
