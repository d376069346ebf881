"""`bangfu bench export`: our CSV and xlsx export of N member rows against xlsxwriter's constant-memory mode."""

import os
import platform
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from bangfu.bench.common import database_name, peak_rss_reset, status_mb, timed_and_undone
from bangfu.core import exports
from bangfu.core.bulk import insert_columns, reserve_ids
from bangfu.core.identity import check_char
from bangfu.households.models import Household, Member
from bangfu.regions.models import Level, Region, place_under


def synthetic_village():
    """A province, county, township and village of their own (codes 99…), so that an export of the village holds
    exactly the rows a benchmark writes."""
    parent = None
    for code, name, level in (("990000", "基准省", Level.PROVINCE), ("990100", "基准市", Level.PREFECTURE),
                              ("990101", "基准县", Level.COUNTY), ("990101001000", "基准镇", Level.TOWNSHIP),
                              ("990101001001", "基准村", Level.VILLAGE)):
        region = Region(code=code, name=name, level=level, synthetic=True)
        place_under(region, parent)
        region.save()
        parent = region
    return parent


def synthetic_members(village, n: int, per_household: int = 4, start: int = 0) -> int:
    """`n` current members in households of `per_household`, written column-wise, every column filled the way a
    registry fills it (valid ID numbers, choices, dates, amounts, phone numbers on half the rows). `start`, a multiple
    of `per_household`, numbers them after those an earlier call wrote in the same county."""
    households, first = -(-n // per_household), start // per_household
    county = village.county_code
    ids = reserve_ids(Household, households)
    insert_columns(Household, {
        "id": ids,
        "number": [f"{village.code}{first + i:07d}" for i in range(households)],
        "village_id": [village.code] * households,
        "county_code": [county] * households,
        "region_path": [village.path] * households,
        "household_type": ["lifted" if i % 3 else "ordinary" for i in range(households)],
        "monitoring_category": ["" if i % 5 else "marginal" for i in range(households)],
        "head_name": [f"户主{first + i}" for i in range(households)],
        "size": [per_household] * households,
        "phone": [f"139{first + i:08d}" for i in range(households)],
        "address": [f"{village.name}{i % 40}组" for i in range(households)],
        "land_area": [Decimal(i % 700) / 100 for i in range(households)],
        "housing_grade": ["AB"[i % 2] for i in range(households)],
    })
    relations, channels = ["head", "spouse", "child", "parent"], ["", "out_of_province", "in_county", "workshop"]
    serial = range(start, start + n)
    epoch = date(1940, 1, 1)
    birth = [epoch + timedelta(days=s // 1000 * 7 + s % 7) for s in serial]  # (birth, serial) unique below 5M
    first17 = [f"{county}{b:%Y%m%d}{s % 1000:03d}" for s, b in zip(serial, birth, strict=True)]
    insert_columns(Member, {
        "household_id": [ids[k // per_household] for k in range(n)],
        "county_code": [county] * n,
        "region_path": [village.path] * n,
        "name": [f"成员{s}" for s in serial],
        "name_initials": ["cy"] * n,
        "id_number": [f + check_char(f) for f in first17],
        "relation": [relations[k % per_household % 4] for k in range(n)],
        "sex": ["male" if s % 2 else "female" for s in serial],
        "birth_date": birth,
        "ethnicity": ["壮族" if s % 3 else "汉族" for s in serial],
        "education": ["junior"] * n,
        "labour_skill": ["ordinary"] * n,
        "work_months": [s % 13 for s in serial],
        "employment_channel": [channels[s % 4] for s in serial],
        "phone": [f"138{s:08d}" if s % 2 else "" for s in serial],
    })
    return n


def run(command, options):
    """Our CSV and xlsx export of N member rows, and xlsxwriter's constant-memory mode writing the same rows from
    Python lists (reading not timed) for reference. The rows are synthetic, in a village of their own, and rolled
    back at the end. Peak memory: the process's peak resident set during each run (VmHWM, reset before it)."""
    n = options.get("rows") or 100_000
    spec = exports.entities()["households"]
    w = command.stdout.write
    w(f"bench export — {database_name()}, {os.cpu_count()} CPU(s), {platform.platform()}, "
      f"{timezone.localtime():%Y-%m-%d %H:%M %Z}")
    w(f"  entity households: {len(spec.columns)} columns, {n:,} member rows (synthetic, rolled back)")

    def measure(label, fn):
        base = peak_rss_reset()
        started = time.perf_counter()
        rows, seconds = fn()
        seconds = seconds if seconds is not None else time.perf_counter() - started
        peak = status_mb("VmHWM")
        w(f"  {label:<38} {seconds:8.1f} s  {rows / seconds:10,.0f} rows/s  peak RSS {peak:,} MB "
          f"(+{peak - base:,} MB over the {base:,} MB before)")
        return rows

    def run():
        started = time.perf_counter()
        village = synthetic_village()
        synthetic_members(village, n)
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
                dates = [i for i, c in enumerate(spec.columns) if exports.cell_kind(spec, c, False) == "date"]
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

    timed_and_undone(run)
