"""Settings for the CRM. Every deployment value comes from the environment (see crm/env.py)."""

from pathlib import Path

import phonenumbers
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from infra.env import (
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    mailer_from_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# A development key is only acceptable when DEBUG is on; production must set SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_filters",
    "bootstrap",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The project's own apps, from the ground up: each imports only those above it in this
    # list (docs/architecture.md).
    "audit",
    "crm",
    "notifications",
    "activities",
    "opportunities",
    "leads",
    "setup",
    "mail",
    "forecasting",
    "reports",
    "search",
    "merging",
    "privacy",
    "api",
    "webhooks",
    "home",
    "loadtest",
]

MIDDLEWARE = [
    "infra.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "infra.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "infra.middleware.NulFreeInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.context.AuditMiddleware",
    "infra.middleware.MalformedHtmxUrlMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "infra.middleware.NoStoreMiddleware",
    "infra.middleware.HtmxLoginRequiredMiddleware",
    "infra.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "infra.middleware.SessionTimeoutMiddleware",
    "merging.middleware.MergedRecordRedirectMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

FORM_RENDERER = "infra.rendering.FormRenderer"

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), base_dir=BASE_DIR
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query to machine code (JIT) when its estimated cost is high, which
    # pays off for long reports, not for a page: on the big data set it spent 1 to 3.8 s
    # compiling queries that then ran in tens of milliseconds. A DATABASE_URL that passes its
    # own ?options= keeps them.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "crm.User"
# Django's model backend, refusing logins locked for the caller's address (infra/login_lock.py).
AUTHENTICATION_BACKENDS = ["infra.login_lock.LockingModelBackend"]
# After this many failed logins for one account from one address, that pair is locked for
# LOGIN_LOCK_SECONDS (failures older than that are forgotten).
LOGIN_LOCK_ATTEMPTS = env_int("LOGIN_LOCK_ATTEMPTS", 5)
LOGIN_LOCK_SECONDS = env_int("LOGIN_LOCK_SECONDS", 15 * 60)
# After this many failed logins from one address, whatever the accounts, every login from it
# is refused for LOGIN_LOCK_SECONDS (an office behind one address seldom fails so often).
LOGIN_ADDRESS_ATTEMPTS = env_int("LOGIN_ADDRESS_ATTEMPTS", 20)
# How many proxies (load balancers) in front of the app append to X-Forwarded-For; 0 trusts none
# and uses the connection's address.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
# The security event log (crm/security_log.py) keeps this many days of events; more than
# SECURITY_BURST_EVENTS lockouts and denied accesses within SECURITY_BURST_MINUTES mail the
# admins, once per such window.
SECURITY_LOG_DAYS = env_int("SECURITY_LOG_DAYS", 365)
# Deleted records stay this many days in the trash (crm/trash.py), restorable, before
# ``manage.py purge_trash`` deletes them for good.
TRASH_DAYS = env_int("TRASH_DAYS", 30)
SECURITY_BURST_EVENTS = env_int("SECURITY_BURST_EVENTS", 20)
SECURITY_BURST_MINUTES = env_int("SECURITY_BURST_MINUTES", 10)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Argon2 first, as Django recommends: memory-hard, so a stolen hash is slow to guess on any
# hardware, and a login costs the server a fraction of PBKDF2's time. Passwords stored with
# PBKDF2 still log in, and are stored again with Argon2 then.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# With Redis, the cache (and so login locks and rate limits) and the sessions are shared by every
# app server; sessions are also written to the database, so a Redis restart logs nobody out.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "crm",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The REST API (api/, docs/api.md): personal tokens or the browser's session, the same scoping
# as the pages, JSON errors, cursor pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenRate"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.handle",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CRM API",
    "DESCRIPTION": "Leads, companies, contacts, deals and activities, as the app shows them.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    # The reference page's scripts and styles come from drf-spectacular-sidecar, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_errors",
    ],
}
# At most API_RATE_LIMIT requests per token (or signed-in user) in each API_RATE_WINDOW
# seconds, counted in the cache so that every app server shares the count.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600)
API_RATE_WINDOW = env_int("API_RATE_WINDOW", 60)
# How long the answer to a POST with an Idempotency-Key is kept to replay it.
API_IDEMPOTENCY_SECONDS = env_int("API_IDEMPOTENCY_SECONDS", 24 * 60 * 60)

