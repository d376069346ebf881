"""The production path of docs/setup.md, end to end: static files collected with the production settings, gunicorn
serving a database this module prepares (a SQLite file, or a database of its own on BANGFU_TEST_DATABASE_URL's
PostgreSQL server), a login through the form with its CSRF token, the main pages, the API with a token, and a 404 in
Chinese. Once, `collectstatic` failed on Tabler's missing source maps and then every page answered 500."""

import contextlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg
import pytest

from bangfu.bench.server import Client, Server, bangfu, production_env

PAGES = ["/", "/households/", "/labor/", "/labor/laborers/", "/funds/", "/funds/budgets/", "/projects/",
         "/pairings/", "/regions/", "/organisations/", "/talent/", "/changelog/", "/imports/"]
API_LISTS = ["/api/v1/households", "/api/v1/projects", "/api/v1/pairings", "/api/v1/regions", "/api/v1/funds/budgets",
             "/api/v1/labor/laborers", "/api/v1/talent/sent"]
NOT_FOUND = "内容不存在，或不在您的权限范围内"  # "Nothing here, or not within your scope" in Chinese (404.html)


@dataclass
class Deployed:
    url: str
    password: str
    token: str
    var: Path

    def logged_in(self, username="admin") -> Client:
        client = Client(self.url)
        client.login(username, self.password)
        return client


@contextlib.contextmanager
def database(name: str):
    """A database of this module's own: on BANGFU_TEST_DATABASE_URL's PostgreSQL server when set (created and
    dropped here), else the SQLite file of the production settings under BANGFU_VAR_DIR."""
    url = os.environ.get("BANGFU_TEST_DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield ""
        return
    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_{name}"
    server = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None,
              "password": config["PASSWORD"] or None, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**server) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    password = secrets.token_urlsafe(12)
    with database("deploy") as url:
        env = production_env(var, url)
        bangfu(env, "collectstatic", "--no-input", "-v0")
        bangfu(env, "migrate", "--no-input", "-v0")
        bangfu(env, "load-demo", "--without-households", "--password", password, "--replace-production-data")
        token = bangfu(env, "create-token", "admin").strip()
        with Server(env, workers=2, log=var / "gunicorn.log") as server:
            yield Deployed(server.url, password, token, var)


def test_static_files_are_collected_with_hashed_names(deployed):
    manifest = json.loads((deployed.var / "static" / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/tabler/tabler.min.css", "vendor/tabler/tabler.min.js", "vendor/htmx/htmx.min.js",
                 "vendor/echarts/echarts.min.js", "vendor/tabler/tabler.min.css.map"):
        assert name in manifest, name


@pytest.mark.parametrize("path", PAGES)
def test_the_main_pages_answer_after_a_login(deployed, path):
    response = deployed.logged_in().get(path)
    assert response.status == 200, response.text[:2000]
    assert '<html lang="zh-hans">' in response.text
    assert "Content-Security-Policy" in response.headers


def test_the_static_files_a_page_names_are_served(deployed):
    client = deployed.logged_in()
    page = client.get("/").text
    names = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert any(re.search(r"tabler\.min\.[0-9a-f]{12}\.css$", name) for name in names), names
    for name in names:
        response = client.request("GET", name, headers={"Accept-Encoding": "gzip"})
        assert response.status == 200, name
        assert "max-age=315360000" in response.headers["Cache-Control"], name  # WhiteNoise, hashed: cached for ever


def test_an_anonymous_visitor_is_sent_to_the_login(deployed):
    response = Client(deployed.url).get("/households/")
    assert response.status == 302 and response.headers["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", API_LISTS)
def test_the_api_lists_answer_with_a_token(deployed, path):
    response = Client(deployed.url, token=deployed.token).get(path)
    assert response.status == 200, response.text[:2000]
    body = json.loads(response.body)
    assert set(body) >= {"count", "items"}


def test_the_api_refuses_a_wrong_token_with_json(deployed):
    response = Client(deployed.url, token="not-a-token").get("/api/v1/households")
    assert response.status == 401 and json.loads(response.body)


@pytest.mark.parametrize("who", ["admin", None])
def test_an_unknown_page_is_a_404_in_chinese_not_the_debug_page(deployed, who):
    client = deployed.logged_in(who) if who else Client(deployed.url)
    response = client.get("/no-such-page/")
    assert response.status == 404
    assert NOT_FOUND in response.text
    assert "Django" not in response.text and "DEBUG" not in response.text and "Traceback" not in response.text


def test_the_load_benchmark_measures_every_route_without_errors(deployed):
    """`bangfu bench load`'s loop, bounded to two clients for two seconds against this server."""
    import io

    from bangfu.bench import load

    routes, elapsed, failures, _cpu = load._load(deployed.url, "admin", deployed.password, deployed.token,
                                                 clients=2, duration=2)
    assert not failures and elapsed < 120
    assert all(not route.errors for route in routes), {r.path: r.errors for r in routes if r.errors}
    out = io.StringIO()
    load._report(lambda line: out.write(line + "\n"), routes, elapsed, failures, cpu=1.5)
    assert "/api/v1/labor/laborers" in out.getvalue() and "targets (p95" in out.getvalue()
    assert "ms per request" in out.getvalue()
