"""The production settings with Django's cache switched off, for `bench.run` only: it measures
the production server without the cache this way because no environment variable of
scrutiny.settings.prod turns the cache off."""

from scrutiny.settings.prod import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
