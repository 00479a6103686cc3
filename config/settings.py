"""Settings for Convene. Everything that differs per deployment comes from the environment."""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config import storages

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
# Steps that build the product and never serve a request, send a message or sign anything: CI's
# migration check and an image's collectstatic run before any secret exists.
BUILD_COMMANDS = {"makemigrations", "collectstatic", "compilemessages", "makemessages", "messages"}
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    building = Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1 and sys.argv[1] in BUILD_COMMANDS
    if DEBUG or building:
        # A fixed development key: sessions and tokens signed with it are worth nothing.
        SECRET_KEY = "convene-development-key-not-for-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Outside DEBUG Convene refuses to start without its own "
            "secret key: set DJANGO_SECRET_KEY to a long random value (e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), the same on every "
            "web server and worker. For development, set DJANGO_DEBUG=on or use `make run`."
        )
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "convene.core",
    "convene.accounts",
    "convene.networks",
    "convene.library",
    "convene.meetings",
    "convene.decisions",
    "convene.workplans",
    "convene.statements",
    "convene.reports",
    "convene.demo",
    "convene.api",
]

MIDDLEWARE = [
    "convene.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "convene.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "convene.core.middleware.HtmxMessagesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'convene.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every web server and worker (a per-process cache would let each gunicorn worker count
# failed sign-ins on its own): the database by default, its table made by a migration of core.
CACHE_TABLE = "convene_cache"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

# Parts of pages kept until their network changes (convene/core/fragments.py): in each process's
# memory, as a round trip to the database cache would cost the queries it saves. Their keys carry the
# network's change counter, so no process can serve a part rendered before a change.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 200},
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "networks:index"

# django-allauth: e-mail is the login; nobody signs themselves up into a network.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "convene.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
# Rate limits (failed sign-ins: 10 a minute per address, 5 in 5 minutes per account) are allauth's
# defaults, counted in the default cache above.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Convene"

LANGUAGE_CODE = "en"
# Shipped complete: CI fails on an untranslated or fuzzy entry (tests/test_catalogues.py). Each name
# is in its own language, as a person looking for theirs reads it.
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ru", "Русский"),
    ("ar", "العربية"),
    ("kk", "Қазақ тілі"),
    ("sw", "Kiswahili"),
]
LANGUAGE_COOKIE_NAME = "convene_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded documents: on disk by default; S3-compatible storage via django-storages in production.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("CONVENE_MEDIA_ROOT", BASE_DIR / "var" / "media"))
if os.environ.get("CONVENE_S3_BUCKET"):
    STORAGES["default"] = storages.s3(
        os.environ["CONVENE_S3_BUCKET"],
        endpoint_url=os.environ.get("CONVENE_S3_ENDPOINT_URL"),
        region=os.environ.get("CONVENE_S3_REGION", "us-east-1"),
        prefix=os.environ.get("CONVENE_S3_PREFIX", ""),
    )
# No MEDIA_URL is served: documents are downloaded through views that check who may read them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The file backend (make run without an SMTP server) writes each message to this folder.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "outbox"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Convene <convene@localhost>")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "convene.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "convene.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "convene.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "convene.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Convene API",
    "DESCRIPTION": "The coordination workspace of UN country networks on migration.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc are served from our own static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status` or a `kind`: each choice set gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "MeetingKindEnum": "convene.meetings.models.Meeting.Kind",
        "MeetingStatusEnum": "convene.meetings.models.Meeting.Status",
        "AgendaItemKindEnum": "convene.meetings.models.AgendaItem.Kind",
        "AgendaItemStatusEnum": "convene.meetings.models.AgendaItem.Status",
        "AttendanceStatusEnum": "convene.meetings.models.Attendance.Status",
        "OrganisationKindEnum": "convene.networks.models.Organisation.Kind",
        "BodyKindEnum": "convene.networks.models.Body.Kind",
        "MembershipStatusEnum": "convene.networks.models.Membership.Status",
        "RepresentativeKindEnum": "convene.networks.models.Representative.Kind",
        "ProposalKindEnum": "convene.decisions.models.Proposal.Kind",
        "ProposalProcedureEnum": "convene.decisions.models.Proposal.Procedure",
        "ProposalStatusEnum": "convene.decisions.models.Proposal.Status",
        "ConsultationStatusEnum": "convene.decisions.models.Consultation.Status",
        "ActionItemStatusEnum": "convene.decisions.models.ActionItem.Status",
        "WorkplanStatusEnum": "convene.workplans.models.Workplan.Status",
        "ActivityStatusEnum": "convene.workplans.models.Activity.Status",
        "QuarterEnum": [(q, f"Q{q}") for q in range(1, 5)],
        "MarkerEnum": "convene.workplans.models.Activity.MARKERS",
        "StatementKindEnum": "convene.statements.models.Statement.Kind",
        "StatementStatusEnum": "convene.statements.models.Statement.Status",
        "StatementAudienceEnum": "convene.statements.models.Statement.Audience",
        "ReportAudienceEnum": "convene.reports.models.Report.Audience",
        "ClearanceProcedureEnum": "convene.statements.models.Round.Procedure",
        "ClearanceChannelEnum": "convene.statements.models.Clearance.Channel",
        "ReleaseStatusEnum": "convene.statements.models.Release.Status",
        # Shared by the statements' and the releases' rounds (the names they had alone).
        "ClearanceAnswerAnswerEnum": "convene.statements.models.Clearance.Answer",
        "ClearanceRoundOutcomeEnum": "convene.statements.models.Round.Outcome",
    },
}

SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS (production): cookies only over TLS, plain HTTP redirected, and browsers told to
# use HTTPS alone for a year, subdomains included (HSTS).
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # the load balancer's probes over plain HTTP
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SESSION_COOKIE_SECURE
SECURE_HSTS_PRELOAD = SESSION_COOKIE_SECURE and env_bool("DJANGO_HSTS_PRELOAD", True)
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    # The proxy terminates TLS and sets X-Forwarded-Proto (overwriting any the client sent).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the web servers append the address they received to
# X-Forwarded-For (a load balancer, a TLS proxy): the client's address is read that many hops from
# the right, so sign-in attempts are counted per client, not all against the load balancer's
# address. Addresses further left are the client's to forge, and are never read.
try:
    ALLAUTH_TRUSTED_PROXY_COUNT = int(
        os.environ.get("CONVENE_TRUSTED_PROXIES", "1" if env_bool("DJANGO_BEHIND_TLS_PROXY", False) else "0")
    )
except ValueError as exc:
    raise ImproperlyConfigured("CONVENE_TRUSTED_PROXIES is the number of proxies in front: 0, 1, 2…") from exc
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: scripts, styles and everything else from this site only, and never
# inline (all style lives in static/css, all behaviour in static/js; htmx is told to add neither).
# Only the API documentation pages relax it, for the styles Swagger UI and Redoc set from script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # the two-factor QR code is a data: image
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The address people reach Convene at, for links in e-mails and calendar invitations.
CONVENE_BASE_URL = os.environ.get("CONVENE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CONVENE_REFERENCE_DIR = Path(os.environ.get("CONVENE_REFERENCE_DIR", BASE_DIR / "reference"))

# One line a record, with the request's id; LOG_FORMAT=json makes each line one JSON object.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT is text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "convene.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
