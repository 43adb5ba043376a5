"""Layanan settings, read from the environment with safe development defaults.

Every production knob is an environment variable; see docs/operations.md. Nothing here needs a
running service: without DATABASE_URL the app uses SQLite in the project folder.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate limit of public pages, ``"REQUESTS/SECONDS"`` (e.g. ``"20/600"``)."""
    requests, _, seconds = env(name, default).partition("/")
    return int(requests), int(seconds)


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY") or ("django-insecure-dev-only-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Public address used in QR codes, e-mails and posters (no trailing slash).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "ninja",
    "layanan.core",
    "layanan.accounts",
    "layanan.workdays",
    "layanan.catalog",
    "layanan.cases",
    "layanan.complaints",
    "layanan.api",
    "layanan.open311",
    "layanan.notify",
    "layanan.intake",
    "layanan.facilities",
    "layanan.audiences",
    "layanan.surveys",
    "layanan.visits",
    "layanan.reports",
    "layanan.evaluation",
    "layanan.setup",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "layanan.ops",
]

MIDDLEWARE = [
    # first: checks the Host before anything reads it, sees every exception a view raises
    "layanan.core.middleware.EdgeErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "layanan.core.timezones.OrganisationTimeZoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "layanan.core.security.SessionTimeoutMiddleware",
    "layanan.core.security.SecondFactorMiddleware",
    "layanan.core.scoping.UnitScopeMiddleware",  # case tables: the user's units, or none
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "layanan.urls"
WSGI_APPLICATION = "layanan.wsgi.application"
ASGI_APPLICATION = "layanan.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "layanan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "layanan.core.context_processors.site",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the dev server and a task worker share the file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
# A read replica (docs/operations.md, "A read replica"): reports, dashboards, exports and the IKM
# read there (layanan/core/db_routing.py), everything else, and the pages right after a staff
# member's write (for REPLICA_PIN_SECONDS), on the primary. Unset: one database, as before.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
REPLICA_PIN_SECONDS = int(env("REPLICA_PIN_SECONDS", "10"))
if DATABASE_REPLICA_URL:
    _replica = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    if _replica["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise RuntimeError("DATABASE_REPLICA_URL must be a replica of DATABASE_URL (same engine)")
    _replica["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})}
    # Tests: no test database is created on the replica (it is read-only); the alias only takes
    # the name of the primary's test database (Django's set_as_test_mirror changes NAME alone),
    # which physical replication brings to the replica (tests/ops/test_replica.py).
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["layanan.core.db_routing.ReplicaRouter"]
    # read-your-writes: a write, and a staff member's pages right after one, read the primary
    MIDDLEWARE.insert(
        MIDDLEWARE.index("layanan.core.scoping.UnitScopeMiddleware") + 1,
        "layanan.core.db_routing.ReplicaPinMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:inbox"
LOGOUT_REDIRECT_URL = "catalog:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Only the fallback: units carry their zone, the top unit's is the organisation's default
# (layanan/core/timezones.py). Set it to that default so commands and tasks speak it too.
TIME_ZONE = env("TIME_ZONE", "Asia/Pontianak")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / env("STATIC_ROOT", "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "layanan" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Attachments live outside the web root and are served only through authorising views.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES["attachments"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    # base_url is never served: files leave only through layanan.cases.attachments
    "OPTIONS": {"location": str(MEDIA_ROOT / "private"), "base_url": "/unserved/"},
}
# Posters of published standards, rendered at publishing and served from here (catalog/poster.py).
STORAGES["posters"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(MEDIA_ROOT / "posters"), "base_url": "/unserved/"},
}
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_BYTES", str(5 * 1024 * 1024)))
# The SLA sweep warns this many minutes before the due time (limits in minutes/hours; in days)
SLA_DUE_SOON_SHORT_MINUTES = int(env("SLA_DUE_SOON_SHORT_MINUTES", "60"))
SLA_DUE_SOON_LONG_MINUTES = int(env("SLA_DUE_SOON_LONG_MINUTES", str(24 * 60)))
# Reminders the working day before an audience / a facility booking
# (layanan/cases/reminders.py): due at this hour (the unit's local time), sent only until
# the quiet hour.
BOOKING_REMINDER_HOUR = int(env("BOOKING_REMINDER_HOUR", "8"))
BOOKING_REMINDER_QUIET_HOUR = int(env("BOOKING_REMINDER_QUIET_HOUR", "20"))
# The kinds the reminder sweep walks, in this order (each a cases.reminders.ReminderKind): a
# list here, not a registration in each app's ready(), so the order is this one whatever the
# order of INSTALLED_APPS.
REMINDER_KINDS = [
    "layanan.audiences.reminders.AUDIENCE_REMINDERS",
    "layanan.facilities.reminders.BOOKING_REMINDERS",
]
ATTACHMENT_MAX_FILES = int(env("ATTACHMENT_MAX_FILES", "5"))

# Background tasks (django.tasks). Without TASKS_REDIS_URL: the database backend (django-tasks-db,
# worker ``manage.py db_worker``), nothing else to run. With it: RQ on that Redis
# (django-tasks-rq, worker ``manage.py rqworker --with-scheduler default``), for several worker
# processes or servers. REDIS_URL (the cache) alone does not switch: a deployment
# that only adds a shared cache keeps its db_worker. TASKS_BACKEND still overrides the class.
TASKS_REDIS_URL = env("TASKS_REDIS_URL")
TASKS = {
    "default": {
        "BACKEND": env(
            "TASKS_BACKEND",
            "django_tasks_rq.RQBackend" if TASKS_REDIS_URL else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}
if TASKS_REDIS_URL:
    INSTALLED_APPS.append("django_rq")  # the rqworker command, RQ_QUEUES
    # A job still running after this many seconds is killed by its worker (RQ's default: 180).
    RQ_QUEUES = {
        "default": {
            "URL": TASKS_REDIS_URL,
            "DEFAULT_TIMEOUT": int(env("TASKS_RQ_JOB_TIMEOUT", "1800")),
        }
    }
    # The job class that runs an RQ job as a Django task (plain RQ jobs would all fail): the
    # default of every worker, so `rqworker` needs no --job-class.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

# E-mail: real SMTP through Django 6.1's MAILERS. EMAIL_HOST/PORT default to a local relay.
MAILERS = {
    "default": {
        "BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": (
            {
                "host": env("EMAIL_HOST", "127.0.0.1"),
                "port": int(env("EMAIL_PORT", "25")),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "use_ssl": env_bool("EMAIL_USE_SSL"),
                "timeout": int(env("EMAIL_TIMEOUT", "10")),
            }
            if env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend").endswith(
                "smtp.EmailBackend"
            )
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Layanan <layanan@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Notifications (layanan.notify): the outbox and its channels; see docs/notifications.md.
NOTIFY_MAILER = env("NOTIFY_MAILER", "default")  # the MAILERS alias notifications go through
NOTIFY_MAX_ATTEMPTS = int(env("NOTIFY_MAX_ATTEMPTS", "6"))
NOTIFY_BACKOFF_BASE_SECONDS = int(env("NOTIFY_BACKOFF_BASE_SECONDS", "60"))  # doubles per try
NOTIFY_BACKOFF_MAX_SECONDS = int(env("NOTIFY_BACKOFF_MAX_SECONDS", "3600"))
NOTIFY_SENDING_TIMEOUT_SECONDS = int(env("NOTIFY_SENDING_TIMEOUT_SECONDS", "900"))
NOTIFY_DISPATCH_ON_COMMIT = env_bool("NOTIFY_DISPATCH_ON_COMMIT", True)
WHATSAPP_ENABLED = env_bool("WHATSAPP_ENABLED", False)
WHATSAPP_TOKEN = env("WHATSAPP_TOKEN")
WHATSAPP_PHONE_NUMBER_ID = env("WHATSAPP_PHONE_NUMBER_ID")
WHATSAPP_API_BASE = env("WHATSAPP_API_BASE", "https://graph.facebook.com/v20.0")
WHATSAPP_TIMEOUT = float(env("WHATSAPP_TIMEOUT", "10"))
# Incoming WhatsApp (layanan.intake, docs/intake.md): the webhook's verify token (the GET
# handshake) and the Meta app secret (the X-Hub-Signature-256 of every POST). Without a secret
# every POST is refused.
WHATSAPP_VERIFY_TOKEN = env("WHATSAPP_VERIFY_TOKEN")
WHATSAPP_APP_SECRET = env("WHATSAPP_APP_SECRET")
# The slug of the unit whose intake queue the global WHATSAPP_PHONE_NUMBER_ID fills (units
# with a number of their own are set in the admin). Empty: the global number receives nothing
# (its deliveries are refused as an unknown number).
WHATSAPP_DEFAULT_UNIT = env("WHATSAPP_DEFAULT_UNIT")
# Outside the 24-hour customer-service window only an approved template reaches a citizen:
# its name and language, two body parameters ({{1}} what happened, {{2}} the link).
WHATSAPP_TEMPLATE_UPDATE = env("WHATSAPP_TEMPLATE_UPDATE")
WHATSAPP_TEMPLATE_LANGUAGE = env("WHATSAPP_TEMPLATE_LANGUAGE", "id")
# One "message received" reply per sender per this many minutes (a burst of messages gets one).
WHATSAPP_ACK_QUIET_MINUTES = int(env("WHATSAPP_ACK_QUIET_MINUTES", "60"))
# Process webhook events in a task right after they are stored (else only in the sweep,
# manage.py process_whatsapp).
WHATSAPP_PROCESS_ON_COMMIT = env_bool("WHATSAPP_PROCESS_ON_COMMIT", True)
# Processed webhook deliveries (raw copies of citizens' messages) are deleted after this many
# days by manage.py process_whatsapp; the messages themselves stay in the intake queue.
WHATSAPP_EVENT_KEEP_DAYS = int(env("WHATSAPP_EVENT_KEEP_DAYS", "30"))

# Intake (layanan.intake): units' mailboxes read over IMAP; see docs/intake.md.
# The key that encrypts mailbox passwords stored in the database (default: from SECRET_KEY).
INTAKE_SECRET_KEY = env("INTAKE_SECRET_KEY")
INTAKE_IMAP_TIMEOUT = float(env("INTAKE_IMAP_TIMEOUT", "30"))
# A CA bundle for a mail server whose certificate is not signed by a public CA (else: system's).
INTAKE_IMAP_CA_FILE = env("INTAKE_IMAP_CA_FILE")
# Allows mailboxes on 127.0.0.1/::1 without TLS (the test suite's own IMAP server). Never on in
# production: passwords would travel in clear.
INTAKE_IMAP_ALLOW_PLAINTEXT_LOOPBACK = env_bool("INTAKE_IMAP_ALLOW_PLAINTEXT_LOOPBACK", False)
INTAKE_FETCH_LIMIT = int(env("INTAKE_FETCH_LIMIT", "200"))  # messages per mailbox per run

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}
        if env("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Security: strict by default outside DEBUG (manage.py check --deploy is clean).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# LOG_FORMAT=json writes one JSON object per line (for journald/Loki/ELK; layanan/ops/logging.py).
LOG_FORMAT = env("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "layanan.ops.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# API rate limits (ninja's syntax: N/s, N/m, N/h): per client address and per token.
API_THROTTLE_ANON = env("API_THROTTLE_ANON", "300/m")
API_THROTTLE_TOKEN = env("API_THROTTLE_TOKEN", "1200/m")
API_THROTTLE_COMPLAINT = env("API_THROTTLE_COMPLAINT", "20/h")  # public filing, per address


# Public pages, per client address (layanan/core/ratelimit.py)
COMPLAINT_SUBMIT_RATE = env_rate("COMPLAINT_SUBMIT_RATE", "20/600")  # complaint form POSTs
# Every lookup by tracking code or id, one budget for the pages, the API and Open311.
TRACKING_LOOKUP_RATE = env_rate("TRACKING_LOOKUP_RATE", "120/600")
SURVEY_KIOSK_RATE = env_rate("SURVEY_KIOSK_RATE", "30/600")  # survey kiosk submissions
SURVEY_INVITATION_DAYS = int(env("SURVEY_INVITATION_DAYS", "30"))  # survey link validity
OPEN311_CONTACT = env("OPEN311_CONTACT")  # contact in Open311 discovery (default: the sender)

# The seed standards `load_demo` imports: a copy of the bureaus' real documents kept in the
# repository (data/seeds/), so a clone needs nothing beside it.
SEEDS_DIR = Path(env("LAYANAN_SEEDS_DIR", str(BASE_DIR / "data" / "seeds")))

# Operations and privacy (layanan/ops, docs/operations.md).
# /healthz and `manage.py healthcheck` fail when the oldest task waiting for the worker is older.
HEALTHCHECK_TASK_MAX_AGE_SECONDS = int(env("HEALTHCHECK_TASK_MAX_AGE_SECONDS", "900"))

# How far ahead the working-day calendar must be ready (holidays loaded, estimates confirmed):
# a case received today with the longest deadline in use (60 working days, about 100 calendar
# days around the new year) is due before this. Staff see a banner, /healthz says "degraded"
# otherwise (layanan/workdays/selectors.py, docs/deadlines.md).
CALENDAR_HORIZON_DAYS = int(env("CALENDAR_HORIZON_DAYS", "120"))
# Days after closing (closed, rejected, withdrawn) before `apply_retention` erases the
# requester's identity; the case, its times and statuses stay for the statistics. Defaults are a
# starting point: each office sets them from its own archive retention schedule (JRA).
RETENTION_DAYS = {
    "complaint": int(env("RETENTION_DAYS_COMPLAINT", str(5 * 365))),
    "audience": int(env("RETENTION_DAYS_AUDIENCE", str(2 * 365))),
    "facility": int(env("RETENTION_DAYS_FACILITY", str(2 * 365))),
    "consultation": int(env("RETENTION_DAYS_CONSULTATION", str(2 * 365))),
    "visit": int(env("RETENTION_DAYS_VISIT", "365")),
}

# Accounts and web hardening (issue 9); see docs/security.md.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # older hashes still verify, and are upgraded to Argon2 at the next login
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out username+address pairs
    "django.contrib.auth.backends.ModelBackend",
    "layanan.accounts.admin_access.AdminRulesBackend",  # what staff administer in the admin
]
# Lockout (django-axes): N failures per username and address lock that pair for a cool-off.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "layanan.accounts.views.lockout_response"  # translated page, 429
AXES_CLIENT_IP_CALLABLE = "layanan.core.ratelimit.client_address"
AXES_DISABLE_ACCESS_LOG = True  # successful logins go to accounts.LoginRecord instead
AXES_VERBOSE = False
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # lockouts are warnings; resets are noise
# Two-factor authentication (django-otp, TOTP). Required for these roles (and superusers)
# when OTP_REQUIRED is on, which it is by default outside DEBUG; offered to everyone.
OTP_REQUIRED = env_bool("OTP_REQUIRED", not DEBUG)
OTP_REQUIRED_FOR_ROLES = ("admin", "head") if OTP_REQUIRED else ()
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Layanan")
# Sessions: absolute limit SESSION_COOKIE_AGE (above) and an idle limit, in seconds.
SESSION_IDLE_TIMEOUT = int(env("SESSION_IDLE_TIMEOUT", str(30 * 60)))
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "layanan.core.middleware.csrf_failure"  # JSON/Open311 format there
SESSION_COOKIE_SAMESITE = "Lax"
# Request bodies: forms and files above this size in memory go to a temporary file; a
# non-file body above DATA_UPLOAD_MAX_MEMORY_SIZE is refused (400).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_PERMISSIONS = 0o640
# Content-Security-Policy (Django's own middleware): nothing inline, nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}
