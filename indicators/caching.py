"""The public performance pages are cached whole, per address, and dropped by any change to the
data behind them.

Rather than deleting keys (which a shared Redis across several app servers makes racy), every
key carries a dataset version number; a change to a value, target, benchmark, commentary,
publication or the indicators themselves bumps the version, so older pages are never read again
and expire by themselves.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

VERSION_KEY = "indicators:dataset-version"
PAGE_TIMEOUT = 60 * 60
#: Headers a cached page must keep (exports carry their file name).
KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def dataset_version() -> int:
    """The current version of the published dataset (starts at 1)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_dataset_version(**kwargs) -> None:
    """Signal receiver: the data changed, so every cached page is stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        # The key was evicted or never set: any value other than the old one will do.
        cache.set(VERSION_KEY, dataset_version() + 1, timeout=None)


def page_key(path: str, version: int) -> str:
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    return f"indicators:page:{version}:{digest}"


def public_page(view):
    """Serve the page from the cache for anonymous GET requests.

    Signed-in users get a freshly built page: their header differs, and they are few.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = page_key(request.get_full_path(), dataset_version())
        cached = cache.get(key)
        if cached is not None:
            content, status, headers = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            cache.set(key, (response.content, response.status_code, headers), PAGE_TIMEOUT)
        return response

    return wrapper


def changes_dataset(service):
    """Mark a write service whose bulk writes send no model signals: once its transaction
    commits, the cached pages are dropped."""

    @wraps(service)
    def wrapper(*args, **kwargs):
        result = service(*args, **kwargs)
        transaction.on_commit(bump_dataset_version)
        return result

    return wrapper
