"""`bangfu bench NAME`: the benchmarks of docs/performance.md, run against the configured database.

A small dispatcher: each benchmark is a function in BENCHMARKS taking the command and its options; later modules add
theirs (`bench import`, `bench report`, …) with one line here. `--database-url URL` (repeatable) runs the same
benchmark once per database, each in a child process with BANGFU_DATABASE_URL set, so that one run prints the
PostgreSQL and the SQLite figures side by side. Benchmarks change nothing: their writes are rolled back.
"""

import os
import platform
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone


class _Rollback(Exception):
    pass


def _timed_and_undone(fn):
    """Run `fn` in a transaction, time it, and roll everything it wrote back."""
    result = {}
    started = time.perf_counter()
    try:
        with transaction.atomic():
            result["value"] = fn()
            result["seconds"] = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return result["value"], result["seconds"]


def _database() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]} ({connection.settings_dict['NAME']})"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]} ({connection.settings_dict['NAME']})"


def bench_screen(command, options):
    """Set-based screening of every household vs. a per-household ORM loop over a sample, extrapolated."""
    from bangfu.households.models import Household
    from bangfu.households.screening import latest_income_year, naive_screen, screen
    from bangfu.regions.models import Region

    region = options.get("region")
    households = Household.objects.all()
    paths = ("",)
    if region:
        path = Region.objects.filter(code=region).values_list("path", flat=True).first()
        if path is None:
            raise CommandError(f"Unknown region {region}.")
        households, paths = households.filter(region_path__startswith=path), (path,)
    total = households.count()
    if not total:
        raise CommandError("No households in this database: load the demo first (bangfu load-demo).")
    year = options.get("year") or latest_income_year(paths)
    w = command.stdout.write
    w(f"bench screen — {_database()}, {os.cpu_count()} CPU(s), {platform.platform()}, "
      f"{timezone.localtime():%Y-%m-%d %H:%M %Z}")
    w(f"  households in scope: {total:,}; income year {year}")

    runs = []
    for _ in range(options["repeat"]):
        result, seconds = _timed_and_undone(lambda: screen(region=region, year=year))
        runs.append(seconds)
    best = min(runs)
    w(f"  set-based screen():  {best:8.2f} s  {total / best:12,.0f} households/s  "
      f"({result['clues_opened']:,} clues opened, rolled back; runs: {', '.join(f'{s:.2f}' for s in runs)})")

    sample_size = min(options["sample"], total)
    sample = list(households.order_by("id")[:sample_size])
    opened, seconds = _timed_and_undone(lambda: naive_screen(sample, year))
    extrapolated = seconds * total / sample_size
    w(f"  naive ORM loop:      {seconds:8.2f} s for {sample_size:,} households ({opened:,} clues), "
      f"{sample_size / seconds:,.0f} households/s")
    w(f"  naive, extrapolated: {extrapolated:8.2f} s for {total:,} households")
    w(f"  ratio:               {extrapolated / best:8.1f} × faster set-based")


def bench_labor(command, options):
    """Matching one posting against the whole laborer registry (and postings for one laborer), as the API does."""
    from bangfu.labor.bench import run

    run(command, options, _database())


BENCHMARKS = {
    "screen": bench_screen,
    "labor": bench_labor,
}


class Command(BaseCommand):
    help = "Run a benchmark (" + ", ".join(BENCHMARKS) + ") against the database; nothing it writes is kept."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(BENCHMARKS))
        parser.add_argument("--database-url", action="append", default=[], metavar="URL",
                            help="run against this database instead (repeat for several, e.g. PostgreSQL and "
                                 "SQLite); default: the configured one")
        parser.add_argument("--region", help="limit to a region's subtree (division code)")
        parser.add_argument("--year", type=int, help="income year (default: the latest recorded)")
        parser.add_argument("--sample", type=int, default=20000,
                            help="households in the naive per-household loop (default 20000, at most all)")
        parser.add_argument("--repeat", type=int, default=1, help="set-based runs; the best is reported")

    def handle(self, name, database_url, **options):
        if database_url:
            return self._each_database(name, database_url, options)
        BENCHMARKS[name](self, options)

    def _each_database(self, name, urls, options):
        args = [name, "--sample", str(options["sample"]), "--repeat", str(options["repeat"])]
        if options.get("region"):
            args += ["--region", options["region"]]
        if options.get("year"):
            args += ["--year", str(options["year"])]
        for url in urls:
            env = dict(os.environ, BANGFU_DATABASE_URL=url)
            done = subprocess.run([sys.executable, "-m", "bangfu", "bench", *args], env=env, capture_output=True,
                                  text=True)
            self.stdout.write(done.stdout.rstrip())
            if done.returncode:
                self.stderr.write(done.stderr.strip()[-2000:])
                raise CommandError(f"bench {name} failed on {url.split('@')[-1]}")
