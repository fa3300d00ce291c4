"""The public performance pages are cached whole, per page and the query parameters it reads, and
dropped by any change to the data behind them.

Rather than deleting keys (which a shared Redis across several app servers makes racy), every
key carries a dataset version number; a change to a value, target, benchmark, commentary,
publication or the indicators themselves bumps the version, so older pages are never read again
and expire by themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import wraps
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict

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


def read_parameters(query: QueryDict, reads: Iterable[str]) -> QueryDict:
    """Only the query parameters a page reads, in a fixed order: any other parameter
    (`?x=1`, `?utm_source=…`) makes no new page, so it makes no new cache key."""
    kept = QueryDict(mutable=True)
    for name in sorted(set(reads)):
        if name in query:
            kept.setlist(name, query.getlist(name))
    kept._mutable = False
    return kept


def cache_path(path: str, query: QueryDict) -> str:
    """The address a page is cached under: its path and the parameters it reads."""
    return f"{path}?{urlencode(list(query.lists()), doseq=True)}" if query else path


def public_page(*, reads: Iterable[str]) -> Callable:
    """Serve the page from the cache for anonymous GET requests, keyed on its path and the
    query parameters it `reads` (declared by each view), so that made-up parameters cannot
    fill the cache without bound. The view sees only those parameters, so what it builds
    depends on nothing the key leaves out.

    Signed-in users get a freshly built page: their header differs, and they are few.
    """
    reads = tuple(reads)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "GET" or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            request.GET = read_parameters(request.GET, reads)
            key = page_key(cache_path(request.path, request.GET), dataset_version())
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

    return decorator


def changes_dataset(service):
    """Mark a write service whose bulk writes send no model signals: once its transaction
    commits, the cached pages are dropped."""

    @wraps(service)
    def wrapper(*args, **kwargs):
        result = service(*args, **kwargs)
        transaction.on_commit(bump_dataset_version)
        return result

    return wrapper
