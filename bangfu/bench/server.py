"""The production server as an operator runs it (docs/setup.md), for the deploy test and `bangfu bench load`: the
static files built with the production settings, gunicorn with the project's configuration on a free loopback port,
and a client that logs in as a browser does (the CSRF cookie and the form's token) or calls the API with a token.

Everything here talks to 127.0.0.1 only."""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"


def production_env(var_dir: Path, database_url: str = "", **extra: str) -> dict:
    """The environment of a production process over plain HTTP on the loopback: a fresh secret key, this host only,
    BANGFU_HTTPS=0 so that cookies are not marked secure (no TLS proxy in front)."""
    env = dict(os.environ, BANGFU_ENV="production", BANGFU_SECRET_KEY=secrets.token_urlsafe(64),
               BANGFU_ALLOWED_HOSTS=HOST, BANGFU_HTTPS="0", BANGFU_VAR_DIR=str(var_dir), **extra)
    for name in ("BANGFU_TEST_DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "BANGFU_DATABASE_URL"):
        env.pop(name, None)
    if database_url:
        env["BANGFU_DATABASE_URL"] = database_url
    return env


def bangfu(env: dict, *args: str, timeout: float = 600) -> str:
    """Run a `bangfu` command in a child process; its output, or an error carrying what it printed."""
    done = subprocess.run([sys.executable, "-m", "bangfu", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"bangfu {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with bangfu/gunicorn_conf.py on a free port, started on entering and stopped on leaving."""

    def __init__(self, env: dict, workers: int | None = None, log: Path | None = None):
        self.env, self.workers, self.log = env, workers, log
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.process = self.out = None

    def __enter__(self):
        args = [sys.executable, "-m", "gunicorn", "--config", "python:bangfu.gunicorn_conf",
                "--bind", f"{HOST}:{self.port}"]
        if self.workers:
            args += ["--workers", str(self.workers)]
        self.out = open(self.log, "ab") if self.log else None  # noqa: SIM115 (closed when the server stops)
        self.process = subprocess.Popen(args, env=self.env, stdout=self.out or subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT)
        self._wait_until_up(deadline=time.monotonic() + 60)
        return self

    def _wait_until_up(self, deadline: float):
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode} (log: {self.log})")
            try:
                Client(self.url).get("/accounts/login/")
                return
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer on {self.url} within 60 s")

    def cpu_seconds(self) -> float:
        """CPU time used so far by gunicorn's master and its workers (Linux: /proc), in seconds."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # a process that ended meanwhile
                continue
            pid, ppid = int(stat.parent.name), int(fields[1])
            if self.process.pid in (pid, ppid):
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.out:
            self.out.close()


class Response:
    def __init__(self, status: int, headers, body: bytes, seconds: float):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """One user's HTTP client: keeps its cookies (as a browser over HTTP would) or sends a bearer token."""

    def __init__(self, url: str, token: str = "", timeout: float = 60):
        parts = urlsplit(url)
        self.host, self.port, self.timeout = parts.hostname, parts.port or 80, timeout
        self.cookies: dict[str, str] = {}
        self.token = token

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Response(response.status, response.headers, data, seconds)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def login(self, username: str, password: str) -> Response:
        """The login form as a browser posts it: the CSRF cookie from the GET, the token from the form."""
        page = self.get("/accounts/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status != 200 or not match:
            raise RuntimeError(f"the login page answered {page.status} without a CSRF token")
        form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)})
        response = self.request("POST", "/accounts/login/", form.encode(),
                                {"Content-Type": "application/x-www-form-urlencoded"})
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"logging in as {username} answered {response.status}, no session")
        return response
