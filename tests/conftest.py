"""Fixtures shared by every test module."""

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def _demo_for_module(django_db_setup, django_db_blocker):
    """The seed demo loaded once for a test module, inside a transaction rolled back at the
    module's end; loading it takes seconds, far longer than most tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_for_module, db):
    """The seed demo, loaded as `make run` loads it. Each test runs in its own savepoint, so
    what one test changes is gone before the next."""


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
