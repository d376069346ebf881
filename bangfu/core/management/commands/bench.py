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


def _peak_rss_reset() -> int:
    """Reset the process's peak resident set (Linux: /proc/self/clear_refs) and return the current one, in MB."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    return _status_mb("VmRSS")


def _status_mb(key: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) // 1024
    return 0


def _synthetic_village():
    """A province, county, township and village of their own (codes 99…), so that an export of the village holds
    exactly the rows a benchmark writes."""
    from bangfu.regions.models import Level, Region, place_under

    parent = None
    for code, name, level in (("990000", "基准省", Level.PROVINCE), ("990100", "基准市", Level.PREFECTURE),
                              ("990101", "基准县", Level.COUNTY), ("990101001000", "基准镇", Level.TOWNSHIP),
                              ("990101001001", "基准村", Level.VILLAGE)):
        region = Region(code=code, name=name, level=level, synthetic=True)
        place_under(region, parent)
        region.save()
        parent = region
    return parent


def _synthetic_members(village, n: int, per_household: int = 4) -> None:
    """`n` current members in households of `per_household`, written column-wise, every column filled the way a
    registry fills it (valid ID numbers, choices, dates, amounts, phone numbers on half the rows)."""
    from datetime import date, timedelta
    from decimal import Decimal

    from bangfu.core.bulk import insert_columns, reserve_ids
    from bangfu.core.identity import check_char
    from bangfu.households.models import Household, Member

    households = -(-n // per_household)
    county = village.county_code
    ids = reserve_ids(Household, households)
    insert_columns(Household, {
        "id": ids,
        "number": [f"{village.code}{i:07d}" for i in range(households)],
        "village_id": [village.code] * households,
        "county_code": [county] * households,
        "region_path": [village.path] * households,
        "household_type": ["lifted" if i % 3 else "ordinary" for i in range(households)],
        "monitoring_category": ["" if i % 5 else "marginal" for i in range(households)],
        "head_name": [f"户主{i}" for i in range(households)],
        "size": [per_household] * households,
        "phone": [f"139{i:08d}" for i in range(households)],
        "address": [f"{village.name}{i % 40}组" for i in range(households)],
        "land_area": [Decimal(i % 700) / 100 for i in range(households)],
        "housing_grade": ["AB"[i % 2] for i in range(households)],
    })
    del ids
    relations, channels = ["head", "spouse", "child", "parent"], ["", "out_of_province", "in_county", "workshop"]
    epoch = date(1940, 1, 1)
    birth = [epoch + timedelta(days=k // 1000 * 7 + k % 7) for k in range(n)]  # (birth, serial) unique below 5M
    first17 = [f"{county}{b:%Y%m%d}{k % 1000:03d}" for k, b in zip(range(n), birth, strict=True)]
    household_ids = Household.objects.filter(village=village).order_by("id").values_list("id", flat=True)
    household_ids = list(household_ids)
    insert_columns(Member, {
        "household_id": [household_ids[k // per_household] for k in range(n)],
        "county_code": [county] * n,
        "region_path": [village.path] * n,
        "name": [f"成员{k}" for k in range(n)],
        "name_initials": ["cy"] * n,
        "id_number": [f + check_char(f) for f in first17],
        "relation": [relations[k % per_household % 4] for k in range(n)],
        "sex": ["male" if k % 2 else "female" for k in range(n)],
        "birth_date": birth,
        "ethnicity": ["壮族" if k % 3 else "汉族" for k in range(n)],
        "education": ["junior"] * n,
        "labour_skill": ["ordinary"] * n,
        "work_months": [k % 13 for k in range(n)],
        "employment_channel": [channels[k % 4] for k in range(n)],
        "phone": [f"138{k:08d}" if k % 2 else "" for k in range(n)],
    })


def bench_export(command, options):
    """Our CSV and xlsx export of N member rows, and xlsxwriter's constant-memory mode writing the same rows from
    Python lists (reading not timed) for reference. The rows are synthetic, in a village of their own, and rolled
    back at the end. Peak memory: the process's peak resident set during each run (VmHWM, reset before it)."""
    import tempfile
    from datetime import date
    from pathlib import Path

    import xlsxwriter

    from bangfu.core import exports

    n = options.get("rows") or 100_000
    spec = exports.entities()["households"]
    w = command.stdout.write
    w(f"bench export — {_database()}, {os.cpu_count()} CPU(s), {platform.platform()}, "
      f"{timezone.localtime():%Y-%m-%d %H:%M %Z}")
    w(f"  entity households: {len(spec.columns)} columns, {n:,} member rows (synthetic, rolled back)")

    def measure(label, fn):
        base = _peak_rss_reset()
        started = time.perf_counter()
        rows, seconds = fn()
        seconds = seconds if seconds is not None else time.perf_counter() - started
        peak = _status_mb("VmHWM")
        w(f"  {label:<38} {seconds:8.1f} s  {rows / seconds:10,.0f} rows/s  peak RSS {peak:,} MB "
          f"(+{peak - base:,} MB over the {base:,} MB before)")
        return rows

    def run():
        started = time.perf_counter()
        village = _synthetic_village()
        _synthetic_members(village, n)
        w(f"  (rows written in {time.perf_counter() - started:.1f} s)")
        queryset = exports.rows_for(spec, None, village.code)
        with tempfile.TemporaryDirectory() as tmp:
            for suffix in (".csv", ".xlsx"):
                path = Path(tmp) / f"export{suffix}"
                done = measure(f"bangfu export {suffix[1:]}", lambda p=path: (exports.write(spec, queryset, p, False),
                                                                             None))
                if done != n:
                    raise CommandError(f"{suffix}: {done} rows exported, {n} expected")
                w(f"    {path.stat().st_size / 1e6:,.1f} MB")
                path.unlink()

            def reference():
                """xlsxwriter, constant memory, write_row() per row of Python values; only the writing is timed."""
                sql, params = exports._sql(spec, queryset, False, csv_out=False)
                dates = [i for i, c in enumerate(spec.columns) if c.kind == "date"]
                decimals = [i for i, c in enumerate(spec.columns) if c.kind == "decimal"]
                path = Path(tmp) / "reference.xlsx"
                workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
                sheet = workbook.add_worksheet("households")
                day = workbook.add_format({"num_format": "yyyy-mm-dd"})
                writing = 0.0
                r = 0
                for chunk in exports._chunks(connection, sql, params):
                    rows = [list(row) for row in chunk]
                    for row in rows:
                        for i in dates:
                            if isinstance(row[i], str):
                                row[i] = date.fromisoformat(row[i])
                        for i in decimals:
                            row[i] = None if row[i] is None else float(row[i])
                    started = time.perf_counter()
                    for row in rows:
                        r += 1
                        sheet.write_row(r, 0, row)
                        for i in dates:
                            if row[i] is not None:
                                sheet.write_datetime(r, i, row[i], day)
                    writing += time.perf_counter() - started
                started = time.perf_counter()
                workbook.close()
                writing += time.perf_counter() - started
                return r, writing

            measure("xlsxwriter constant_memory (reference)", reference)

    _timed_and_undone(run)


