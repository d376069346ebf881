"""Settings for bangfu. What an operator may change comes from BANGFU_* variables (docs/configuration.md)."""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BANGFU_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = os.environ.get("BANGFU_ENV", "development") == "production"
DEBUG = not PRODUCTION and os.environ.get("BANGFU_DEBUG", "1") == "1"


def _secret_key():
    """Production takes its key from the environment; a development machine keeps a generated one under var/."""
    if key := os.environ.get("BANGFU_SECRET_KEY"):
        return key
    if PRODUCTION:
        raise RuntimeError("BANGFU_SECRET_KEY must be set when BANGFU_ENV=production")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = os.environ.get("BANGFU_ALLOWED_HOSTS", "127.0.0.1,localhost" if PRODUCTION else "*").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("BANGFU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",  # serves the API docs page from local static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "bangfu.core",
    "bangfu.regions",
    "bangfu.pairing",
    "bangfu.households",
    "bangfu.projects",
    "bangfu.funds",
    "bangfu.portal",
    "bangfu.labor",
    "bangfu.talent",
    "bangfu.demo",
    "bangfu.bench",
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
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "bangfu.core.audit.ChannelMiddleware",
]

ROOT_URLCONF = "bangfu.urls"
WSGI_APPLICATION = "bangfu.wsgi.application"

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
                "bangfu.core.context_processors.navigation",
            ],
        },
    },
]


def _database():
    # Under pytest, BANGFU_TEST_DATABASE_URL (CI's PostgreSQL) takes precedence over the operator's database.
    url = os.environ.get("BANGFU_DATABASE_URL")
    if "pytest" in sys.modules and os.environ.get("BANGFU_TEST_DATABASE_URL"):
        url = os.environ["BANGFU_TEST_DATABASE_URL"]
    if url:
        return dj_database_url.parse(url, conn_max_age=60)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "bangfu.sqlite3",
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Logins: argon2, lockout after 5 failures within 15 minutes, sessions that expire after 30 idle minutes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("BANGFU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("BANGFU_LOGIN_COOLOFF_MINUTES", "15")))
# Either too many failures for one account or from one address locks out (W006 wants the address).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("BANGFU_PROXY_COUNT", "0")) or None
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
SESSION_COOKIE_AGE = int(os.environ.get("BANGFU_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF],
    },
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("BANGFU_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("BANGFU_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REFERRER_POLICY = "same-origin"

# Background work (screening from the web, later imports): queued in the database, run by `bangfu db_worker`
# (any number of them, on any machine that reaches the database). BANGFU_TASKS=immediate runs tasks in the request.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("BANGFU_TASKS") == "immediate"
        else "django_tasks_db.DatabaseBackend",
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "bangfu" / "locale"]
TIME_ZONE = os.environ.get("BANGFU_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "bangfu" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"axes": {"handlers": ["console"], "level": "WARNING"}},
}

# Labour cooperation (docs/labor.md): the configurable rules of the closed loop. *local* or *unverified* in DOMAIN.md,
# so settings, not constants.
LABOR_STABLE_MONTHS = int(os.environ.get("BANGFU_LABOR_STABLE_MONTHS", "6"))
LABOR_WORKSHOP_MIN_POOR = int(os.environ.get("BANGFU_LABOR_WORKSHOP_MIN_POOR", "5"))
LABOR_RETURN_ALERT_DAYS = int(os.environ.get("BANGFU_LABOR_RETURN_ALERT_DAYS", "30"))
LABOR_MIN_AGE = int(os.environ.get("BANGFU_LABOR_MIN_AGE", "16"))
LABOR_MAX_AGE = int(os.environ.get("BANGFU_LABOR_MAX_AGE", "60"))
LABOR_RETENTION_MONTHLY = os.environ.get("BANGFU_LABOR_RETENTION_MONTHLY", "300")
LABOR_RETENTION_MAX_MONTHS = int(os.environ.get("BANGFU_LABOR_RETENTION_MAX_MONTHS", "12"))
# Transport subsidy per laborer-month, by where the job is (place=amount, comma-separated; places not named get none).
LABOR_TRANSPORT_AMOUNTS = os.environ.get("BANGFU_LABOR_TRANSPORT_AMOUNTS",
                                         "in_province=300,out_of_province=600,helper_city=600")