# Background work is stored in the database and run by `manage.py db_worker` (see docs/deploy.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The public web-to-lead form: its leads go round-robin to the active members of this team
# (by name); with no such team or no members they stay unowned.
WEB_LEADS_TEAM = env_str("WEB_LEADS_TEAM", "")
# At most this many submissions per client address in any WEB_LEADS_RATE_WINDOW seconds (a
# sliding window), counted in the cache so that every app server shares the count.
WEB_LEADS_RATE_LIMIT = env_int("WEB_LEADS_RATE_LIMIT", 5)
# Password reset links sent per hour from one address, and to one email (a sliding window).
PASSWORD_RESET_RATE_LIMIT = env_int("PASSWORD_RESET_RATE_LIMIT", 5)
WEB_LEADS_RATE_WINDOW = env_int("WEB_LEADS_RATE_WINDOW", 600)
# A human takes at least this long to fill the form in; faster submissions are bots.
WEB_LEADS_MIN_FILL_SECONDS = env_int("WEB_LEADS_MIN_FILL_SECONDS", 3)
# Outbound webhooks (webhooks/): a failed delivery is tried again after WEBHOOKS_RETRY_BACKOFF
# seconds, then twice that, and so on, for WEBHOOKS_RETRY_HOURS after its event; an endpoint
# is disabled after WEBHOOKS_DISABLE_AFTER failed attempts in a row spread over at least
# WEBHOOKS_DISABLE_HOURS (a short outage never disables it). Endpoints may point at
# loopback, private or this site's own addresses only with WEBHOOKS_ALLOW_PRIVATE.
WEBHOOKS_TIMEOUT = env_int("WEBHOOKS_TIMEOUT", 5)
WEBHOOKS_RETRY_BACKOFF = env_int("WEBHOOKS_RETRY_BACKOFF", 30)
WEBHOOKS_RETRY_HOURS = env_int("WEBHOOKS_RETRY_HOURS", 24)
WEBHOOKS_DISABLE_AFTER = env_int("WEBHOOKS_DISABLE_AFTER", 15)
WEBHOOKS_DISABLE_HOURS = env_int("WEBHOOKS_DISABLE_HOURS", 12)
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Every amount is reported in this currency; deals in others are converted at dated rates.
BASE_CURRENCY = env_str("BASE_CURRENCY", "EUR")
CURRENCIES = env_list("CURRENCIES", ["EUR", "USD", "GBP", "CHF", "JPY"])
if BASE_CURRENCY not in CURRENCIES:
    CURRENCIES.insert(0, BASE_CURRENCY)
# Phone numbers typed without a country code are read as dialled in this country (ISO 3166
# code), and its numbers are shown in its national format (crm/phones.py).
PHONE_REGION = env_choice("PHONE_REGION", "ES", phonenumbers.SUPPORTED_REGIONS)

STATIC_URL = "static/"
STATIC_ROOT = env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Development prints mail to the console; production sends it through SMTP (localhost by default).
MAILERS = {
    "default": mailer_from_url(env_str("EMAIL_URL", "console://" if DEBUG else "smtp://localhost"))
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "crm@localhost")
# Where the app is reached (https://crm.example.com), for the links in the emails it sends;
# without it they carry none.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# Security headers. Production runs behind HTTPS; local development turns these off with DEBUG.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers check app servers over plain HTTP: a redirect would read as "unhealthy".
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# A signed-in session ends after this long without a request, and this long after logging in
# whatever the activity (infra.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 60 * 60 * 2)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 60 * 60 * 12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# The preload directive only makes the site eligible: listing it is a separate, manual request.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Logs go to standard error: JSON lines in production, plain text under DEBUG; either way each
# line carries the request id (crm/logs.py). LOG_REQUESTS adds one line per request.
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})
LOG_FORMAT = env_choice("LOG_FORMAT", "text" if DEBUG else "json", {"json", "text"})
LOG_REQUESTS = env_bool("LOG_REQUESTS", not DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "infra.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "infra.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Drop Django's own handlers (a second copy of its lines, mail to admins): the root's is enough.
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
    },
}
