"""`bangfu bench indicators`: the indicator layer's targets (issue 13, docs/performance.md), in one run:

- the full rebuild of the facts from the records (target ≤ 120 s on 2 cores, `full` demo);
- the refresh after importing `--rows` member rows (default 100,000) into 德保县 (target ≤ 10 s);
- the server time of the coordination office's dashboard and of 德保县's, p50 and p95 over 50 warm requests
  (target p95 ≤ 300 ms), beside the same dashboard read live from the records without the facts (the ratio);
- one `/api/v1/indicators/values` call for every recipient county of 深圳市 (target p95 ≤ 50 ms).

Everything it writes (facts, the imported rows) is rolled back at the end.
"""

import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.utils import timezone

from bangfu.bench.common import database_name
from bangfu.core import facts
from bangfu.core.indicators import catalogue
from bangfu.core.models import Fact

REQUESTS = 50
VALUES = "households.registered,households.people,households.per_capita_income,labor.employed,funds.fiscal"


class _Rollback(Exception):
    pass


def run(command, options):
    w = command.stdout.write
    if not get_user_model().objects.filter(username="sz").exists():
        raise CommandError("No demo accounts in this database: load the demo first (bangfu load-demo --scale full).")
    w(f"bench indicators — {database_name()}, {os.cpu_count()} CPU(s), {platform.platform()}, "
      f"{timezone.localtime():%Y-%m-%d %H:%M %Z}")
    try:
        with transaction.atomic():
            _measure(w, options)
            raise _Rollback
    except _Rollback:
        pass


def _measure(w, options):
    counted = [c for c, i in catalogue().items() if i.counted]
    started = time.perf_counter()
    written = facts.rebuild(counted)
    seconds = time.perf_counter() - started
    w(f"  full rebuild: {len(counted)} counted indicators, {written:,} facts in {seconds:.1f} s — "
      f"{_verdict(seconds, 120)} the 120 s target")
    _refresh_after_import(w, options.get("rows") or 100_000)
    _dashboards(w)
    _values_for_counties(w)


def _refresh_after_import(w, n: int):
    from bangfu.bench.imports import Rows, _villages
    from bangfu.core.importing import batch_regions, import_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "members.csv"
        Rows(n, _villages(), _unused_division()).write_csv(path)
        started = time.perf_counter()
        result = import_file("households", path)
        imported = time.perf_counter() - started
    if result.status != "imported":
        shown = "; ".join(f"row {p.row} {p.column}: {p.message}" for p in result.problems[:3])
        raise CommandError(f"the import of {n:,} rows failed: {result.status} {result.message or shown}")
    from bangfu.core.models import ImportBatch

    written = batch_regions(ImportBatch.objects.get(pk=result.batch_id))
    stale = [(path, label) for label, paths in written.items() for path in facts.coarsen(paths)]
    paths = {path for path, _label in stale}
    started = time.perf_counter()
    facts.refresh(stale)
    seconds = time.perf_counter() - started
    w(f"  refresh after importing {n:,} member rows (import {imported:.1f} s; {len(paths)} county subtree(s), "
      f"{len(written)} tables): "
      f"{seconds:.2f} s — {_verdict(seconds, 10)} the 10 s target")


def _unused_division() -> str:
    """A county code no member's ID number begins with (the full demo gives 那坡县, the import bench's, members)."""
    from bangfu.households.models import Member

    for code in ("451026", "450102", "450103", "450105", "450107", "450108"):
        if not Member.objects.filter(id_number__startswith=code).exists():
            return code
    raise CommandError("no unused division code for the benchmark's ID numbers")


def _client(username: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username),
                       backend="django.contrib.auth.backends.ModelBackend")
    return client


def _times(client: Client, url: str, n: int = REQUESTS) -> list[float]:
    client.get(url)  # warm
    runs = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        runs.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise CommandError(f"GET {url} answered {response.status_code}")
    return runs


def _p(runs: list[float], q: int) -> float:
    return statistics.quantiles(runs, n=100)[q - 1] * 1000 if len(runs) > 1 else runs[0] * 1000


def _dashboards(w):
    from bangfu.dashboards.figures import reading_live

    for username, url in (("sz", "/dashboards/"), ("debao", "/dashboards/451024/")):
        client = _client(username)
        runs = _times(client, url)
        with reading_live():
            live = _times(client, url, 3)
        p95 = _p(runs, 95)
        w(f"  dashboard {url} as {username}: p50 {_p(runs, 50):.0f} ms, p95 {p95:.0f} ms over {REQUESTS} requests — "
          f"{_verdict(p95 / 1000, 0.3)} the 300 ms target; read live from the records: median "
          f"{statistics.median(live) * 1000:.0f} ms ({statistics.median(live) * 1000 / _p(runs, 50):.0f}× slower)")


def _values_for_counties(w):
    codes = ",".join(c for c in VALUES.split(",") if c in catalogue())
    url = f"/api/v1/indicators/values?code={codes}&helper=440300&by=child"
    client = _client("sz")
    counties = client.get(url).json()["count"] // len(codes.split(","))
    runs = _times(client, url)
    p95 = _p(runs, 95)
    w(f"  values of {len(codes.split(','))} indicators for {counties} recipient counties of 深圳市 (one call): "
      f"p50 {_p(runs, 50):.1f} ms, p95 {p95:.1f} ms — {_verdict(p95 / 1000, 0.05)} the 50 ms target "
      f"({Fact.objects.count():,} facts)")


def _verdict(value: float, target: float) -> str:
    return "within" if value <= target else "OVER"
