"""The development cache is shared by every process: an import run with `manage.py` while
`make run` serves drops the server's cached pages (issue 12)."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import CacheHandler

from indicators.caching import VERSION_KEY

ROOT = Path(__file__).resolve().parents[2]
#: Helper F's own Redis database (the working rules give each helper one).
REDIS_URL = "redis://127.0.0.1:6379/10"
#: What `@changes_dataset` does once an import or a publication commits, in another process.
BUMP = "from indicators.caching import bump_dataset_version as b; b()"


def _dev_cache(monkeypatch, redis_url: str | None):
    """The default cache as `scrutiny.settings.dev` configures it under this environment,
    opened in this (test) process."""
    if redis_url is None:
        monkeypatch.delenv("REDIS_URL", raising=False)
    else:
        monkeypatch.setenv("REDIS_URL", redis_url)
    spec = importlib.util.spec_from_file_location(
        "scrutiny.settings._dev_probe", ROOT / "scrutiny" / "settings" / "dev.py"
    )
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    return CacheHandler({"default": dev.CACHES["default"]})["default"], dev.CACHES["default"]


def _in_another_process(code: str, redis_url: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env["DJANGO_SETTINGS_MODULE"] = "scrutiny.settings.dev"
    if redis_url is not None:
        env["REDIS_URL"] = redis_url
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_redis_the_dev_cache_is_files_in_the_project_shared_across_processes(
    monkeypatch,
):
    cache, config = _dev_cache(monkeypatch, None)
    assert config["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert Path(config["LOCATION"]) == ROOT / ".cache" / "django"
    before = cache.get(VERSION_KEY)
    _in_another_process(BUMP, None)
    after = cache.get(VERSION_KEY)
    assert after is not None and after != before
    # The folder is never committed.
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".cache/django/x.djcache"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0


def test_with_redis_url_the_dev_cache_is_that_redis(monkeypatch):
    cache, config = _dev_cache(monkeypatch, REDIS_URL)
    assert config == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
    try:
        cache.delete(VERSION_KEY)
    except Exception as error:  # noqa: BLE001 - the message says what is missing
        pytest.fail(f"Redis at {REDIS_URL} does not answer: {error}")
    _in_another_process(BUMP, REDIS_URL)
    assert cache.get(VERSION_KEY) is not None
    cache.delete(VERSION_KEY)


def test_the_tests_keep_a_per_process_memory_cache():
    assert settings.CACHES["default"]["BACKEND"] == (
        "django.core.cache.backends.locmem.LocMemCache"
    )
