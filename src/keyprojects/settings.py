"""Settings, read from the environment with safe defaults (12-factor).

With no variables set the platform runs on one machine: SQLite in WAL mode, local files,
e-mail printed to the console. At province scale the same code is pointed at PostgreSQL,
Redis and object storage by environment variables (see docs/deployment.md).
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the repository root
SRC_DIR = BASE_DIR / "src"
VAR_DIR = Path(os.environ.get("KEYPROJECTS_VAR_DIR", BASE_DIR / "var"))
NODE_MODULES = BASE_DIR / "node_modules"


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    # A development key for the embedded defaults; `check --deploy` flags it (its prefix).
    SECRET_KEY = "django-insecure-dev-only-key-set-DJANGO_SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Networks of the reverse proxies whose X-Forwarded-For is believed (CIDR, comma-separated).
TRUSTED_PROXIES = env_list("KEYPROJECTS_TRUSTED_PROXIES")
# Where reviewers, the office and administrators may work (orgs/extranet.py): the
# e-government extranet's networks (CIDR) and host names; empty means anywhere.
STAFF_NETWORKS = env_list("KEYPROJECTS_STAFF_NETWORKS")
STAFF_HOSTS = env_list("KEYPROJECTS_STAFF_HOSTS")
SITE_URL = os.environ.get("KEYPROJECTS_SITE_URL", "http://127.0.0.1:8000")
# Who may read /metrics (CIDR): the monitoring system's networks.
METRICS_NETWORKS = env_list("KEYPROJECTS_METRICS_NETWORKS", "127.0.0.1/32,::1/128")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    # Second factor (TOTP and single-use recovery codes) for experts (experts/access.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "keyprojects.core",
    "keyprojects.audit",
    "keyprojects.orgs",
    "keyprojects.calls",
    "keyprojects.documents",
    "keyprojects.imports",
    "keyprojects.applications",
    "keyprojects.review",
    "keyprojects.selection",
    "keyprojects.experts",
    "keyprojects.scoring",
    "keyprojects.notices",
    "keyprojects.notifications",
    "keyprojects.cases",
    "keyprojects.tracking",
    "keyprojects.stats",
    "keyprojects.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "keyprojects.core.metrics.RequestMetricsMiddleware",
    "keyprojects.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "keyprojects.experts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "keyprojects.orgs.sessions.SessionPolicyMiddleware",
    "keyprojects.orgs.extranet.ExtranetMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "keyprojects.audit.middleware.AuditMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "keyprojects.urls"
WSGI_APPLICATION = "keyprojects.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "keyprojects" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "keyprojects.core.context_processors.site",
                "keyprojects.notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite queues concurrent writers instead of failing with "database is locked":
# IMMEDIATE transactions take the write lock up front, WAL lets readers continue, and
# the busy timeout makes a writer wait its turn (see docs/architecture.md).
SQLITE_PATH = VAR_DIR / "keyprojects.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    }
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background tasks -----------------------------------------------------------------
# Django's Tasks API; by default tasks are rows in the project database, run by
# `manage.py db_worker` (started by `make run`). Enqueued inside the caller's transaction,
# so a task exists exactly when the change that needs it was committed.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("KEYPROJECTS_TASK_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

# --- Exports of lists (documents/exports.py) ---------------------------------------------
# Up to this many rows an export is written while the user waits; a larger one is built by
# the worker and kept for its requester for EXPORT_KEEP_DAYS days.
EXPORT_DIRECT_MAX_ROWS = int(os.environ.get("KEYPROJECTS_EXPORT_DIRECT_MAX_ROWS", "2000"))
EXPORT_KEEP_DAYS = int(os.environ.get("KEYPROJECTS_EXPORT_KEEP_DAYS", "7"))

# --- Integration API (/api/v1/, keyprojects/api) ----------------------------------------
# Requests per minute with credentials (a system's token, a person's session) and without.
KEYPROJECTS_API_RATE = os.environ.get("KEYPROJECTS_API_RATE", "600/m")
KEYPROJECTS_API_ANON_RATE = os.environ.get("KEYPROJECTS_API_ANON_RATE", "120/m")

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "keyprojects.orgs.lockout.LockoutBackend",  # first: refuses locked-out logins
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after failed logins (orgs/lockout.py): 5 in a row for one account from one
# address lock it there for 30 minutes, or until the office unlocks it.
AXES_FAILURE_LIMIT = int(os.environ.get("KEYPROJECTS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("KEYPROJECTS_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "keyprojects.core.network.client_ip"
AXES_LOCKOUT_CALLABLE = "keyprojects.orgs.lockout.locked_out"
AXES_VERBOSE = False
# Inactivity ends a session: after PRIVILEGED_IDLE_MINUTES for the office, reviewers and
# experts (whose sessions also end with the browser), IDLE_MINUTES for applicants.
PRIVILEGED_IDLE_MINUTES = int(os.environ.get("KEYPROJECTS_PRIVILEGED_IDLE_MINUTES", "30"))
IDLE_MINUTES = int(os.environ.get("KEYPROJECTS_IDLE_MINUTES", "120"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "orgs:after_login"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "keyprojects.orgs.passwords.LengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "keyprojects.orgs.passwords.ComplexityValidator"},
    {"NAME": "keyprojects.orgs.passwords.NotUsernameValidator"},
    {"NAME": "keyprojects.orgs.passwords.HistoryValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Who must prove a second factor (TOTP or a recovery code) on every page: experts, office,
# reviewers, admin (experts/access.py).
SECOND_FACTOR_ROLES = env_list("KEYPROJECTS_SECOND_FACTOR_ROLES", "expert,office,reviewer,admin")
# The name authenticator apps show beside the account (django-otp).
OTP_TOTP_ISSUER = os.environ.get("KEYPROJECTS_OTP_ISSUER", "智慧江苏重点工程申报平台")
INVITATION_MAX_AGE_DAYS = 14

# --- Single sign-on with the province's identity provider (orgs/sso.py) -----------------
# Optional: on when the issuer, client id and secret are set (OpenID Connect, authorization
# code flow with PKCE). The endpoints come from the issuer's discovery document unless all of
# authorization, token and JWKS are given. Off: no button, and the SSO URLs answer 404.
OIDC_ISSUER = os.environ.get("KEYPROJECTS_OIDC_ISSUER", "").rstrip("/")
OIDC_CLIENT_ID = os.environ.get("KEYPROJECTS_OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("KEYPROJECTS_OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = env_list("KEYPROJECTS_OIDC_SCOPES", "openid,email,profile")
OIDC_AUTHORIZATION_ENDPOINT = os.environ.get("KEYPROJECTS_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_TOKEN_ENDPOINT = os.environ.get("KEYPROJECTS_OIDC_TOKEN_ENDPOINT", "")
OIDC_JWKS_URI = os.environ.get("KEYPROJECTS_OIDC_JWKS_URI", "")
OIDC_USERINFO_ENDPOINT = os.environ.get("KEYPROJECTS_OIDC_USERINFO_ENDPOINT", "")
OIDC_TOKEN_AUTH_METHOD = os.environ.get("KEYPROJECTS_OIDC_TOKEN_AUTH_METHOD", "client_secret_basic")
OIDC_ID_TOKEN_ALG = os.environ.get("KEYPROJECTS_OIDC_ID_TOKEN_ALG", "RS256")
# How an identity not yet linked finds its account the first time: "email" (the IdP's
# verified e-mail equals the account's), another claim name (its value equals the login
# name), or empty (only identities the administrator entered on the account).
OIDC_LINK_CLAIM = os.environ.get("KEYPROJECTS_OIDC_LINK_CLAIM", "email")
OIDC_TIMEOUT = int(os.environ.get("KEYPROJECTS_OIDC_TIMEOUT", "10"))  # seconds per request

# --- E-mail: printed to the console unless an SMTP server is configured ---------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "keyprojects@localhost")

# --- Language and time: Chinese first, China Standard Time ----------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "keyprojects" / "locale"]
FORMAT_MODULE_PATH = ["keyprojects.formats"]  # English dates (formats/en); Chinese: Django's
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static assets: all served locally, from npm packages installed at set-up ----------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"  # filled by collectstatic in production
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    SRC_DIR / "keyprojects" / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/noto-sans-sc", NODE_MODULES / "@fontsource" / "noto-sans-sc"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
# Without collectstatic (make run) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# The TrueType font WeasyPrint embeds (subset) in generated PDFs.
PDF_FONT_DIR = NODE_MODULES / "@expo-google-fonts" / "noto-sans-sc"

# --- Files: local by default ----------------------------------------------------------
MEDIA_ROOT = Path(os.environ.get("KEYPROJECTS_MEDIA_ROOT", VAR_DIR / "media"))
# No URL serves this prefix: files reach users only through permission-checked views.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# At province scale: S3-compatible object storage shared by every app server and worker.
# Files are still streamed to users only through the permission-checked views.


def object_storage(environ) -> dict | None:
    """STORAGES["default"] for the KEYPROJECTS_S3_* variables of `environ`; None without a
    bucket (the tests build production's storage with it too)."""
    bucket = environ.get("KEYPROJECTS_S3_BUCKET", "")
    if not bucket:
        return None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("KEYPROJECTS_S3_ENDPOINT_URL") or None,
            "access_key": environ.get("KEYPROJECTS_S3_ACCESS_KEY", ""),
            "secret_key": environ.get("KEYPROJECTS_S3_SECRET_KEY", ""),
            "region_name": environ.get("KEYPROJECTS_S3_REGION") or None,
            "location": environ.get("KEYPROJECTS_S3_PREFIX", "media"),
            "default_acl": None,  # private objects; the bucket grants nobody else
            "file_overwrite": False,
            "querystring_expire": 60,
        },
    }