def bench_import(command, options):
    """`bangfu import` from CSV and xlsx against COPY, bulk_create, a per-row ORM loop and django-import-export, on
    one generated file of N rows; each method in a child process for its peak memory (bangfu/core/bench_import.py)."""
    from bangfu.core.bench_import import run

    run(command, options)


def bench_funds(command, options):
    from bangfu.funds.bench import bench_funds as run

    run(command, options)


def bench_labor(command, options):
    """Matching one posting against the whole laborer registry (and postings for one laborer), as the API does."""
    from bangfu.labor.bench import run

    run(command, options, _database())


BENCHMARKS = {
    "screen": bench_screen,
    "export": bench_export,
    "import": bench_import,
    "funds": bench_funds,
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
                            help="households in the naive per-household loop (default 20000, at most all); "
                                 "bench import: rows of its per-row ORM loop")
        parser.add_argument("--repeat", type=int, default=1, help="set-based runs; the best is reported")
        parser.add_argument("--rows", type=int, help="bench export, import: member rows to generate (default 100000)")
        parser.add_argument("--only", help="bench import: run one method here and print its figures as JSON (used "
                                           "by the child processes)")
        parser.add_argument("--files", help="bench import: the directory of the generated files (with --only)")
        parser.add_argument("--in-process", action="store_true",
                            help="bench import: run every method in this process (no child processes)")
        parser.add_argument("--skip-import-export", action="store_true",
                            help="bench import: leave django-import-export out")

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
        if options.get("rows"):
            args += ["--rows", str(options["rows"])]
        args += [f"--{flag.replace('_', '-')}" for flag in ("in_process", "skip_import_export") if options.get(flag)]
        for url in urls:
            env = dict(os.environ, BANGFU_DATABASE_URL=url)
            done = subprocess.run([sys.executable, "-m", "bangfu", "bench", *args], env=env, capture_output=True,
                                  text=True)
            self.stdout.write(done.stdout.rstrip())
            if done.returncode:
                self.stderr.write(done.stderr.strip()[-2000:])
                raise CommandError(f"bench {name} failed on {url.split('@')[-1]}")
