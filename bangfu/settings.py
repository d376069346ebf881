"""Settings for bangfu. What an operator may change comes from BANGFU_* variables (docs/configuration.md), each read
here through one of the `_env_*` helpers below, which refuse a bad value at start-up with a message naming it."""

import os
import re
import secrets
import sys
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from csp.constants import SELF
from django.core.exceptions import ImproperlyConfigured


def _env(name: str, default: str = "") -> str:
    """The variable's value; unset and empty are the same (the default)."""
    return os.environ.get(name, "").strip() or default


def _refuse(name: str, value: str, expected: str):
    raise ImproperlyConfigured(f"{name}={value!r} is not valid: {expected} (see docs/configuration.md)")


def _env_int(name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
    value = _env(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum or (maximum is not None and number > maximum):
        _refuse(name, value, f"a whole number from {minimum}" + (f" to {maximum}" if maximum is not None else " up"))
    return number


def _env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _env(name, default)
    if value not in choices:
        _refuse(name, value, "one of " + ", ".join(choices))
    return value


def _env_flag(name: str, default: bool) -> bool:
    return _env_choice(name, "1" if default else "0", ("1", "0")) == "1"


def _env_list(name: str, default: str) -> list[str]:
    """Comma-separated values, blanks around them and empty ones dropped."""
    return [part.strip() for part in _env(name, default).split(",") if part.strip()]


def _env_amount(name: str, default: str) -> str:
    """Yuan, as a decimal of at most two places, not negative (kept as text: the code takes Decimal(setting))."""
    value = _env(name, default)
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        _refuse(name, value, "an amount of yuan, not negative, with at most two decimals (e.g. 300 or 300.50)")
    return value


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(_env("BANGFU_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = _env_choice("BANGFU_ENV", "development", ("development", "production")) == "production"
DEBUG = _env_flag("BANGFU_DEBUG", True) and not PRODUCTION


def _secret_key():
    """Production takes its key from the environment; a development machine keeps a generated one under var/."""
    if key := _env("BANGFU_SECRET_KEY"):
        return key
    if PRODUCTION:
        raise RuntimeError("BANGFU_SECRET_KEY must be set when BANGFU_ENV=production")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _env_list("BANGFU_ALLOWED_HOSTS", "127.0.0.1,localhost" if PRODUCTION else "*")
CSRF_TRUSTED_ORIGINS = _env_list("BANGFU_CSRF_TRUSTED_ORIGINS", "")
for _origin in CSRF_TRUSTED_ORIGINS:
    if "://" not in _origin:
        _refuse("BANGFU_CSRF_TRUSTED_ORIGINS", _origin, "origins with their scheme, e.g. https://bangfu.example.org")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",  # serves the API docs page from local static files, not a CDN
    "bangfu.core",  # before django_tasks_db: its `db_worker` command takes the place of theirs (core/tasks.py)
    "django_tasks",
    "django_tasks_db",
    "bangfu.regions",
    "bangfu.pairing",
    "bangfu.households",
    "bangfu.projects",
    "bangfu.funds",
    "bangfu.portal",
    "bangfu.labor",
    "bangfu.talent",
    "bangfu.dashboards",
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
    "bangfu.core.privacy.AccessLogMiddleware",
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
    name, url = "BANGFU_DATABASE_URL", _env("BANGFU_DATABASE_URL")
    if "pytest" in sys.modules and (test_url := _env("BANGFU_TEST_DATABASE_URL")):
        name, url = "BANGFU_TEST_DATABASE_URL", test_url
    if url:
        try:
            return dj_database_url.parse(url, conn_max_age=60)
        except ValueError as error:  # an unknown scheme, a port that is not a number
            _refuse(name, url, f"a database URL such as postgresql://user:pw@host:5432/bangfu ({error})")
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
AXES_FAILURE_LIMIT = _env_int("BANGFU_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("BANGFU_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# Failures count per account and address together: an account guessed at from one address is locked there only, and
# the colleagues behind an office's shared address keep logging in (a flat list would mean either one locks). Many
# failures from one address over many accounts (credential stuffing) lock the address (core/logins.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "bangfu.core.logins.LoginFailureHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = _env_int("BANGFU_LOGIN_ADDRESS_FAILURE_LIMIT", 50, minimum=AXES_FAILURE_LIMIT)
AXES_IPWARE_PROXY_COUNT = _env_int("BANGFU_PROXY_COUNT", 0) or None
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
SESSION_COOKIE_AGE = _env_int("BANGFU_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
# API tokens: the lifetime a new one gets unless its maker chooses another, up to the longest allowed.
TOKEN_MAX_DAYS = _env_int("BANGFU_TOKEN_MAX_DAYS", 365, minimum=1, maximum=3650)
TOKEN_DAYS = _env_int("BANGFU_TOKEN_DAYS", 90, minimum=1, maximum=TOKEN_MAX_DAYS)
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

# Read (and checked) in development too, so that a bad value shows before the deployment does.
# BANGFU_HTTPS=0 serves production over plain HTTP (a closed network, the deploy test, the load benchmark): no redirect,
# no HSTS, and cookies not marked secure, which a browser would never send back over HTTP, so no login would work.
_HTTPS = _env_flag("BANGFU_HTTPS", True)
_SSL_REDIRECT = _env_flag("BANGFU_SSL_REDIRECT", True)
_HSTS_SECONDS = _env_int("BANGFU_HSTS_SECONDS", 31536000)
if PRODUCTION:
    SECURE_SSL_REDIRECT = _HTTPS and _SSL_REDIRECT
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = _HSTS_SECONDS if _HTTPS else 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = _HTTPS
    CSRF_COOKIE_SECURE = _HTTPS
    SECURE_REFERRER_POLICY = "same-origin"

# Background work (screening from the web, later imports): queued in the database, run by `bangfu db_worker`
# (any number of them, on any machine that reaches the database). BANGFU_TASKS=immediate runs tasks in the request.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if _env_choice("BANGFU_TASKS", "database", ("database", "immediate")) == "immediate"
        else "django_tasks_db.DatabaseBackend",
    },
}

# Imports (docs/security.md, "Upload limits"; bangfu/core/limits.py): what one import may take, whatever the file.
IMPORT_MAX_SECONDS = _env_int("BANGFU_IMPORT_MAX_SECONDS", 600, minimum=1)
IMPORT_MAX_MEMORY_MB = _env_int("BANGFU_IMPORT_MAX_MEMORY_MB", 1024, minimum=1)
IMPORT_MAX_PART_MB = _env_int("BANGFU_IMPORT_MAX_PART_MB", 2048, minimum=1, maximum=4095)
IMPORT_MAX_RATIO = _env_int("BANGFU_IMPORT_MAX_RATIO", 100, minimum=1)
# A task RUNNING for longer than this was left by a worker that died: more than any import's time budget.
TASK_STALE_MINUTES = _env_int("BANGFU_TASK_STALE_MINUTES", 60, minimum=IMPORT_MAX_SECONDS // 60 + 1)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "bangfu" / "locale"]
TIME_ZONE = _env("BANGFU_TIME_ZONE", "Asia/Shanghai")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    _refuse("BANGFU_TIME_ZONE", TIME_ZONE, "an IANA time zone name such as Asia/Shanghai")
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
LABOR_STABLE_MONTHS = _env_int("BANGFU_LABOR_STABLE_MONTHS", 6, minimum=1, maximum=120)
LABOR_WORKSHOP_MIN_POOR = _env_int("BANGFU_LABOR_WORKSHOP_MIN_POOR", 5, minimum=1)
LABOR_RETURN_ALERT_DAYS = _env_int("BANGFU_LABOR_RETURN_ALERT_DAYS", 30, minimum=1, maximum=3650)
LABOR_MIN_AGE = _env_int("BANGFU_LABOR_MIN_AGE", 16, minimum=0, maximum=100)
LABOR_MAX_AGE = _env_int("BANGFU_LABOR_MAX_AGE", 60, minimum=LABOR_MIN_AGE, maximum=100)
LABOR_RETENTION_MONTHLY = _env_amount("BANGFU_LABOR_RETENTION_MONTHLY", "300")
LABOR_RETENTION_MAX_MONTHS = _env_int("BANGFU_LABOR_RETENTION_MAX_MONTHS", 12, minimum=1, maximum=120)
# Transport subsidy per laborer-month, by where the job is (place=amount, comma-separated; places not named get none).
LABOR_TRANSPORT_AMOUNTS = _env("BANGFU_LABOR_TRANSPORT_AMOUNTS", "in_province=300,out_of_province=600,helper_city=600")
for _part in LABOR_TRANSPORT_AMOUNTS.split(","):
    _place, _equals, _amount = _part.partition("=")
    if not (_equals and re.fullmatch(r"[a-z_]+", _place.strip()) and re.fullmatch(r"\d+(\.\d{1,2})?", _amount.strip())):
        _refuse("BANGFU_LABOR_TRANSPORT_AMOUNTS", LABOR_TRANSPORT_AMOUNTS,
                "place=amount pairs separated by commas, e.g. in_province=300,out_of_province=600")

# Indicators (docs/indicators.md): stock and spell indicators (households registered by a year's end, jobs held in a
# year) are computed for each year from this one; flows (a record's own year) for every year the records name.
INDICATOR_FIRST_YEAR = _env_int("BANGFU_INDICATOR_FIRST_YEAR", 2013, minimum=1979, maximum=2100)
# After a write, the refresh of the facts waits this many seconds, so that a burst of writes is one refresh.
INDICATOR_REFRESH_DELAY = _env_int("BANGFU_INDICATOR_REFRESH_DELAY", 5, minimum=0, maximum=50)

# Funds (docs/funds.md): supervision lists money passed on to a project and unspent after this many days; the tilt
# rule on livelihood (民生) counts the projects of these categories (codes of projects.models.Category).
UNSPENT_DAYS = _env_int("BANGFU_UNSPENT_DAYS", 180, minimum=0, maximum=36500)
LIVELIHOOD_CATEGORIES = tuple(_env_list(
    "BANGFU_LIVELIHOOD_CATEGORIES", "education,health,housing,water,infrastructure,employment"))
if not LIVELIHOOD_CATEGORIES or not all(re.fullmatch(r"[a-z_]+", c) for c in LIVELIHOOD_CATEGORIES):
    _refuse("BANGFU_LIVELIHOOD_CATEGORIES", _env("BANGFU_LIVELIHOOD_CATEGORIES"),
            "project category codes separated by commas, e.g. education,health,housing")
