"""Settings for Xarxa ESS.

One module, read from environment variables with safe local defaults: a newcomer gets
SQLite and no DEBUG unless they ask for it. `.env.example` documents every variable.
"""

import hashlib
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from networks.headers import static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core ------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only
# Without a key and without DEBUG, the WSGI and ASGI entry points refuse to start (see
# wsgi.py) and Django refuses anything that would sign with an empty key; commands that
# need no key (migrate, makemigrations --check, compilemessages) still run.

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Public URL of the site, used for absolute links in feeds and sitemaps when no request is
# at hand.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Applications ----------------------------------------------------------------------------

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its tabbed admin can take over.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files, served from our own static files (no CDN).
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "networks",
    "actions",
]

MIDDLEWARE = [
    # Outermost: every response, static files included, names its request (X-Request-ID).
    "networks.log.RequestIDMiddleware",
    "networks.headers.CrossOriginResourcePolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Order matters: the locale needs the session and must run before CommonMiddleware.
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Whole public pages for anonymous visitors; needs the language, so after the locale.
    "networks.page_cache.PublicPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Inside SessionMiddleware, so the session it refreshes is saved on the way out.
    "networks.security.IdleSessionMiddleware",
    # Logs every 403 (who, what) to the "xmess.security" logger.
    "networks.security.PermissionDeniedLogMiddleware",
    # A lost database connection answers 503 with Retry-After instead of a 500.
    "networks.failures.DatabaseUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it turns locked-out login attempts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xmess_site.urls"
WSGI_APPLICATION = "xmess_site.wsgi.application"

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
            ],
        },
    },
]
# Django's form renderer, with its drop-downs written in Python (networks/form_rendering.py).
FORM_RENDERER = "networks.form_rendering.FormRenderer"

# --- Database --------------------------------------------------------------------------------

# Unset: a SQLite file that git ignores. Production: postgres://user:pass@host:5432/name
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A search ranks the first matches a scan meets (networks/search.py), and PostgreSQL's
    # synchronized scans start a table scan where the last one stopped: the same search
    # showed other results at each reload. Off, a scan starts at the table's beginning.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c synchronize_seqscans=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication --------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff accounts guard the whole directory: 12 characters at least, not a common password,
# not close to the user's own name or e-mail.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Five failures lock that username *from that address* for 30 minutes: someone guessing
# elsewhere cannot lock a member of staff out.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True


def axes_client_address(trusted_proxies):
    """django-axes' (django-ipware's) settings for the client address behind N proxies.

    No proxy: the connecting address. Behind N proxies that each append the address they
    saw to X-Forwarded-For, the client is the entry the outermost proxy wrote, N-1 entries
    before the end; anything to its left came from the client and could be forged.
    """
    if trusted_proxies <= 0:
        return {
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
            "AXES_IPWARE_PROXY_ORDER": "left-most",
            "AXES_IPWARE_PROXY_COUNT": None,
        }
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        # ipware counts only the proxies whose own addresses are in the header.
        "AXES_IPWARE_PROXY_COUNT": trusted_proxies - 1,
    }


