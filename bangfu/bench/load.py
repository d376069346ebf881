"""`bangfu bench load`: the main pages and the API lists under a bounded load (docs/performance.md).

N clients (threads, each logged in through the form as a browser is, and calling the API with a token) request the
routes in turn for a fixed time against the production server: gunicorn with the production settings over plain
HTTP on 127.0.0.1, started here on the configured database (after `collectstatic`), or the server at --url. Each
route's p50/p95/p99 and errors are printed against the targets of issue 12: p95 ≤ 1 s for a page, ≤ 300 ms for an
API list, no error. The load stops by itself: at the end of --duration, and each client after at most
MAX_REQUESTS requests. It writes the clients' sessions (expiring as any) and one API token, deleted at the end."""

import os
import platform
import random
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from bangfu.bench.common import database_name
from bangfu.bench.server import Client, Server, bangfu, production_env
from bangfu.core.models import ApiToken

PAGES = ["/", "/households/", "/labor/", "/labor/laborers/", "/funds/", "/funds/budgets/", "/projects/",
         "/pairings/", "/regions/", "/talent/"]
API_LISTS = ["/api/v1/households", "/api/v1/members", "/api/v1/projects", "/api/v1/pairings", "/api/v1/regions",
             "/api/v1/funds/budgets", "/api/v1/labor/laborers", "/api/v1/labor/postings"]
PAGE_P95, API_P95 = 1.0, 0.3  # seconds
MAX_REQUESTS = 100_000  # per client: a bound on the loop whatever the duration


@dataclass
class Route:
    path: str
    api: bool
    seconds: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    alone: float = float("nan")  # the median of three requests one after another, before the load

    @property
    def target(self) -> float:
        return API_P95 if self.api else PAGE_P95

    def percentile(self, p: int) -> float:
        if len(self.seconds) < 2:
            return self.seconds[0] if self.seconds else float("nan")
        return statistics.quantiles(self.seconds, n=100, method="inclusive")[p - 1]

    def ms(self, p: int) -> str:
        return f"{self.percentile(p) * 1000:.0f}" if self.seconds else "-"

    def met(self) -> bool:
        return bool(self.seconds) and not self.errors and self.percentile(95) <= self.target


def _call(client: Client, route: Route, lock: threading.Lock):
    try:
        response = client.get(route.path)
        error = None if response.status == 200 else str(response.status)
        seconds = response.seconds
    except OSError as exc:  # refused, reset, timed out: an error of the route, not of the benchmark
        error, seconds = type(exc).__name__, None
    with lock:
        if error:
            route.errors[error] = route.errors.get(error, 0) + 1
        else:
            route.seconds.append(seconds)


def _client_loop(url, username, password, token, routes, start, until, lock, failures):
    try:
        browser = Client(url)
        browser.login(username, password)
    except (OSError, RuntimeError) as exc:
        with lock:
            failures.append(str(exc))
        return
    api = Client(url, token=token)
    order = routes[:]
    random.Random(start).shuffle(order)  # each client its own order, the same on every run
    for n in range(MAX_REQUESTS):
        if time.monotonic() >= until:
            return
        route = order[n % len(order)]
        _call(api if route.api else browser, route, lock)


def _alone(url, username, password, token, routes):
    """Each route three times in a row with no other client (after one untimed request: each worker's first request
    of a route pays for imports and caches); also proves the password before the clients start."""
    browser, api = Client(url), Client(url, token=token)
    browser.login(username, password)
    for route in routes:
        client = api if route.api else browser
        client.get(route.path)
        route.alone = statistics.median(client.get(route.path).seconds for _ in range(3))


