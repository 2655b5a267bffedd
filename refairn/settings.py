"""Django settings, read from the environment with defaults that need nothing but Python.

Every knob is an environment variable; docs/operations.md lists them.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("REFAIRN_DATA_DIR") or Path.cwd() / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use SECRET_KEY when given; otherwise generate one once and keep it in the data directory,
    so sessions and tokens survive restarts without a key ever living in the code."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        # O_EXCL: when two processes start at once, the loser reads the winner's key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The test clock (API.md): never on unless asked for.
REFAIRN_TEST_CLOCK = env_bool("REFAIRN_TEST_CLOCK")

# A notification whose payload does not match its catalogued schema is a programming error: the
# suite and DEBUG refuse it; in production it is logged and sent as it is, so a person's change
# is never lost for a notice's sake.
REFAIRN_STRICT_EVENT_PAYLOADS = env_bool("REFAIRN_STRICT_EVENT_PAYLOADS", DEBUG)

# Where the platform is reachable from outside: the one base of every absolute URL it hands out
# (links in mails and webhook payloads; the issuer, keys, status lists and verification pages
# signed into verifiable credentials). REFAIRN_BASE_URL is its earlier name, still read.
REFAIRN_PUBLIC_URL = (
    os.environ.get("REFAIRN_PUBLIC_URL")
    or os.environ.get("REFAIRN_BASE_URL")
    or "http://127.0.0.1:8000"
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "ninja",
    "axes",
    "refairn.core",
    "refairn.accounts",
    "refairn.programs",
    "refairn.notifications",
    "refairn.certification",
    "refairn.credentials",
    "refairn.training",
    "refairn.assessments",
    "refairn.support",
    "refairn.commissions",
    "refairn.routing",
    "refairn.reporting",
    "refairn.demo",
    "refairn.webhooks",
]

MIDDLEWARE = [
    "refairn.core.middleware.RequestObservationMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the signed-in person's time zone for everything the page shows.
    "refairn.accounts.middleware.ViewerTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "refairn.core.middleware.DomainErrorPagesMiddleware",
    # Turns a sign-in lockout into a 429 (problem+json for the API, a notice for pages).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "refairn.urls"
WSGI_APPLICATION = "refairn.wsgi.application"

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
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "refairn.sqlite3"),
            "OPTIONS": {
                # WAL lets the web server read while the worker writes; IMMEDIATE takes the write
                # lock at BEGIN so concurrent writers queue instead of failing mid-transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The throttle's backend comes first: it refuses a locked-out caller before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in throttling (issue 18; refairn.accounts.throttle, docs/operations.md). Failed
# sign-ins are counted per account at one address, per address and per account; a limit of 0
# turns that rule off.
REFAIRN_SIGNIN_LIMITS = {
    "account_at_address": int(os.environ.get("REFAIRN_SIGNIN_LIMIT_ACCOUNT_ADDRESS") or 5),
    "address": int(os.environ.get("REFAIRN_SIGNIN_LIMIT_ADDRESS") or 20),
    "account": int(os.environ.get("REFAIRN_SIGNIN_LIMIT_ACCOUNT") or 50),
}
# Reverse proxies in front of the app that append to X-Forwarded-For (0: none; the peer address
# is the client's). Set it behind a TLS proxy, else every client shares the proxy's address.
REFAIRN_TRUSTED_PROXIES = int(os.environ.get("REFAIRN_TRUSTED_PROXIES") or 0)
AXES_ENABLED = env_bool("REFAIRN_SIGNIN_THROTTLE", default=True)
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("REFAIRN_SIGNIN_COOLOFF_MINUTES") or 15))
AXES_HANDLER = "refairn.accounts.throttle.ThrottleHandler"
AXES_LOCKOUT_PARAMETERS = [
    parameters
    for parameters, limit in zip(
        (["username", "ip_address"], "ip_address", "username"),
        REFAIRN_SIGNIN_LIMITS.values(),
        strict=True,
    )
    if limit > 0
] or ["ip_address"]
# Axes' own check uses the largest limit; each rule's own limit is applied by the handler.
AXES_FAILURE_LIMIT = max(REFAIRN_SIGNIN_LIMITS.values()) or 1_000_000
AXES_LOCK_OUT_AT_FAILURE = any(REFAIRN_SIGNIN_LIMITS.values())
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "refairn.accounts.throttle.account_key"
AXES_CLIENT_IP_CALLABLE = "refairn.accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "refairn.accounts.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
# Tokens made by signing in (POST /auth/token, sign-up) expire after this many days.
REFAIRN_TOKEN_LIFETIME_DAYS = int(os.environ.get("REFAIRN_TOKEN_LIFETIME_DAYS") or 90)
# Adaptive assessments (issue 15): the fewest questions before the test may stop, the number
# of most informative questions the next one is drawn from, and the responses a question needs
# before calibration estimates its parameters.
REFAIRN_CAT_MIN_QUESTIONS = int(os.environ.get("REFAIRN_CAT_MIN_QUESTIONS") or 10)
REFAIRN_CAT_TOP_K = int(os.environ.get("REFAIRN_CAT_TOP_K") or 3)
REFAIRN_CALIBRATION_MIN_RESPONSES = int(os.environ.get("REFAIRN_CALIBRATION_MIN_RESPONSES") or 200)

# HTTPS, when a TLS proxy sits in front (docs/operations.md, "Behind a TLS proxy"): the proxy
# says the request came over HTTPS in X-Forwarded-Proto, Django then marks cookies secure,
# redirects plain HTTP and sends HSTS as configured.
REFAIRN_BEHIND_TLS_PROXY = env_bool("REFAIRN_BEHIND_TLS_PROXY")
if REFAIRN_BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("REFAIRN_SSL_REDIRECT", default=REFAIRN_BEHIND_TLS_PROXY)
# Probes from inside the network may speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$", r"^api/v1/ready$"]
SECURE_HSTS_SECONDS = int(os.environ.get("REFAIRN_HSTS_SECONDS") or 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("REFAIRN_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("REFAIRN_HSTS_PRELOAD")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=REFAIRN_BEHIND_TLS_PROXY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: every page loads its code from static files. Training
# videos may live on the business's own https host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF, "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The pages' date and time formats, in one place (issue 12 item 7).
FORMAT_MODULE_PATH = ["refairn.core.formats"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it before the first collectstatic
MEDIA_ROOT = Path(os.environ.get("REFAIRN_MEDIA_DIR") or DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY: dict[str, object]
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "refairn", "url": REDIS_URL}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "refairn",
        "filename": str(DATA_DIR / "huey.sqlite3"),
    }
HUEY["immediate"] = env_bool("REFAIRN_HUEY_IMMEDIATE")
HUEY["consumer"] = {"workers": int(os.environ.get("REFAIRN_WORKERS", "2")), "worker_type": "thread"}

# E-mail (issue 13), with Django's own setting names; without EMAIL_HOST, mails are printed.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT") or 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Refairn <noreply@localhost>")

# Prometheus scrapes GET /metrics with this bearer token; unset, the endpoint is off (404).
REFAIRN_METRICS_TOKEN = os.environ.get("REFAIRN_METRICS_TOKEN", "")

# Logs: one line per request (refairn.request) and whatever the apps say. REFAIRN_LOG_FORMAT=json
# writes each record as one JSON object, for a log collector.
REFAIRN_LOG_FORMAT = os.environ.get("REFAIRN_LOG_FORMAT", "text")
if REFAIRN_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("REFAIRN_LOG_FORMAT is text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": REFAIRN_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # axes: failures and lockouts are warnings; its start-up banner is not worth a line.
    "loggers": {"huey": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