# How many proxies (TLS terminator, load balancer) stand in front of Django; see .env.example.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
_client_address = axes_client_address(TRUSTED_PROXIES)
AXES_IPWARE_META_PRECEDENCE_ORDER = _client_address["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_ORDER = _client_address["AXES_IPWARE_PROXY_ORDER"]
AXES_IPWARE_PROXY_COUNT = _client_address["AXES_IPWARE_PROXY_COUNT"]
# Read the chain from the right even when a client sent its own X-Forwarded-For (strict
# mode would give up on such a chain and fall back to the proxy's address).
IPWARE_STRICT = False

# The only sessions are staff's: they end after 8 hours without a request (the admin's
# requests start the 8 hours again, see networks.security.IdleSessionMiddleware), not 14
# days after signing in.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_HOURS", "8")) * 3600
# Signing in lands in the admin (also when the next= address is unsafe and ignored).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# --- Internationalisation --------------------------------------------------------------------

LANGUAGE_CODE = "ca"
LANGUAGES = [
    ("ca", "Català"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Madrid"

# modeltranslation: Catalan is the default and the fallback for a missing English value.
MODELTRANSLATION_DEFAULT_LANGUAGE = "ca"
MODELTRANSLATION_LANGUAGES = ("ca", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ca",), "ca": ("en",)}
# The tabbed admin's jQuery UI, served from our own static files (a current release; the
# default is an old build on a third-party CDN that a strict CSP blocks).
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# --- Static files ----------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production (needs collectstatic); plain files locally.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Let whitenoise find files without collectstatic when running locally and in tests.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=DEBUG)
# WhiteNoise answers before the CSP and X-Frame-Options middlewares: it adds them itself.
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers

# --- Caches ----------------------------------------------------------------------------------

# Local memory by default (one process). With several processes or servers set REDIS_URL
# (redis://host:6379/0): pages and the content version that invalidates them are then
# shared, so an edit on one server is seen at once on every other (see networks/caching.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, one Redis client per pool, and the version feed
            # (networks/shared_cache.py).
            "BACKEND": "networks.shared_cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "xmess",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# How long a cached page may stay in the server's cache (any change invalidates it sooner),
# and how long browsers and proxies may keep it without asking (they hear of no change).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))
# Each process also keeps the pages it served lately in memory, checked against the shared
# content version on every request (networks/page_cache.py): at most this many bytes a process.
PAGE_MEMORY_BYTES = int(os.environ.get("PAGE_MEMORY_BYTES", str(32 * 1024 * 1024)))

# Downloads of whole lists are kept on disk per content version (networks/exports.py): the
# folder (one per server is fine) and the most it may hold. Writing a download removes every
# file of another content version there, so two sites on one machine (staging beside
# production) must not share it: by default each database gets a folder of its own.
_database_key = "|".join(
    str(DATABASES["default"].get(key) or "") for key in ("ENGINE", "HOST", "PORT", "NAME")
)
DOWNLOAD_CACHE_DIR = os.environ.get(
    "DOWNLOAD_CACHE_DIR",
    os.path.join(
        tempfile.gettempdir(),
        "xmess-downloads-" + hashlib.sha256(_database_key.encode()).hexdigest()[:12],
    ),
)
DOWNLOAD_CACHE_BYTES = int(os.environ.get("DOWNLOAD_CACHE_BYTES", str(2 * 1024**3)))

# --- API (/api/v1/, see networks/api/) -------------------------------------------------------

REST_FRAMEWORK = {
    # JSON only: DRF's browsable pages use inline scripts that our CSP refuses.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    # Read-only and public: no session, no cookie, no CSRF, so responses are cacheable.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Xarxa ESS API",
    "DESCRIPTION": (
        "Read-only data of the directory of the social and solidarity economy in Catalonia. "
        "Content licence: CC BY 4.0."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "networks.api.base.empty_choice_filters_nothing",
    ],
}

# --- Security --------------------------------------------------------------------------------

# A strict policy: only our own scripts, styles and images; no inline code anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Production hardening, on by default whenever DEBUG is off; each can be relaxed by
# environment (e.g. behind a TLS-terminating proxy set SECURE_SSL_REDIRECT=false).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Load balancers probe /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging ---------------------------------------------------------------------------------

# Everything goes to stderr, one JSON object per line (networks/log.py), each carrying the
# request id (also sent as X-Request-ID), the path and the user id. Server errors and
# database outages are logged with their traceback by "django.request" and "xmess.request";
# logins, failures and permission refusals by "xmess.security" (and axes').
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "networks.log.JSONFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json",
        }
    },
    # Loggers only set levels and propagate here (so pytest's caplog sees them too).
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        # Replaces Django's own handlers (a DEBUG-only console, e-mail to an empty ADMINS).
        "django": {"level": "INFO"},
        # 5xx with their tracebacks; 4xx are a visitor's mistake, not ours.
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "WARNING"},
        "xmess": {"level": LOG_LEVEL},
        "axes": {"level": "WARNING"},
    },
}

# --- Seed content ----------------------------------------------------------------------------

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
