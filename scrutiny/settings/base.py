"""Settings shared by every environment. Environment-specific modules import * from here."""

from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "csp",
    "axes",
    "scrutiny",
    "meetings",
    "indicators",
    "recommendations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are HTML tables of figures that shrink five- to tenfold; whitenoise (above) already
    # serves static files precompressed. Django's GZip pads each response against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.admin_params.AdminDateHierarchyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns locked-out logins into a response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one user from one address lock that pair out for an hour; thirty
# from one address, whatever the usernames, lock the address out (core.lockout).
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = 30
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]
AXES_HANDLER = "core.lockout.UserAndAddressHandler"
AXES_RESET_ON_SUCCESS = True
# The address is the one the proxies in front of the app saw: how many of them to trust is
# TRUSTED_PROXY_COUNT (0 in development: the connection's own address).
AXES_CLIENT_IP_CALLABLE = "core.lockout.request_address"
TRUSTED_PROXY_COUNT = 0

# No inline script anywhere: pages load ES modules from /static/. Styles may be inline because
# plotly.js writes style elements at run time.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

ROOT_URLCONF = "scrutiny.urls"
WSGI_APPLICATION = "scrutiny.wsgi.application"
ASGI_APPLICATION = "scrutiny.asgi.application"

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
                "core.context_processors.navigation",
            ],
        },
    },
]


def database_from_env(url: str | None, *, default_sqlite: Path) -> dict:
    """A DATABASE_URL when one is given, else the embedded SQLite file."""
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": default_sqlite}


def cache_from_env(url: str | None, *, default_dir: Path) -> dict:
    """Redis at REDIS_URL when one is given, else files under `default_dir`.

    Either is shared by every process on the machine: an import run with `manage.py` while
    the development server runs drops the server's cached pages too (a per-process memory
    cache would keep serving the old ones). The file cache needs no server and no table.
    """
    if url:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(default_dir),
    }


AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Council papers write dates as "31 March 2022".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g.i a"
SHORT_DATE_FORMAT = "d/m/Y"
FORMAT_MODULE_PATH = ["scrutiny.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SESSION_COOKIE_AGE = 60 * 60 * 8
# Sessions stay in the database (any app server can read them, they survive a cache flush) and
# are read through the cache, so a signed-in page costs no session query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

DJANGO_TABLES2_TEMPLATE = "django_tables2/govuk.html"

# The seed papers the demo is loaded from (copied into the repository so a clone is complete).
SEEDS_DIR = BASE_DIR / "fixtures" / "seeds"
DEMO_PASSWORD = "scrutiny-demo-2022"
