"""Settings for the 邹区镇 survey server: one module, read from the environment.

Defaults give the embedded set-up (SQLite and local files under var/) so that
`make demo` needs no services. ZOUQU_ENV=production switches on the checks and
hardening a public deployment needs; see .env.example for the variables.
"""

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str

SERVER_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = SERVER_DIR.parent
# etl/, forms/ and dash_app/ live beside server/ and are imported by the apps.
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

VAR_DIR = Path(env_str("ZOUQU_VAR_DIR", str(REPO_DIR / "var")))

ENVIRONMENT = env_choice("ZOUQU_ENV", "development", {"development", "production"})
PRODUCTION = ENVIRONMENT == "production"

INSECURE_DEFAULT_SECRET_KEY = "django-insecure-zouqu-development-only"
SECRET_KEY = env_str("SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "*"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

if PRODUCTION:
    if SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "ZOUQU_ENV=production needs SECRET_KEY set to a random value of 50+ characters"
        )
    if DEBUG:
        raise ImproperlyConfigured("ZOUQU_ENV=production refuses to start with DEBUG on")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ZOUQU_ENV=production needs ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "registry",
    "accounts",
    "collect",
    "indicators",
    "exports",
    "review",
    "audit",
]

# Sessions, locale, CSRF, the session user and messages are Django's own, passed through on
# the OpenRosa paths only (ODK Collect uses none of them; see config/middleware.py).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SessionMiddlewareExceptOpenRosa",
    "config.middleware.LocaleMiddlewareExceptOpenRosa",
    "django.middleware.common.CommonMiddleware",
    # The stock CSRF middleware (it costs nothing on the csrf-exempt OpenRosa views), so
    # `check --deploy` sees it.
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.middleware.AuthenticationMiddlewareExceptOpenRosa",
    "audit.context.AuditRequestMiddleware",
    "config.middleware.MessageMiddlewareExceptOpenRosa",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SERVER_DIR / "templates"],
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

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zouqu.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that asks the socket first and prepared
    # statements for the submission path's fixed SQL (config/postgresql).
    DATABASES["default"]["ENGINE"] = "config.postgresql"
    if not env_bool("DATABASE_PREPARED_STATEMENTS", True):  # behind a transaction-mode pooler
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no var/ yet; SQLite creates the file but not its folder.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Several processes (server, dashboard, ETL) share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Every password login (web, admin, API token, Collect's Basic) passes the lock-out.
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/admin/login/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SERVER_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# Media: local directory by default, any S3-compatible store (MinIO, OSS, COS) when set.
MEDIA_STORAGE = env_choice("MEDIA_STORAGE", "local", {"local", "s3"})
S3_OPTIONS = {
    "bucket_name": env_str("S3_BUCKET"),
    "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
    "access_key": env_str("S3_ACCESS_KEY"),
    "secret_key": env_str("S3_SECRET_KEY"),
    "region_name": env_str("S3_REGION") or None,
    "default_acl": None,
    "querystring_auth": True,
    "file_overwrite": False,
}
if MEDIA_STORAGE == "s3":
    if not S3_OPTIONS["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET")
    _media_backend = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_OPTIONS}
else:
    _media_backend = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_backend,
    "staticfiles": {
        # nginx serves collected static files in production (docker-compose.yml).
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request gets 401 with a WWW-Authenticate challenge.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "邹区镇农村生态环境调查 API",
    "DESCRIPTION": "Registry, submissions and indicators of the 邹区镇 field-survey system.",
    "VERSION": "1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Swagger UI assets are served by us: field offices and CI have no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Hardening for a public deployment behind nginx (TLS terminated at the proxy).
TRUST_X_FORWARDED_PROTO = env_bool("TRUST_X_FORWARDED_PROTO", default=PRODUCTION)
if TRUST_X_FORWARDED_PROTO:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Joining the browsers' HSTS preload list is the domain owner's decision, not ours.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django": {"level": env_str("LOG_LEVEL", "INFO")}},
}

# Where the dashboard is mounted: "/" on its own port, "/dashboard/" behind nginx.
DASH_URL_BASE_PATHNAME = env_str("DASH_URL_BASE_PATHNAME", "/")

# Who brings the registry in line with accepted submissions (a facility's status, a village's
# sewage mode, a water body's stage): "request" in the request that stores the submission
# (embedded default: the registry is current when the phone gets its answer), "worker" the
# indicator publisher (`publish_indicators --watch`, the docker-compose `indicators`
# service) on its next pass, which keeps the pandas recompute off the submission path.
REGISTRY_FOLLOW = env_choice("REGISTRY_FOLLOW", "request", {"request", "worker"})

# The one town this deployment serves by default (statistical code of 邹区镇).
DEFAULT_TOWN_CODE = env_str("ZOUQU_TOWN_CODE", "320404116")

# OpenRosa (ODK Collect). Collect's own default limit is 10,000,000 bytes.
OPENROSA_MAX_SUBMISSION_BYTES = env_int("OPENROSA_MAX_SUBMISSION_BYTES", 10_000_000)
# Collect counts only file bytes against the limit, not the multipart framing around them.
OPENROSA_MULTIPART_OVERHEAD_BYTES = env_int("OPENROSA_MULTIPART_OVERHEAD_BYTES", 262_144)
# The Digest realm is part of every stored HA1: changing it invalidates them all.
OPENROSA_DIGEST_REALM = env_str("OPENROSA_DIGEST_REALM", "zouqu-survey")
OPENROSA_DIGEST_NONCE_SECONDS = env_int("OPENROSA_DIGEST_NONCE_SECONDS", 3600)
# Basic sends the password readable; over plain HTTP only while developing.
OPENROSA_BASIC_OVER_HTTP = env_bool("OPENROSA_BASIC_OVER_HTTP", default=not PRODUCTION)
# Collect sends up to 100 attachments plus the XML in one request (Django's default is 100).
DATA_UPLOAD_MAX_NUMBER_FILES = 200
