"""API tokens: an expiry (default and per token), a last-used time, and a list its owner and the administrator see
and revoke from, in the API, the web page and the admin; every creation and revocation in the change log."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bangfu.core.models import ApiToken, ChangeLog
from bangfu.core.services import create_token

pytestmark = pytest.mark.usefixtures("chinese")


def bearer(key):
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def token_log(action):
    return ChangeLog.objects.filter(content_type=ContentType.objects.get_for_model(ApiToken), action=action)


def days_left(token) -> float:
    return (token.expires - timezone.now()) / timedelta(days=1)


# --- Expiry and last use --------------------------------------------------------------------------------------------


def test_a_new_token_expires_after_the_default_days(world, settings):
    settings.TOKEN_DAYS = 30
    token, _key = create_token(world.users["debao"], world.users["debao"], name="报表脚本")
    assert 29.9 < days_left(token) <= 30


def test_an_expired_token_is_refused_with_a_401_that_says_so(world):
    token, key = create_token(world.users["debao"], world.users["debao"], days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    response = bearer(key).get("/api/v1/pairings")
    assert response.status_code == 401
    assert "过期" in response.json()["message"]


def token_writes(client, url) -> int:
    """The UPDATEs of the token table one request makes."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(1 for q in queries.captured_queries if q["sql"].startswith('UPDATE "core_apitoken"'))


def test_each_use_notes_the_last_used_time_at_most_once_a_minute(world):
    token, key = create_token(world.users["debao"], world.users["debao"])
    assert token.last_used is None
    assert token_writes(bearer(key), "/api/v1/pairings") == 1
    token.refresh_from_db()
    first = token.last_used
    assert first is not None and timezone.now() - first < timedelta(seconds=10)
    assert token_writes(bearer(key), "/api/v1/pairings") == 0  # used again within the minute: no write
    token.refresh_from_db()
    assert token.last_used == first
    ApiToken.objects.filter(pk=token.pk).update(last_used=first - timedelta(minutes=2))
    assert token_writes(bearer(key), "/api/v1/pairings") == 1
    token.refresh_from_db()
    assert token.last_used > first - timedelta(minutes=2)


# --- The command line -----------------------------------------------------------------------------------------------


def test_create_token_takes_days_and_a_name(world):
    out = io.StringIO()
    call_command("create_token", "debao", "--days", "7", "--name", "nightly export", stdout=out)
    token = ApiToken.objects.get(user=world.users["debao"])
    assert 6.9 < days_left(token) <= 7 and token.name == "nightly export"
    assert bearer(out.getvalue().strip()).get("/api/v1/pairings").status_code == 200
    entry = token_log("create").get()
    assert entry.via == ChangeLog.Via.CLI and entry.actor_name == "system"
    assert "digest" not in entry.after


@pytest.mark.parametrize("days", ["0", "366", "abc"])
def test_create_token_refuses_days_out_of_bounds(world, days):
    with pytest.raises(CommandError, match="--days"):
        call_command("create_token", "debao", "--days", days, stdout=io.StringIO())
    assert not ApiToken.objects.exists()


# --- Listing and revoking in the API --------------------------------------------------------------------------------


def test_a_user_lists_only_his_own_tokens_and_the_administrator_all(world, api_as):
    create_token(world.users["debao"], world.users["debao"], name="debao 的脚本")
    create_token(world.users["nanshan"], world.users["nanshan"], name="nanshan 的脚本")
    status, body = api_as("debao").get("/api/v1/tokens")
    assert status == 200
    assert {item["user"] for item in body["items"]} == {"debao"}  # his token and the api_as client's own
    assert "debao 的脚本" in {item["name"] for item in body["items"]}
    assert all("digest" not in item and "key" not in item for item in body["items"])
    status, body = api_as("admin").get("/api/v1/tokens")
    assert {item["user"] for item in body["items"]} >= {"debao", "nanshan", "admin"}
    status, body = api_as("admin").get("/api/v1/tokens?user=nanshan")
    assert [item["name"] for item in body["items"]] == ["nanshan 的脚本"]


def test_a_revoked_token_is_refused_at_once(world):
    debao = world.users["debao"]
    token, key = create_token(debao, debao)
    response = bearer(key).delete(f"/api/v1/tokens/{token.pk}")  # revoking itself, a leaked key say
    assert response.status_code == 204
    response = bearer(key).get("/api/v1/pairings")
    assert response.status_code == 401
    assert "撤销" in response.json()["message"]
    entry = token_log("delete").get()
    assert entry.actor == debao and entry.via == ChangeLog.Via.API and entry.before["prefix"] == key[:8]


