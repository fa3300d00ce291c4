"""Fixtures of the security tests."""

import pytest
from django.core.management import call_command
from django.db import transaction

from fuzz.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The seed demo plus the objects of `fuzz.world.build_world`, once for the module, rolled
    back at its end; each test runs in its own savepoint inside it (through `db`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        built = build_world()
        yield built
        for paper in (built.exempt_paper, built.open_paper):
            paper.file.delete(save=False)
        transaction.set_rollback(True)
