"""Fixtures shared by every test module."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The seed demo, loaded as `make run` loads it."""
    call_command("load_demo", verbosity=0)


@pytest.fixture
def demo_transactional(transactional_db):
    """The seed demo for tests whose live server needs committed data."""
    call_command("load_demo", verbosity=0)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test sends no signal that would
    drop the pages it cached."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
