"""While the database is unreachable: what load balancers, visitors and officers get, and that
the app recovers by itself. (`bench/faults.py` does the same with PostgreSQL really stopped.)"""

import gzip
from unittest import mock

import pytest
from django.db import IntegrityError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def database_down():
    """Every attempt to reach the database fails as it does while PostgreSQL is stopped."""
    return mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        side_effect=OperationalError('connection to server at "127.0.0.1", port 5432 failed'),
    )


@pytest.fixture
def visitor():
    # As a real visitor: an uncaught error becomes the error page, not a test failure.
    return Client(raise_request_exception=False)


def test_healthz_says_unavailable_and_when_to_retry(visitor):
    with database_down():
        response = visitor.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}
    assert response["Retry-After"] == "30"


@pytest.mark.parametrize("path", ["/", "/meetings/", "/recommendations/", "/indicators/"])
def test_pages_answer_the_unavailable_page_and_then_recover(visitor, demo, path):
    with database_down():
        down = visitor.get(path)
    assert down.status_code == 503
    assert down["Retry-After"] == "30"
    body = down.content.decode()
    assert "<h1 class=\"govuk-heading-l\">Sorry, the service is unavailable</h1>" in body
    assert "Traceback" not in body and "5432" not in body

    back = visitor.get(path)
    assert back.status_code == 200


def test_a_signed_in_officer_saving_during_the_outage_is_told_nothing_was_saved(visitor, demo):
    from django.contrib.auth.models import User

    visitor.force_login(User.objects.get(username="officer"))
    with database_down():
        response = visitor.post("/admin/indicators/import/", {})
    assert response.status_code == 503
    assert "Anything you were entering has not been saved" in response.content.decode()


def test_a_failed_query_that_is_not_an_outage_is_a_500(visitor):
    failing = mock.patch("meetings.selectors.meetings_list", side_effect=IntegrityError("bug"))
    with failing:
        response = visitor.get("/meetings/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert "Retry-After" not in response


def test_pages_are_compressed_for_browsers_that_accept_it(client, demo):
    plain = client.get("/")
    packed = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    text = gzip.decompress(packed.content).decode()
    assert "Children and Families Scrutiny Panel" in text
    assert len(packed.content) * 3 < len(plain.content)
