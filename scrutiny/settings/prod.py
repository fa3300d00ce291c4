"""Production: secrets and hosts come from the environment; a missing one stops start-up."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database_from_env


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Production settings need the environment variable {name}.")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in required("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in required("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()
]
DATABASES = {"default": database_from_env(required("DATABASE_URL"), default_sqlite=None)}
# Shared by every app server: a change of data seen by one drops the cached pages on all.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": required("REDIS_URL"),
    }
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies (the load balancer, and any in front of it) append to X-Forwarded-For before
# a request reaches the app: the login throttle locks out the address they saw, not theirs.
_proxies = os.environ.get("TRUSTED_PROXY_COUNT", "1").strip()
if not _proxies.isascii() or not _proxies.isdigit():
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number (0, 1, 2 …).")
TRUSTED_PROXY_COUNT = int(_proxies)
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() in {"1", "true", "yes"}
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = 60 * 60 * 8
X_FRAME_OPTIONS = "DENY"
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365
# Server errors (the 500 page, and the 503 page while the database cannot be reached) go to
# stderr with their traceback, which gunicorn and the platform's log collection keep: without
# DEBUG, Django's own default would only mail them to ADMINS, which this service has not set.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}

# `make serve` runs these settings over plain HTTP on 127.0.0.1 for a local trial; secure-only
# cookies would make signing in impossible there. Never set this behind a real host name.
if os.environ.get("INSECURE_LOCAL_TRIAL", "").lower() == "true":
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
