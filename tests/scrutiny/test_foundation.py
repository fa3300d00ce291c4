"""The project itself: health check, roles, settings."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db.utils import OperationalError

from core import roles

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("scrutiny.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.mark.django_db
def test_every_role_exists_with_its_permissions():
    names = set(Group.objects.values_list("name", flat=True))
    assert {
        roles.PANEL_MEMBER,
        roles.OFFICER,
        roles.PERFORMANCE_MANAGER,
        roles.SCRUTINY_MANAGER,
    } <= names
    officer = Group.objects.get(name=roles.OFFICER)
    codenames = set(officer.permissions.values_list("codename", flat=True))
    assert "change_value" in codenames
    assert "change_meeting" not in codenames
    manager = Group.objects.get(name=roles.SCRUTINY_MANAGER)
    assert manager.permissions.filter(codename="add_minute").exists()
    assert not manager.permissions.filter(codename="change_value").exists()


def _run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into the deployment check.
        env={k: v for k, v in {**os.environ, **env}.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        capture_output=True,
        text=True,
        timeout=120,
    )


PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "scrutiny.settings.prod",
    "SECRET_KEY": "a-long-random-production-key-" + "k7Qz" * 12,
    "ALLOWED_HOSTS": "scrutiny.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://scrutiny.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/scrutiny_prod_check",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_production_settings_pass_the_deployment_check():
    result = _run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "missing",
    ["SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL", "REDIS_URL"],
)
def test_production_settings_refuse_to_start_without_a_variable(missing):
    env = {**PROD_ENV, missing: ""}
    result = _run_manage("check", env=env)
    assert result.returncode != 0
    assert f"Production settings need the environment variable {missing}" in result.stderr


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_without_inline_script(client):
    response = client.get("/healthz")
    policy = response.headers["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account_out(client, settings):
    from django.contrib.auth.models import User

    settings.AXES_ENABLED = True
    User.objects.create_user("officer1", password="right-password-123")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "officer1", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "officer1", "password": "right-password-123"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
