"""Settings for kotacerdas, read from the environment (see ``.env.example``).

The defaults are for a developer's machine: SQLite under ``var/``, debug on,
mail printed to the console. ``KOTACERDAS_ENV=production`` turns on the checks
that refuse unsafe values.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(environ.Env().str("KOTACERDAS_VAR_DIR", default=str(Path.cwd() / "var")))

env = environ.Env()
env.read_env(Path.cwd() / ".env")  # a local .env, if present, fills unset variables only

INSECURE_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - refused in production

ENVIRONMENT = env.str("KOTACERDAS_ENV", default="development")
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if PRODUCTION:
    problems = []
    if SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if DEBUG:
        problems.append("DEBUG must be off")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must name the public host names")
    if problems:
        raise ImproperlyConfigured("Unsafe production settings: " + "; ".join(problems))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the Swagger UI assets locally instead of from a CDN
    "axes",
    "kotacerdas.core",
    "kotacerdas.regions",
    "kotacerdas.tenants",
    "kotacerdas.accounts",
    "kotacerdas.notifications",
    "kotacerdas.complaints",
    "kotacerdas.services",
    "kotacerdas.emergency",
    "kotacerdas.planning",
    "kotacerdas.spbe",
    "kotacerdas.sensors",
    "kotacerdas.wifi",
    "kotacerdas.economy",
    # After the apps whose statistics it publishes: its demo runs after theirs.
    "kotacerdas.opendata",
    "kotacerdas.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kotacerdas.core.middleware.SecurityHeaders",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kotacerdas.core.middleware.RejectBadInput",
    # A tenant's open-data portal on its own host (OPENDATA_HOSTS); no-op when none is set.
    "kotacerdas.opendata.middleware.TenantDataHost",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Turns a blocked rate limit into RATELIMIT_VIEW's 429 instead of a 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a locked-out sign-in into the lockout page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kotacerdas.urls"
WSGI_APPLICATION = "kotacerdas.wsgi.application"
ASGI_APPLICATION = "kotacerdas.asgi.application"

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
                "kotacerdas.core.context_processors.platform",
                "kotacerdas.notifications.context_processors.bell",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kotacerdas.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock between two writing transactions.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
        }
    )
else:
    # Under ASGI each request's synchronous code may run on a fresh thread, so persistent
    # per-thread connections pile up until PostgreSQL refuses more; psycopg's pool shares a
    # bounded set of connections instead (Django requires CONN_MAX_AGE = 0 with it).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Fail fast (documented in docs/deployment.md): during an outage a request waits at most
    # DB_POOL_TIMEOUT seconds for a connection (a new connection gives up after
    # DB_CONNECT_TIMEOUT), and no statement runs longer than DB_STATEMENT_TIMEOUT_MS.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
        "timeout": env.float("DB_POOL_TIMEOUT", default=5),
    }
    options.setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=3))
    statement_timeout = env.int("DB_STATEMENT_TIMEOUT_MS", default=30_000)
    if statement_timeout:
        options["options"] = (
            options.get("options", "") + f" -c statement_timeout={statement_timeout}"
        ).strip()

# Read replica (docs/scaling.md): unset, nothing changes. Set, read-only requests read from
# this streaming standby; writes, transactions and a client's requests for
# REPLICA_STICKY_SECONDS after it wrote use the primary; reads fall back to the primary while
# the replica is unreachable (tried again after REPLICA_RETRY_SECONDS).
if env.str("DATABASE_REPLICA_URL", default=""):
    replica = env.db_url("DATABASE_REPLICA_URL")
    replica_options = replica.setdefault("OPTIONS", {})
    for key, value in DATABASES["default"].get("OPTIONS", {}).items():
        replica_options.setdefault(key, dict(value) if isinstance(value, dict) else value)
    if "pool" in replica_options:
        # An unreachable replica must cost a read little before it falls back.
        replica_options["pool"]["timeout"] = env.float("DB_REPLICA_POOL_TIMEOUT", default=1)
    replica["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    replica["CONN_HEALTH_CHECKS"] = True  # a pooled connection to a restarted standby is dropped
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = replica
    DATABASE_ROUTERS = ["kotacerdas.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(1, "kotacerdas.core.replica.ReadYourWrites")
    REPLICA_STICKY_SECONDS = env.int("REPLICA_STICKY_SECONDS", default=5)
    REPLICA_RETRY_SECONDS = env.int("REPLICA_RETRY_SECONDS", default=30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # The database cache is shared by every worker process with no extra
    # service. Point CACHE_URL at Redis for heavy load.
    "default": env.cache_url("CACHE_URL", default="dbcache://kotacerdas_cache"),
}
# Rate limits count on every request, so they live on a fast store and never on the database
# cache: Redis when CACHE_URL names it (shared by every worker and host), otherwise this
# process's memory (each worker then counts on its own; see docs/deployment.md).
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["ratelimit"] = {**CACHES["default"], "KEY_PREFIX": "rl"}
else:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kotacerdas-ratelimit",
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "kotacerdas.accounts.backends.LockoutBackend",  # first: refuses locked-out accounts
    "kotacerdas.accounts.backends.EmailPhoneUsernameBackend",
]
# Per-account sign-in throttling (django-axes), on top of the per-address rate limit: after
# AXES_FAILURE_LIMIT wrong passwords for one account, from any number of addresses, that account
# cannot sign in for AXES_COOLOFF_TIME. The lock always ends on time (failures during it do not
# extend it), a successful password reset lifts it at once, and the owner can always reset.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
# Sign-in attempts per client address (django-ratelimit's "N/m" form); an office behind one NAT
# address may need more.
LOGIN_RATE_PER_IP = env.str("LOGIN_RATE_PER_IP", default="20/m")
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "kotacerdas.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "kotacerdas.accounts.backends.client_ip"
AXES_USERNAME_CALLABLE = "kotacerdas.accounts.backends.lockout_key"
AXES_VERBOSE = False
# axes.W006 asks for per-address lockout too; addresses are limited by django-ratelimit instead
# (a per-address lockout would let one NAT'd office lock out each other).
# models.W040: covering indexes (Index(include=…)) are PostgreSQL's; SQLite, for local use
# only, builds them without the included columns, which changes no result.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
# Each app keeps its translations in its own locale/ folder (English; Indonesian is the source).
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Private files (identity documents, complaint originals) live outside any
# web root and are only served through an access-checked view.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# Outside production, static files are served straight from the apps (no collectstatic step).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Request bodies: the ASGI edge (kotacerdas.core.middleware.BodyLimit) refuses anything larger
# than MAX_REQUEST_BODY_MB with a 413 before Django reads it, by its Content-Length or as it
# streams in; set the reverse proxy's limit (nginx client_max_body_size) to the same value.
MAX_REQUEST_BODY = env.int("MAX_REQUEST_BODY_MB", default=48) * 1024 * 1024
# Non-file form fields and JSON bodies; files above FILE_UPLOAD_MAX_MEMORY_SIZE go to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

vars().update(
    env.email_url(
        "EMAIL_URL", default="consolemail://" if not PRODUCTION else "smtp://localhost:25"
    )
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kotacerdas <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds an SMTP connection may take before the attempt counts as failed (and is retried).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# The public address of the site, for links in emails (unsubscribe, "see your complaint").
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# The notification outbox (kotacerdas deliver_notifications): attempts before an email is
# marked dead, the first retry delay (doubling each time, capped), how long a worker owns a
# claimed message before another may take it over, and the idle worker's sleep.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=60)
NOTIFICATION_RETRY_MAX_SECONDS = env.int("NOTIFICATION_RETRY_MAX_SECONDS", default=6 * 60 * 60)
NOTIFICATION_LEASE_SECONDS = env.int("NOTIFICATION_LEASE_SECONDS", default=10 * 60)
NOTIFICATION_POLL_SECONDS = env.float("NOTIFICATION_POLL_SECONDS", default=2.0)

# Secure cookies in production; SECURE_COOKIES=false only for a plain-HTTP test server.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("HSTS_INCLUDE_SUBDOMAINS", default=False)
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_VIEW = "kotacerdas.core.views.rate_limited"
# Behind a reverse proxy every request comes from the proxy's address: name the header that
# carries the client's address (e.g. HTTP_X_REAL_IP, set by nginx), or limits are shared.
RATELIMIT_IP_META_KEY: str | None = env.str("RATELIMIT_IP_META_KEY", default="") or None

# Complaints: each process caches a tenant's filing configuration (tenant, api_keys,
# categories, SLA policy, holidays) and checks at most this often whether another process
# changed it (complaints/config.py).
COMPLAINTS_CONFIG_RECHECK_SECONDS = env.float("COMPLAINTS_CONFIG_RECHECK_SECONDS", default=1.0)
# Public Open311 feeds (service and request lists) from the default cache: served as built for
# FRESH seconds, then still served while a background thread rebuilds them, up to STALE
# seconds after they were built (complaints/feed_cache.py). STALE=0 turns the cache off.
OPEN311_FEED_FRESH_SECONDS = env.int("OPEN311_FEED_FRESH_SECONDS", default=5)
OPEN311_FEED_STALE_SECONDS = env.int("OPEN311_FEED_STALE_SECONDS", default=60)

# The leaders' command centre (dashboard app): how long computed figures stay cached for a
# period that is still running, and for an ended one; how often wall screens poll.
DASHBOARD_LIVE_SECONDS = env.int("DASHBOARD_LIVE_SECONDS", default=60)
DASHBOARD_PAST_SECONDS = env.int("DASHBOARD_PAST_SECONDS", default=900)
DASHBOARD_WALL_POLL_SECONDS = env.int("DASHBOARD_WALL_POLL_SECONDS", default=15)
# PostgreSQL connections (from the pool, DB_POOL_MAX_SIZE) that compute one cold overview's
# KPIs at once; 1 computes them one after another.
DASHBOARD_WORKERS = env.int("DASHBOARD_WORKERS", default=3)

# Base map tiles. A government intranet sets its own tile server; an empty value
# shows markers on a blank background and makes no outside request.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="© OpenStreetMap contributors")


def _tile_origin(url: str) -> str:
    """The CSP source for the tile server: its scheme and host, ``{s}`` subdomains as ``*``."""
    if not url:
        return ""
    scheme, _sep, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return f"{scheme}://{host}"


# No inline scripts or handlers anywhere: every script is a static file, data goes in
# json_script blocks or data- attributes. Styles may be inline (Leaflet and htmx set them).
_STRICT_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {_tile_origin(MAP_TILE_URL)}".strip(),
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# An empty CONTENT_SECURITY_POLICY means the strict policy above.
CONTENT_SECURITY_POLICY = (
    (env.str("CONTENT_SECURITY_POLICY", default="") or _STRICT_POLICY)
    if PRODUCTION or env.bool("CSP", default=False)
    else ""
)

PLATFORM_NAME = env.str("PLATFORM_NAME", default="kotacerdas")

# Public services (docs/services.md). An untouched draft expires after SERVICES_DRAFT_DAYS.
SERVICES_DRAFT_DAYS = env.int("SERVICES_DRAFT_DAYS", default=30)
# UU 27/2022 (PDP): identity documents are kept no longer than their purpose needs. Days after
# the outcome before `purge_service_documents` deletes the uploads: a rejection leaves time for
# an objection (keberatan, 21 working days under UU 30/2014); a draft counts from its expiry.
SERVICES_RETENTION_DAYS = {
    "completed": env.int("SERVICES_RETENTION_COMPLETED_DAYS", default=90),
    "rejected": env.int("SERVICES_RETENTION_REJECTED_DAYS", default=90),
    "cancelled": env.int("SERVICES_RETENTION_CANCELLED_DAYS", default=30),
    "abandoned_draft": env.int("SERVICES_RETENTION_DRAFT_DAYS", default=30),
}
# PEM/DER files of the certificate authorities whose electronic signatures on result documents
# are recognised (e.g. the BSrE root), comma-separated. Empty: a signature can be verified as
# intact, but its signer is shown as not recognised.
SERVICES_SIGNATURE_TRUST_ROOTS: list[str] = env.list("SERVICES_SIGNATURE_TRUST_ROOTS", default=[])
SERVICES_SIAK_ADAPTER = env.str(
    "SERVICES_SIAK_ADAPTER", default="kotacerdas.services.siak.ManualSiakAdapter"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "kotacerdas.core.logging.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's own console handler would print every record a second time (under DEBUG);
        # everything goes through the root handler, and its redaction, once.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A 404 or 400 is one line of the access log; only errors get their own record.
        "django.request": {"level": "ERROR"},
        # uvicorn's loggers have their own unfiltered handlers; route them through ours.
        "uvicorn": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"handlers": [], "level": "INFO", "propagate": True},
        "uvicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # amqtt (serve_mqtt) logs every message it does not relay, and its session state
        # machine, at INFO: one line per device message.
        "amqtt": {"level": "WARNING"},
        "transitions": {"level": "WARNING"},
    },
}

# Sensors (kotacerdas.sensors). The MQTT broker (Mosquitto with the dynamic-security plugin)
# the devices publish to; empty means none: devices then use `serve_mqtt` or HTTP.
SENSORS_MQTT_URL = env.str("SENSORS_MQTT_URL", default="")  # mqtt://user:pass@host:port
SENSORS_RAW_RETENTION_DAYS = env.int("SENSORS_RAW_RETENTION_DAYS", default=400)
SENSORS_MAX_FUTURE_SECONDS = env.int("SENSORS_MAX_FUTURE_SECONDS", default=300)
SENSORS_MAX_PAST_DAYS = env.int("SENSORS_MAX_PAST_DAYS", default=7)
SENSORS_PARTITION_MONTHS_AHEAD = env.int("SENSORS_PARTITION_MONTHS_AHEAD", default=3)
SENSORS_ISPU_BREAKPOINTS_FILE = env.str("SENSORS_ISPU_BREAKPOINTS_FILE", default="")

# Public Wi-Fi health checks (kotacerdas check_hotspots): points per round, probes at once,
# ICMP echoes per check and the timeout of each probe in seconds.
WIFI_CHECK_BATCH = env.int("WIFI_CHECK_BATCH", default=5000)
WIFI_CHECK_CONCURRENCY = env.int("WIFI_CHECK_CONCURRENCY", default=256)
WIFI_CHECK_PINGS = env.int("WIFI_CHECK_PINGS", default=3)
WIFI_CHECK_TIMEOUT = env.float("WIFI_CHECK_TIMEOUT", default=2.0)
# The complaint category (service code) a citizen's "laporkan gangguan" is filed under.
WIFI_COMPLAINT_CATEGORY = env.str("WIFI_COMPLAINT_CATEGORY", default="internet-publik")
# Open data (kotacerdas.opendata): automatic datasets blank every figure of a row whose count
# is below this (1..N-1 people or cases could be identified); a common rule is 5.
OPENDATA_SMALL_CELL_THRESHOLD = env.int("OPENDATA_SMALL_CELL_THRESHOLD", default=5)
# A tenant's Satu Data portal and CKAN API on a host of its own: "host=tenant-slug" pairs,
# e.g. "data.serangkota.go.id=kota-serang" (add the host to ALLOWED_HOSTS too).
OPENDATA_HOSTS: dict[str, str] = dict(
    pair.split("=", 1) for pair in env.list("OPENDATA_HOSTS", default=[]) if "=" in pair
)

# Tourism villages and OVOP (kotacerdas.economy): the OPDs (by acronym) that act as the tourism
# office and the OVOP office; reminder and retention periods; extra OVOP commodity groups.
ECONOMY_TOURISM_OPDS = env.list(
    "ECONOMY_TOURISM_OPDS", default=["Disparpora", "Dispar", "Disbudpar"]
)
ECONOMY_OVOP_OPDS = env.list(
    "ECONOMY_OVOP_OPDS", default=["Disperindagkop", "Disperindag", "DKUKM", "DKP", "DKPPP"]
)
ECONOMY_ANSWER_REMINDER_HOURS = env.int("ECONOMY_ANSWER_REMINDER_HOURS", default=24)
ECONOMY_VISITOR_RETENTION_DAYS = env.int("ECONOMY_VISITOR_RETENTION_DAYS", default=365)
ECONOMY_PERMIT_REMINDER_DAYS = env.int("ECONOMY_PERMIT_REMINDER_DAYS", default=60)
ECONOMY_EXTRA_PRODUCT_GROUPS = env.list("ECONOMY_EXTRA_PRODUCT_GROUPS", default=[])