STORAGES["default"] = object_storage(os.environ) or STORAGES["default"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
ATTACHMENT_MAX_BYTES = int(os.environ.get("KEYPROJECTS_ATTACHMENT_MAX_MB", "20")) * 1024 * 1024
# ClamAV's daemon (documents/antivirus.py): a Unix socket path or host:port. Set, every upload
# is scanned and refused while clamd cannot be asked; unset, nothing is scanned.
CLAMD_SOCKET = os.environ.get("KEYPROJECTS_CLAMD_SOCKET", "")
CLAMD_TIMEOUT = float(os.environ.get("KEYPROJECTS_CLAMD_TIMEOUT", "30"))

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_TLS_PROXY") else None
)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)

# 商用密码 (core/crypto.py, docs/security.md): SM4 keys of personal contact data at rest,
# "id:32 hex digits" comma-separated, the first encrypts, all decrypt (rotation); and the
# HMAC-SM3 key (hex) of their search digests. Unset: derived from SECRET_KEY (check --deploy
# warns).
FIELD_ENCRYPTION_KEYS = env_list("KEYPROJECTS_FIELD_KEYS")
FIELD_DIGEST_KEY = os.environ.get("KEYPROJECTS_DIGEST_KEY", "")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every layout step at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ["weasyprint", "fontTools"]},
}
