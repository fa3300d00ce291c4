"""Test settings: fast hashing, plain static storage, SQLite unless DATABASE_URL is set."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, database_from_env

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "x" * 40
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": database_from_env(
        os.environ.get("DATABASE_URL"), default_sqlite=BASE_DIR / "test.sqlite3"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = {"NAME": None}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Manifest-hashed names are not available to the live server without collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"
# Tests sign in many times from one address; the lockout has tests of its own that enable it.
AXES_ENABLED = False
