"""Settings for every environment, read from environment variables (12-factor).

Environments differ only in their variables; there is no per-environment
module. Defaults are safe for development and fail closed for production:
DEBUG is off unless DJANGO_DEBUG says otherwise, and without DEBUG a
DJANGO_SECRET_KEY is required.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from corsheaders.defaults import default_headers as cors_default_headers
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        msg = "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."
        raise ImproperlyConfigured(msg)
    # A development key, generated per process: sessions do not survive a
    # restart, which is what a development key should do.
    from django.core.management.utils import get_random_secret_key

    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "leaflet",
    "geodata",
    "editorial",
    "sites",
    "routes",
    "interchange",
    "api",
    "axes",
    "csp",
    "guide",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, static files included
    # (django-csp's middleware, the settings' policy built once).
    "config.middleware.SettingsCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "api.problems.ProblemDetailsMiddleware",
    "config.database_faults.DatabaseFaultMiddleware",
    "api.throttling.HeavyRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.AdminLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
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
    },
]


def database_settings() -> dict:
    """DATABASE_URL wins; else libpq's own PG* names, so psql, pg_dump and
    Django share one environment. The defaults point at the project's own
    cluster (scripts/postgis.sh): 127.0.0.1:54329, database and role heritage."""
    url = os.environ.get("DATABASE_URL")
    if url:
        parts = urlparse(url)
        if parts.scheme not in {"postgres", "postgresql", "postgis"}:
            msg = "DATABASE_URL must be a postgres:// URL."
            raise ImproperlyConfigured(msg)
        return {
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "NAME": unquote(parts.path.lstrip("/")) or "heritage",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
        }
    return {
        "HOST": os.environ.get("PGHOST", "127.0.0.1"),
        "PORT": os.environ.get("PGPORT", os.environ.get("HERITAGE_PG_PORT", "54329")),
        "NAME": os.environ.get("PGDATABASE", "heritage"),
        "USER": os.environ.get("PGUSER", "heritage"),
        "PASSWORD": os.environ.get("PGPASSWORD", ""),
    }


DATABASES = {
    "default": {
        # GeoDjango's PostGIS backend whose per-request health check needs no
        # round trip (config/postgis/base.py): after a PostgreSQL restart the
        # first request still reconnects instead of failing.
        "ENGINE": "config.postgis",
        "CONN_MAX_AGE": int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": 5},
        **database_settings(),
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages of the content. Turkish is the content default and the first
# fallback (api.i18n); adding a language is this setting plus data:
# multilingual fields are JSON objects keyed by these codes. LANGUAGE_CODE is
# the language of server messages (API errors): English; the admin follows
# the browser (config.middleware.AdminLocaleMiddleware).
LANGUAGE_CODE = "en"
LANGUAGES = [("tr", "Türkçe"), ("en", "English"), ("de", "Deutsch")]
CONTENT_FALLBACK_LANGUAGES = ["tr", "en"]
TIME_ZONE = "Europe/Istanbul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("HERITAGE_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Public exports kept on disk per content version (api/export_cache.py).
HERITAGE_EXPORT_CACHE_DIR = Path(
    os.environ.get("HERITAGE_EXPORT_CACHE_DIR", BASE_DIR / "var" / "cache" / "exports")
)
HERITAGE_EXPORT_CACHE_MB = int(os.environ.get("HERITAGE_EXPORT_CACHE_MB", "512"))
# Numbered data releases (manage.py release), one read-only folder each.
HERITAGE_RELEASES_DIR = Path(os.environ.get("HERITAGE_RELEASES_DIR", BASE_DIR / "var" / "releases"))
# Route packages for offline use (interchange.packages), one zip per route and language.
HERITAGE_PACKAGE_ROOT = Path(os.environ.get("HERITAGE_PACKAGE_ROOT", BASE_DIR / "var" / "packages"))
# How long the change feed's history is kept (manage.py prune_changes): an app
# whose cursor is older gets 410 and downloads its route package again.
HERITAGE_CHANGE_LOG_RETENTION_DAYS = int(os.environ.get("HERITAGE_CHANGE_LOG_RETENTION_DAYS", "90"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Upload limits: photos are checked again by their own validator (20 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.throttling.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.StaffWriteThrottle"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "İzmir heritage routes API",
    "DESCRIPTION": (
        "Heritage sites and the IzMiras routes of İzmir as GeoJSON (RFC 7946). "
        "Site coordinates: Bizİzmir Açık Veri Portalı (CC BY 4.0)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Public GET endpoints are readable from any origin; writes need a token.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_URLS_REGEX = r"^/(api|ogc)(/.*)?$"
CORS_EXPOSE_HEADERS = ["ETag", "Content-Language", "Link", "X-Changes-Cursor"]
# Web apps revalidate with If-None-Match and pick a language themselves.
CORS_ALLOW_HEADERS = (*cors_default_headers, "if-none-match", "accept-language")

# Map editor (django-leaflet): all assets ship with the package, no CDN.
# The basemap is a setting; without one the editor still shows our layers.
HERITAGE_BASEMAP_URL = os.environ.get("HERITAGE_BASEMAP_URL", "")
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (38.42, 27.14),
    "DEFAULT_ZOOM": 12,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    "TILES": [("Basemap", HERITAGE_BASEMAP_URL, {"attribution": ""})] if HERITAGE_BASEMAP_URL else [],
    "RESET_VIEW": False,
}

# The service area: İzmir province, with a margin (WGS84 degrees:
# west, south, east, north). Writes outside it are rejected.
HERITAGE_SERVICE_AREA = tuple(
    float(v) for v in os.environ.get("HERITAGE_SERVICE_AREA", "26.0,37.7,28.6,39.45").split(",")
)
# Projected CRS for linear referencing and metric buffers: UTM 35N covers İzmir.
HERITAGE_PROJECTED_SRID = 32635

# Attribution the seed points' licence requires on every output.
HERITAGE_DATA_ATTRIBUTION = "Bizİzmir Açık Veri Portalı (CC BY 4.0)"
HERITAGE_DATA_LICENSE = "CC-BY-4.0"
HERITAGE_DATA_VERSION = os.environ.get("HERITAGE_DATA_VERSION", "2026.11")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

SILENCED_SYSTEM_CHECKS = [
    # gis.W001: GDAL < 3.9 cannot forbid file/network access from spatial
    # references. Debian 12 ships 3.6; imports parse files before GDAL sees them.
    "gis.W001",
]

# Security headers on every response (SECURITY.md): nosniff, a referrer that
# never leaves the site, no framing by anyone (CSP frame-ancestors and, for
# old browsers, X-Frame-Options), and the CSP below.
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Staff admin: map editor and photos (issue 4, part B) -------------------
# The admin's own map script and styles (static/heritage/); Leaflet itself
# ships inside django-leaflet. Nothing is loaded from a CDN.
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- Researchers' exports, imports and OGC API (issue 5) ---------------------
# Public base URL of the service, for identifiers in files made outside a
# request (export_geodata): Linked Places @id = this + /ogc/collections/sites/items/<slug>.
HERITAGE_PUBLIC_URL = os.environ.get("HERITAGE_PUBLIC_URL", "https://izmir-heritage.example")

# --- Staff write API (issue 4, part A) ---------------------------------------
# One OpenAPI name per choice set, so the staff and public schemas share them
# instead of getting hash-suffixed collision names (Status121Enum …).
# ("Feature" is named by drf-spectacular's own drf-gis support.)
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "WorkflowStatusEnum": "editorial.vocabularies.Status",
        "GeometryQualityEnum": "editorial.vocabularies.GeometryQuality",
        "FeatureCollectionTypeEnum": ["FeatureCollection"],
        "HealthStateEnum": ["ok", "unavailable"],
    }
)

# --- Tourist API (issue 3) ---------------------------------------------------
# PostgreSQL's JIT compiles any statement whose *estimated* cost is high; on
# the 1000-site bbox page at 100k sites it spent 58 ms of 346 ms compiling
# (bench/bench_tourist.py). Short OLTP queries never win from it.
DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"

# --- Reliability (issue 9) ---------------------------------------------------
# A statement that runs longer than this is cancelled by PostgreSQL (the
# request gets a 503 problem+json, config.database_faults), so one slow query
# cannot hold a gunicorn worker. config/wsgi.py sets 10 s for the web server;
# management commands (imports, migrations, benchmarks' data generation) run
# without one unless the variable is set. Lock waits count too.
HERITAGE_STATEMENT_TIMEOUT_MS = int(os.environ.get("HERITAGE_STATEMENT_TIMEOUT_MS", "0"))
if HERITAGE_STATEMENT_TIMEOUT_MS > 0:
    DATABASES["default"]["OPTIONS"]["options"] += f" -c statement_timeout={HERITAGE_STATEMENT_TIMEOUT_MS}"
# What a 503 for an unreachable or too slow database asks clients to wait.
HERITAGE_DB_RETRY_AFTER_S = int(os.environ.get("HERITAGE_DB_RETRY_AFTER_S", "5"))

# Abuse limits (api/throttling.py), shared by every worker and every server
# in one shared table (api/rate_counters.py); "count/period" with period s, m, h or d.
HERITAGE_THROTTLE_ENABLED = env_bool("HERITAGE_THROTTLE_ENABLED", True)
HERITAGE_THROTTLE_RATES = {
    # Exports build whole files (a GeoPackage of every site): per client address.
    "export": os.environ.get("HERITAGE_THROTTLE_EXPORT", "30/m"),
    # OGC item pages (up to 10,000 features each): GIS clients page quickly.
    "ogc_items": os.environ.get("HERITAGE_THROTTLE_OGC_ITEMS", "600/m"),
    # Staff writes per user: a person edits far slower; a runaway script not.
    "staff_write": os.environ.get("HERITAGE_THROTTLE_STAFF_WRITE", "120/m"),
    # Wrong API tokens per client address, before even right ones wait.
    "token_failure": os.environ.get("HERITAGE_THROTTLE_TOKEN_FAILURE", "20/h"),
}
HERITAGE_HEAVY_PATHS = [
    (r"^/api/v1/export/", "export"),
    (r"^/ogc/collections/[^/]+/items$", "ogc_items"),
]
# Behind a reverse proxy, the META key of the header it sets to the client's
# address (e.g. HTTP_X_REAL_IP); empty: REMOTE_ADDR.
HERITAGE_CLIENT_IP_HEADER = os.environ.get("HERITAGE_CLIENT_IP_HEADER", "")
# The abuse limits count in their own table (api/rate_counters.py), not a cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Admin sign-in: django-axes counts failures per client address in the
# database (its own tables) and locks that address out for a while.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("HERITAGE_ADMIN_LOGIN_FAILURES", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("HERITAGE_ADMIN_LOCKOUT_MIN", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "api.throttling.admin_lockout"
AXES_CLIENT_IP_CALLABLE = "api.throttling.client_ip"

# Content-Security-Policy (django-csp) for every page: the admin and its map
# editor, the OGC HTML pages, Swagger UI at /api/v1/docs and the tourist
# guide. Everything is served by the project itself: scripts (ES modules
# included) and styles from 'self' or with the per-response nonce
# (django-leaflet's widget and Swagger's init script carry it), MapLibre's
# workers from blob:, images from data: and blob:. Inline style *attributes*
# are allowed (Django's admin and our translations widget use a few); inline
# <style> and <script> elements without the nonce are not. No external
# origin, except the admin basemap's tile server when one is configured.
_BASEMAP_ORIGIN = (
    "{0.scheme}://{0.netloc}".format(urlparse(HERITAGE_BASEMAP_URL.replace("{", "").replace("}", "")))
    if HERITAGE_BASEMAP_URL
    else None
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *([_BASEMAP_ORIGIN] if _BASEMAP_ORIGIN else [])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Behind TLS (a reverse proxy that terminates HTTPS and sets
# X-Forwarded-Proto): DJANGO_HTTPS=1 turns on what `check --deploy` asks for.
# `make run` serves plain HTTP on 127.0.0.1, so it is off by default.
if env_bool("DJANGO_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# --- Tourist guide at / (issue 11) -------------------------------------------
# A MapLibre style URL for a basemap under the guide's own layers; without one
# the map draws our vector tiles on a plain background.
HERITAGE_GUIDE_BASEMAP_STYLE = os.environ.get("HERITAGE_GUIDE_BASEMAP_STYLE", "")
