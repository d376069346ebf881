"""Logins (argon2, lockout, idle timeout), production settings, and the append-only logs."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.urls import reverse

from bangfu.core import audit
from bangfu.core.models import ChangeLog

PASSWORD = "Correct-horse-battery-9"


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", password=PASSWORD)


def test_passwords_are_hashed_with_argon2(alice):
    assert alice.password.startswith("argon2$")


def test_five_failures_lock_the_account_out(alice, client):
    url = reverse("login")
    for _ in range(4):
        response = client.post(url, {"username": "alice", "password": "wrong-password"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post(url, {"username": "alice", "password": "wrong-password"})
    assert response.status_code == 429  # the fifth failure locks the account
    assert "15" in response.content.decode()  # and says for how long
    response = client.post(url, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429  # locked out, even with the right password
    assert "_auth_user_id" not in client.session


def _login(username, password, address):
    return Client(REMOTE_ADDR=address).post(reverse("login"), {"username": username, "password": password})


def test_lockout_counts_failures_per_account_and_address_together(world):
    """Five failures for shanwei from an office's shared address lock shanwei out there, not auditor who works
    beside him, nor shanwei at another address."""
    for user in (world.users["shanwei"], world.users["auditor"]):
        user.set_password(PASSWORD)
        user.save()
    office, home = "10.20.30.40", "10.20.30.99"
    for _ in range(5):
        _login("shanwei", "wrong-password", office)
    assert _login("shanwei", PASSWORD, office).status_code == 429
    assert _login("auditor", PASSWORD, office).status_code == 302
    assert _login("shanwei", PASSWORD, home).status_code == 302


def test_a_login_of_ones_own_does_not_clear_the_failures_for_another_account(world):
    """A success resets the failures of that account at that address only: an attacker who guesses at shanwei and
    logs in with his own account in between is still locked out at the fifth guess."""
    for user in (world.users["shanwei"], world.users["auditor"]):
        user.set_password(PASSWORD)
        user.save()
    for _ in range(4):
        _login("shanwei", "wrong-password", "10.20.30.40")
    assert _login("auditor", PASSWORD, "10.20.30.40").status_code == 302
    assert _login("shanwei", "wrong-password", "10.20.30.40").status_code == 429


def test_many_failures_over_many_accounts_lock_the_address(world, settings):
    """Credential stuffing: one guess for each of many accounts from one address. Past the address's own, higher,
    limit, the address is locked for every account; other addresses are not."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    auditor = world.users["auditor"]
    auditor.set_password(PASSWORD)
    auditor.save()
    for n in range(7):
        assert _login(f"guess{n}", "wrong-password", "10.20.30.40").status_code == 200
    assert _login("auditor", PASSWORD, "10.20.30.40").status_code == 302  # seven: below the address's limit
    assert _login("guess7", "wrong-password", "10.20.30.40").status_code == 429
    assert _login("auditor", PASSWORD, "10.20.30.40").status_code == 429
    assert _login("auditor", PASSWORD, "10.20.30.41").status_code == 302


def test_a_good_login_works_and_sessions_expire_after_30_idle_minutes(alice, client):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get_expiry_age() == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request restarts the 30 minutes: an idle timeout


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = dict(os.environ, BANGFU_ENV="production", BANGFU_SECRET_KEY=secrets.token_urlsafe(64),
               BANGFU_ALLOWED_HOSTS="bangfu.example.org", BANGFU_VAR_DIR=str(tmp_path))
    env.pop("BANGFU_TEST_DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for Playwright's event loop
    result = subprocess.run([sys.executable, "-m", "bangfu", "check", "--deploy", "--fail-level", "WARNING"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


SECURE = ("from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
          "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)")


@pytest.mark.parametrize("https, expected", [("", "True 31536000 True True"), ("1", "True 31536000 True True"),
                                             ("0", "False 0 False False")])
def test_production_is_https_only_unless_told_it_is_served_over_plain_http(tmp_path, https, expected):
    """Behind a TLS proxy (the default) cookies are secure; over plain HTTP (BANGFU_HTTPS=0) a secure cookie would
    never come back from a browser, and no one could log in."""
    env = dict(os.environ, BANGFU_ENV="production", BANGFU_SECRET_KEY=secrets.token_urlsafe(64),
               BANGFU_VAR_DIR=str(tmp_path), BANGFU_HTTPS=https)
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {SECURE}"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = dict(os.environ, BANGFU_ENV="production", BANGFU_VAR_DIR=str(tmp_path))
    env.pop("BANGFU_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-m", "bangfu", "check"], capture_output=True, text=True, env=env)
    assert result.returncode != 0
    assert "BANGFU_SECRET_KEY" in result.stderr


def test_change_log_is_append_only(world):
    entry = audit.record(world.users["sz"], "update", world.p_debao, before={"notes": ""}, after={"notes": "x"})
    entry.reason = "rewritten"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert ChangeLog.objects.get(pk=entry.pk).reason == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
def test_change_log_refuses_sql_updates_on_postgresql(world):
    entry = audit.record(world.users["sz"], "update", world.p_debao, before={}, after={})
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_changelog SET reason = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_changelog WHERE id = %s", [entry.pk])
