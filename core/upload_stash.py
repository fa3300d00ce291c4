"""Uploads kept between their preview and their confirmation.

The file waits in the shared media storage (`default_storage`, under `upload-stash/`), not on
the app server's own disk, so that the confirmation may reach another server behind the load
balancer. A stash is named by a random token, which the user's session holds; it is kept for a
day. An expired stash is refused and removed, and every new stash removes the expired ones.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

STASH_DIR = "upload-stash"
#: How long an upload waits for its confirmation.
KEPT = timedelta(days=1)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _name(token: str) -> str:
    return f"{STASH_DIR}/{token}.upload"


def _expired(name: str) -> bool:
    return default_storage.get_modified_time(name) < timezone.now() - KEPT


def _remove_expired() -> None:
    try:
        _, files = default_storage.listdir(STASH_DIR)
    except FileNotFoundError:
        return
    for file in files:
        name = f"{STASH_DIR}/{file}"
        if _expired(name):
            default_storage.delete(name)


def stash(*, data: bytes) -> str:
    """Keep an upload; the token names it."""
    _remove_expired()
    token = secrets.token_hex(16)
    default_storage.save(_name(token), ContentFile(data))
    return token


def take(*, token: str) -> bytes | None:
    """The upload the token names, or None when there is none or it has expired (an expired
    one is removed)."""
    if not _TOKEN.match(token or ""):
        return None
    name = _name(token)
    if not default_storage.exists(name):
        return None
    if _expired(name):
        default_storage.delete(name)
        return None
    with default_storage.open(name, "rb") as file:
        return file.read()


def forget(*, token: str) -> None:
    if _TOKEN.match(token or ""):
        default_storage.delete(_name(token))