def test_another_user_cannot_revoke_a_token_but_the_administrator_can(world, api_as):
    token, key = create_token(world.users["debao"], world.users["debao"])
    for name in ("nanshan", "shanwei", "auditor", "sz"):
        status, _body = api_as(name).call("DELETE", f"/api/v1/tokens/{token.pk}")
        assert status == 404, name
    assert bearer(key).get("/api/v1/pairings").status_code == 200
    status, _body = api_as("admin").call("DELETE", f"/api/v1/tokens/{token.pk}")
    assert status == 204
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert token_log("delete").get().actor == world.users["admin"]


# --- The web page ---------------------------------------------------------------------------------------------------


@pytest.fixture
def web(world):
    def login(name):
        client = Client()
        client.force_login(world.users[name])
        return client

    return login


def test_the_token_page_creates_a_token_shown_once_and_lists_it(world, web):
    client = web("debao")
    page = client.get("/account/tokens/").content.decode()
    assert "API 令牌" in page and "有效天数" in page
    response = client.post("/account/tokens/", {"name": "月报导出", "days": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    page = response.content.decode()
    key = re.search(r"bf_[A-Za-z0-9_-]{20,}", page).group(0)
    assert "只显示这一次" in page
    assert bearer(key).get("/api/v1/pairings").status_code == 200
    page = client.get("/account/tokens/").content.decode()
    assert key not in page and key[:8] in page and "月报导出" in page
    token = ApiToken.objects.get(name="月报导出")
    assert token.user == world.users["debao"] and 29.9 < days_left(token) <= 30
    assert token_log("create").get().actor == world.users["debao"]


def test_the_token_page_refuses_bad_days_naming_the_field(world, web):
    response = web("debao").post("/account/tokens/", {"name": "x", "days": "400"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "有效天数" in page and "请填写 1 到 365 之间的数" in page
    assert not ApiToken.objects.exists()


def test_the_token_page_lists_only_the_users_own_tokens(world, web):
    create_token(world.users["nanshan"], world.users["nanshan"], name="南山的令牌")
    create_token(world.users["debao"], world.users["debao"], name="德保的令牌")
    page = web("debao").get("/account/tokens/").content.decode()
    assert "德保的令牌" in page and "南山的令牌" not in page


def test_revoking_on_the_page_the_owner_and_the_administrator_may_no_one_else(world, web):
    token, key = create_token(world.users["debao"], world.users["debao"], name="德保的令牌")
    assert web("nanshan").post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert web("auditor").post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    response = web("debao").post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/account/tokens/"
    assert bearer(key).get("/api/v1/pairings").status_code == 401
    other, _key = create_token(world.users["nanshan"], world.users["nanshan"])
    response = web("admin").post(f"/account/tokens/{other.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/account/tokens/all/"
    assert not ApiToken.objects.exists()
    assert token_log("delete").count() == 2


def test_every_token_is_listed_for_the_administrator_only(world, web):
    create_token(world.users["nanshan"], world.users["nanshan"], name="南山的令牌")
    create_token(world.users["debao"], world.users["debao"], name="德保的令牌")
    assert web("auditor").get("/account/tokens/all/").status_code == 403
    assert web("sz").get("/account/tokens/all/").status_code == 403
    page = web("admin").get("/account/tokens/all/").content.decode()
    assert "南山的令牌" in page and "德保的令牌" in page
    page = web("admin").get("/account/tokens/all/?user=nanshan").content.decode()
    assert "南山的令牌" in page and "德保的令牌" not in page


def test_the_account_menu_leads_to_the_token_page(world, web):
    assert 'href="/account/tokens/"' in web("debao").get("/").content.decode()


def test_revoking_in_the_django_admin_is_logged(world, web):
    token, _key = create_token(world.users["debao"], world.users["debao"])
    response = web("admin").post(f"/admin/core/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    entry = token_log("delete").get()
    assert entry.via == ChangeLog.Via.ADMIN and entry.actor == world.users["admin"]


def test_an_inactive_users_token_is_refused(world):
    _token, key = create_token(world.users["debao"], world.users["debao"])
    get_user_model().objects.filter(username="debao").update(is_active=False)
    assert bearer(key).get("/api/v1/pairings").status_code == 401


def test_a_refused_token_is_not_passed_over_for_the_session(world, web):
    client = web("debao")
    response = client.get("/api/v1/pairings", HTTP_AUTHORIZATION="Bearer bf_not-a-token")
    assert response.status_code == 401
    assert client.get("/api/v1/pairings").status_code == 200
