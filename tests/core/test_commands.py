"""The `bangfu` command: dashed names, create-token."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from bangfu.cli import main


def test_create_token_prints_a_working_token(world):
    out = io.StringIO()
    call_command("create_token", "debao", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("bf_")
    response = Client().get("/api/v1/pairings", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["count"] == 3


def test_create_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("create_token", "nobody")


def test_a_wrong_token_is_refused(world):
    response = Client().get("/api/v1/pairings", HTTP_AUTHORIZATION="Bearer bf_not-a-token")
    assert response.status_code == 401


def test_dashed_command_names_reach_django_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["bangfu", "create-token", "--help"])
    assert exit_info.value.code == 0
    assert "API token" in capsys.readouterr().out
