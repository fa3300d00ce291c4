"""Local development: DEBUG on, SQLite unless DATABASE_URL says otherwise."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, cache_from_env, database_from_env

DEBUG = os.environ.get("DEBUG", "true").lower() in {"1", "true", "yes"}
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
DATABASES = {
    "default": database_from_env(
        os.environ.get("DATABASE_URL"), default_sqlite=BASE_DIR / "db.sqlite3"
    )
}
CACHES = {
    "default": cache_from_env(
        os.environ.get("REDIS_URL"), default_dir=BASE_DIR / ".cache" / "django"
    )
}
# Served by runserver from the source folders: no collectstatic needed in development.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