def _load(url, username, password, token, clients, duration, cpu=None) -> tuple[list[Route], float, list[str], float]:
    """The routes measured, the seconds the load took, the clients that could not log in, and the server's CPU
    seconds during the load (`cpu()`, when the server is ours to measure)."""
    routes = [Route(p, api=False) for p in PAGES] + [Route(p, api=True) for p in API_LISTS]
    _alone(url, username, password, token, routes)
    cpu_before = cpu() if cpu else 0.0
    lock, failures = threading.Lock(), []
    started = time.monotonic()
    until = started + duration
    threads = [threading.Thread(target=_client_loop, daemon=True,
                                args=(url, username, password, token, routes, i, until, lock, failures))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 300)
    return routes, time.monotonic() - started, failures, (cpu() - cpu_before) if cpu else 0.0


def _report(w, routes: list[Route], elapsed: float, failures: list[str], cpu: float = 0.0):
    w(f"  {'route':<28} {'alone ms':>8} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
      f"{'target':>8}")
    for route in routes:
        errors = sum(route.errors.values())
        w(f"  {route.path:<28} {route.alone * 1000:>8.0f} {len(route.seconds) + errors:>8} {route.ms(50):>8} "
          f"{route.ms(95):>8} {route.ms(99):>8} {errors:>7} {'≤' + str(int(route.target * 1000)):>8} "
          f"{'met' if route.met() else 'OVER'}" + (f"  {route.errors}" if route.errors else ""))
    total = sum(len(r.seconds) + sum(r.errors.values()) for r in routes)
    errors = sum(sum(r.errors.values()) for r in routes)
    w(f"  {total:,} requests in {elapsed:.1f} s ({total / elapsed:.1f}/s), {errors} errors"
      + (f"; {len(failures)} clients could not log in: {failures[0]}" if failures else ""))
    if cpu and total:
        # What the machine's cores must supply per request, whatever else runs beside (the database server's own
        # processes not included: on PostgreSQL add its share).
        w(f"  gunicorn's CPU: {cpu:.1f} s, {cpu / total * 1000:.0f} ms per request; at that cost "
          f"{os.cpu_count()} idle cores serve at most {os.cpu_count() / (cpu / total):.0f} requests/s")
    over = [r.path for r in routes if not r.met()]
    verdict = "met" if not over and not failures else "NOT MET: " + ", ".join(over or ["logins"])
    w(f"  targets (p95 ≤ {PAGE_P95 * 1000:.0f} ms for pages, ≤ {API_P95 * 1000:.0f} ms for API lists, "
      f"0 errors): {verdict}")


def run(command, options):
    w = command.stdout.write
    username, password = options.get("user") or "sz", options.get("password")
    clients, duration = options.get("clients") or 20, options.get("duration") or 60
    if not password:
        raise CommandError("Give the password of --user (the demo accounts': load-demo --password PW).")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user {username!r}: load the demo first (bangfu load-demo).")
    token = ApiToken.objects.issue(user)
    before = os.getloadavg()
    try:
        if options.get("url"):
            where = options["url"]
            routes, elapsed, failures, cpu = _load(options["url"], username, password, token, clients, duration)
        else:
            workers = options.get("workers")
            env = production_env(Path(settings.VAR_DIR), os.environ.get("BANGFU_DATABASE_URL", ""),
                                 BANGFU_LOGIN_FAILURE_LIMIT="1000")
            bangfu(env, "collectstatic", "--no-input", "-v0")
            log = Path(tempfile.gettempdir()) / f"bangfu-bench-load-{os.getpid()}.log"
            with Server(env, workers=workers, log=log) as server:
                where = f"gunicorn ({workers or 'default'} workers, log {log}) at {server.url}"
                routes, elapsed, failures, cpu = _load(server.url, username, password, token, clients, duration,
                                                       cpu=server.cpu_seconds)
    finally:
        ApiToken.objects.filter(user=user, prefix=token[:8]).delete()
    w(f"bench load — {database_name()}, {os.cpu_count()} CPU(s), {platform.platform()}, "
      f"{timezone.localtime():%Y-%m-%d %H:%M %Z}")
    w(f"  {clients} clients for {duration} s as {username}, against {where}; load average before "
      f"{before[0]:.1f}, after {os.getloadavg()[0]:.1f} (other work on the machine shows here)")
    _report(w, routes, elapsed, failures, cpu)
