"""`bangfu bench import --rows N`: the import engine against the ways rows can get into the registry (issue 4, Speed).

One run generates one member-level file of N rows (households of 3-5 members, 4 on average, in the demo's 德保县
villages; ID numbers valid under GB 11643 with the division code 451026, which the demo does not use) as CSV and as
xlsx (xlsxwriter, constant memory), then measures, each method in a child process of its own (`bangfu bench import
--only METHOD`) so that its peak memory is its own:

csv, xlsx      `bangfu import households FILE`: read, validate and merge, as a clerk's upload runs;
copy           the same rows, already parsed, with `core.bulk.insert_columns` into the real tables (households and
               members, their indexes and constraints): COPY on PostgreSQL, executemany on SQLite — the limit;
copy-raw       the same into temporary tables without indexes or constraints — the raw limit;
bulk-create    Django `bulk_create(batch_size=5000)` of Household and Member instances;
orm            `Household.objects.create` / `Member.objects.create` per row, on a sample;
iexport, iexport-bulk
               django-import-export (an optional benchmark dependency: pip install -e '.[bench]') on the Member model
               from the same CSV's first 50,000 rows, households created beforehand (untimed): its defaults, and its
               documented bulk mode (use_bulk, batch_size 5000, skip_diff, force_init_instance).

Everything written is rolled back. Peak memory: the child's peak resident set (VmHWM of /proc/self/status), reset
through /proc/self/clear_refs just before the timed part, so that it is the method's peak (the baseline — Python,
Django, the prepared rows for the methods that take them ready — is printed beside it).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from bangfu.bench.common import database_name, peak_rss_reset, status_mb

METHODS = ("csv", "xlsx", "copy", "copy-raw", "bulk-create", "orm", "iexport", "iexport-bulk")
IMPORT_EXPORT = ("iexport", "iexport-bulk")
IEXPORT_ROWS = 50_000
COUNTY = "451024"  # 德保县: the demo's villages
ID_DIVISION = "451026"  # 那坡县: a real division code no member of the demo has
SIZES = (4, 3, 5, 4)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红文玉春梅海燕小云松柏林"
RESULT = "BENCH-IMPORT-RESULT "


class _Rollback(Exception):
    pass


# --- the rows ------------------------------------------------------------------------------------------------------

class Rows:
    """N member rows: the file's cells (by column path) and the same rows parsed (attname → values) for the methods
    that write parsed rows. Row k depends on k only, so the first m rows of N are the rows of m."""

    def __init__(self, n: int, villages: list[tuple[str, str, str, str]], division: str = ID_DIVISION):
        from bangfu.core.identity import check_char
        from bangfu.core.values import name_initials

        self.n = n
        household_of, position = [], []
        h = 0
        while len(household_of) < n:
            take = min(SIZES[h % len(SIZES)], n - len(household_of))
            household_of.extend([h] * take)
            position.extend(range(take))
            h += 1
        self.households, self.household_of, self.position = h, household_of, position
        v = [villages[i % len(villages)] for i in range(h)]  # (code, path, county, name)
        monitoring = [("边缘易致贫户", "marginal", "风险未消除", "monitored") if i % 15 == 0 else
                      ("脱贫不稳定户", "unstable", "风险已消除", "eliminated") if i % 30 == 1 else ("", "", "", "none")
                      for i in range(h)]
        land = [(i * 37) % 700 for i in range(h)]
        epoch = date(1950, 1, 1)
        births = [epoch + timedelta(days=(k // 1000 * 37) % 20000) for k in range(n)]  # (birth, serial) unique
        first17 = [f"{division}{b:%Y%m%d}{k % 1000:03d}" for k, b in zip(range(n), births, strict=True)]
        ids = [f + check_char(f) for f in first17]
        names = [SURNAMES[k % 20] + GIVEN[k // 20 % 40] + (GIVEN[k // 800 % 40] if k % 3 else "") for k in range(n)]
        initials = {name: name_initials(name) for name in set(names)}
        relations = [("户主", "head"), ("配偶", "spouse"), ("之子", "child"), ("之女", "child"), ("之父", "parent")]
        education = [("小学", "primary"), ("初中", "junior"), ("高中", "senior"), ("大专", "college"),
                     ("文盲", "illiterate")]
        skills = [("普通劳动力", "ordinary"), ("技能劳动力", "skilled"), ("弱劳动力", "weak"), ("丧失劳动力", "lost")]
        channels = [("", ""), ("省外务工", "out_of_province"), ("县内务工", "in_county"), ("帮扶车间", "workshop")]
        numbers = [f"{v[i][0]}B{i:07d}" for i in range(h)]
        sizes = [0] * h
        for i in household_of:
            sizes[i] += 1
        rel = [relations[j] for j in position]
        edu = [education[k % 5] for k in range(n)]
        skill = [skills[k % 4] for k in range(n)]
        channel = [channels[k % 4] for k in range(n)]
        male = [k % 1000 % 2 == 1 for k in range(n)]  # the ID number's 17th digit: odd for a man
        self.numbers = numbers
        # The file, by column path (the headers are HOUSEHOLDS' own).
        self.cells = {
            "household__number": [numbers[i] for i in household_of],
            "household__village_id": [v[i][0] for i in household_of],
            "household__household_type": ["脱贫户" if i % 3 else "一般农户" for i in household_of],
            "household__monitoring_category": [monitoring[i][0] for i in household_of],
            "household__risk_status": [monitoring[i][2] for i in household_of],
            "household__phone": [f"139{i:08d}" for i in household_of],
            "household__address": [f"{v[i][3]}{i % 40 + 1}组" for i in household_of],
            "household__land_area": [f"{land[i] / 100:.2f}" for i in household_of],
            "household__housing_grade": ["AB"[i % 2] for i in household_of],
            "household__safe_water": ["是"] * n,
            "household__sanitary_toilet": ["是" if i % 2 else "否" for i in household_of],
            "household__electricity": ["是"] * n,
            "name": names,
            "id_type": ["居民身份证"] * n,
            "id_number": ids,
            "relation": [r[0] for r in rel],
            "sex": ["男" if m else "女" for m in male],
            "birth_date": [b.isoformat() for b in births],
            "ethnicity": ["壮族" if k % 3 else "汉族" for k in range(n)],
            "education": [e[0] for e in edu],
            "schooling": [""] * n,
            "health": ["健康" if k % 7 else "长期慢性病" for k in range(n)],
            "labour_skill": [s[0] for s in skill],
            "work_months": [str(k % 13) for k in range(n)],
            "employment_channel": [c[0] for c in channel],
            "medical_insured": ["是"] * n,
            "pension_insured": ["是" if k % 2 else "否" for k in range(n)],
            "phone": [f"138{k:08d}" if k % 2 else "" for k in range(n)],
        }
        # The same rows parsed: households by index, members pointing at their household's index.
        self.household_columns = {
            "number": numbers,
            "village_id": [x[0] for x in v],
            "county_code": [x[2] for x in v],
            "region_path": [x[1] for x in v],
            "household_type": ["lifted" if i % 3 else "ordinary" for i in range(h)],
            "monitoring_category": [m[1] for m in monitoring],
            "risk_status": [m[3] for m in monitoring],
            "head_name": [names[k] for k in range(n) if position[k] == 0],
            "size": sizes,
            "phone": [f"139{i:08d}" for i in range(h)],
            "address": [f"{x[3]}{i % 40 + 1}组" for i, x in enumerate(v)],
            "land_area": [Decimal(x) / 100 for x in land],
            "housing_grade": ["AB"[i % 2] for i in range(h)],
            "safe_water": [True] * h,
            "sanitary_toilet": [bool(i % 2) for i in range(h)],
            "electricity": [True] * h,
        }
        self.member_columns = {
            "county_code": [v[i][2] for i in household_of],
            "region_path": [v[i][1] for i in household_of],
            "name": names,
            "name_initials": [initials[x] for x in names],
            "id_type": ["resident"] * n,
            "id_number": ids,
            "relation": [r[1] for r in rel],
            "sex": ["male" if m else "female" for m in male],
            "birth_date": births,
            "ethnicity": self.cells["ethnicity"],
            "education": [e[1] for e in edu],
            "schooling": ["none"] * n,
            "health": ["healthy" if k % 7 else "chronic" for k in range(n)],
            "labour_skill": [s[1] for s in skill],
            "work_months": [k % 13 for k in range(n)],
            "employment_channel": [c[1] for c in channel],
            "medical_insured": [True] * n,
            "pension_insured": [bool(k % 2) for k in range(n)],
            "phone": self.cells["phone"],
        }

    def members_for(self, household_ids: list[int]) -> dict[str, list]:
        return {**self.member_columns, "household_id": [household_ids[i] for i in self.household_of]}

    def write_csv(self, path: Path, limit: int | None = None) -> None:
        import polars as pl

        headers = _headers()
        frame = pl.DataFrame({headers[p]: values[:limit] if limit else values for p, values in self.cells.items()})
        frame.write_csv(path)

    def write_xlsx(self, path: Path) -> None:
        import xlsxwriter

        headers = _headers()
        workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = workbook.add_worksheet("家庭成员")
        text = workbook.add_format({"num_format": "@"})
        columns = list(self.cells.values())
        for c, path_ in enumerate(self.cells):
            sheet.write_string(0, c, headers[path_])
            sheet.set_column(c, c, 12, text)
        write = sheet.write_string
        for r, row in enumerate(zip(*columns, strict=True), start=1):
            for c, value in enumerate(row):
                if value:
                    write(r, c, value)
        workbook.close()


def _headers() -> dict[str, str]:
    from bangfu.households.imports import HOUSEHOLDS

    return {c.path: c.header for c in HOUSEHOLDS.columns}


def _villages() -> list[tuple[str, str, str, str]]:
    from bangfu.regions.models import Level, Region

    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=COUNTY).order_by("code")
                    .values_list("code", "path", "county_code", "name"))
    if not villages:
        raise CommandError(f"No villages of 德保县 ({COUNTY}) in this database: load the demo first "
                           "(bangfu migrate; bangfu load-demo --scale seed).")
    return villages


def _check_unused(rows: Rows) -> None:
    from bangfu.households.models import Household, Member

    if Member.objects.filter(active=True, id_number__startswith=ID_DIVISION).exists():
        raise CommandError(f"Members with ID numbers of division {ID_DIVISION} exist already; the benchmark's "
                           "rows would collide with them.")
    if Household.objects.filter(number__in=rows.numbers[:1000]).exists():
        raise CommandError("Households with the benchmark's numbers (village code, B, 7 digits) exist already.")


# --- measuring -----------------------------------------------------------------------------------------------------

@contextmanager
def _undone():
    """Everything inside is rolled back."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


@contextmanager
def _table(model, name: str):
    """`insert_columns` (which writes to the model's table) pointed at another table, for the raw limit."""
    old = model._meta.db_table
    model._meta.db_table = name
    try:
        yield
    finally:
        model._meta.db_table = old


def _raw_tables() -> None:
    """Temporary tables like the registry's, without indexes or constraints, for the raw limit."""
    from bangfu.households.models import Household, Member

    with connection.cursor() as cursor:
        for model in (Household, Member):
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE TEMP TABLE bench_raw_{table} (LIKE {table} INCLUDING DEFAULTS "
                               "INCLUDING IDENTITY)")
            else:
                cursor.execute(f"CREATE TEMP TABLE bench_raw_{table} AS SELECT * FROM {table} WHERE 0")


@contextmanager
def _raw_names(raw: bool):
    """Inside, Household and Member write to the raw tables when `raw`."""
    from bangfu.households.models import Household, Member

    if not raw:
        yield
        return
    with _table(Household, f"bench_raw_{Household._meta.db_table}"), \
            _table(Member, f"bench_raw_{Member._meta.db_table}"):
        yield


def measure(method: str, n: int, files: Path, sample: int) -> dict:
    """Run one method on this process's database: rows, seconds, peak and baseline RSS (MB), a note."""

    prepare, run, rows, note = _method(method, n, files, sample)
    out = {}
    _vacuum()
    with _undone():
        state = prepare()
        base = peak_rss_reset()
        started = time.perf_counter()
        note = run(state) or note
        out["seconds"] = time.perf_counter() - started
        out["peak"] = status_mb("VmHWM")
        out["base"] = base
    out.update(method=method, rows=rows, note=note)
    return out


def _vacuum() -> None:
    """Each method starts from the same tables: the rows of the methods before it, rolled back, are dead rows in
    them, which seq scans read and which mislead the planner (PostgreSQL estimates a table's rows from its size)."""
    from bangfu.households.models import Household, Member

    if connection.vendor != "postgresql" or connection.in_atomic_block:  # SQLite's rollback leaves no dead rows
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE " + ", ".join(connection.ops.quote_name(m._meta.db_table)
                                                     for m in (Household, Member)))


def _method(method: str, n: int, files: Path, sample: int):
    from bangfu.core.bulk import insert_columns, insert_frame, reserve_ids
    from bangfu.households.models import Household, Member

    def nothing():
        return None

    if method in ("csv", "xlsx"):
        path = files / f"members.{method}"

        def run(_state):
            from bangfu.core.importing import import_file

            result = import_file("households", path)
            created = result.written.get("members created", 0)
            if result.status != "imported" or created != n:
                shown = "; ".join(f"row {p.row} {p.column}: {p.message}" for p in result.problems[:5])
                raise CommandError(f"bangfu import {path.name}: {result.status}, {created:,} members created of "
                                   f"{n:,} ({result.message or shown})")
            return f"validated and merged; {result.written}"

        return nothing, run, n, ""

    if method in ("copy", "copy-raw", "bulk-create"):
        def prepare():
            return Rows(n, _villages())

        if method in ("copy", "copy-raw"):
            def prepare_frames():
                import polars as pl

                rows = prepare()
                households = pl.DataFrame(rows.household_columns)
                members = pl.DataFrame({**rows.member_columns, "household_index": rows.household_of})
                if method == "copy-raw":
                    _raw_tables()
                return households, members

            def run(frames):
                import polars as pl

                households, members = frames
                ids = pl.Series("id", reserve_ids(Household, households.height))
                members = members.select(pl.exclude("household_index"), household_id=ids.gather(
                    members["household_index"]))
                with _raw_names(method == "copy-raw"):
                    insert_frame(Household, households.with_columns(ids))
                    insert_frame(Member, members)

            how = "COPY of polars-written CSV" if connection.vendor == "postgresql" else "executemany"
            where = ("temp tables, no index, no constraint" if method == "copy-raw"
                     else "the real tables, indexes and constraints")
            return prepare_frames, run, n, f"insert_frame ({how}) into {where}"

        def run(rows):
            keys = list(rows.household_columns)
            households = [Household(**dict(zip(keys, values, strict=True)))
                          for values in zip(*rows.household_columns.values(), strict=True)]
            if not connection.features.can_return_rows_from_bulk_insert:
                for household, pk in zip(households, reserve_ids(Household, len(households)), strict=True):
                    household.pk = pk
            Household.objects.bulk_create(households, batch_size=5000)
            keys = list(rows.member_columns)
            members = [Member(household=households[i], **dict(zip(keys, values, strict=True)))
                       for i, values in zip(rows.household_of, zip(*rows.member_columns.values(), strict=True),
                                            strict=True)]
            Member.objects.bulk_create(members, batch_size=5000)

        return prepare, run, n, "Household and Member instances, bulk_create(batch_size=5000)"

    if method == "orm":
        m = min(n, sample)

        def prepare():
            return Rows(m, _villages())

        def run(rows):
            household_keys, member_keys = list(rows.household_columns), list(rows.member_columns)
            household_values = list(zip(*rows.household_columns.values(), strict=True))
            household = None
            for k, values in enumerate(zip(*rows.member_columns.values(), strict=True)):
                if rows.position[k] == 0:
                    household = Household.objects.create(**dict(zip(household_keys,
                                                                    household_values[rows.household_of[k]],
                                                                    strict=True)))
                Member.objects.create(household=household, **dict(zip(member_keys, values, strict=True)))

        return prepare, run, m, f"Household/Member.objects.create per row, on the first {m:,} rows"

    if method in IMPORT_EXPORT:
        m = min(n, IEXPORT_ROWS)
        bulk = method == "iexport-bulk"

        def prepare():
            rows = Rows(m, _villages())
            ids = reserve_ids(Household, rows.households)
            insert_columns(Household, {"id": ids, **rows.household_columns})  # untimed: members only are imported
            with open(files / "members.csv", encoding="utf-8") as f:
                text = "".join(line for _i, line in zip(range(m + 1), f, strict=False))
            return text

        def run(text):
            import tablib

            dataset = tablib.Dataset().load(text, format="csv")
            resource = _resource(bulk, sorted(set(dataset[_headers()["household__number"]])))()
            result = resource.import_data(dataset, raise_errors=True)
            created = result.totals.get("new", 0)
            if created != m or Member.objects.filter(id_number__startswith=ID_DIVISION).count() != m:
                raise CommandError(f"django-import-export created {created:,} members of {m:,}")

        if bulk:
            note = (f"Member from the CSV's first {m:,} rows, households made beforehand; use_bulk, batch_size "
                    "5000, skip_diff, force_init_instance, household numbers looked up once")
        else:
            note = (f"Member from the CSV's first {m:,} rows, households made beforehand; defaults: a row at a "
                    "time, matched by ID number, ForeignKeyWidget on 户编号")
        return prepare, run, m, note

    raise CommandError(f"Unknown method {method}; one of {', '.join(METHODS)}")


def _resource(bulk: bool, numbers: list[str]):
    """A ModelResource for Member with the file's headers; Chinese choice words mapped by a small widget."""
    from import_export import fields, resources, widgets

    from bangfu.core.values import TRUE_WORDS, name_initials
    from bangfu.households.models import (
        Education,
        EmploymentChannel,
        Health,
        Household,
        IdType,
        LabourSkill,
        Member,
        Relation,
        Schooling,
        Sex,
    )
    from bangfu.households.validation import ALIASES

    headers = _headers()

    class Choice(widgets.Widget):
        def __init__(self, choices):
            super().__init__()
            self.words = {k: str(v) for k, v in ALIASES[choices].items()}

        def clean(self, value, row=None, **kwargs):
            return self.words.get(value, value) if value else ""

    class YesNo(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return str(value).strip().lower() in TRUE_WORDS

    class Households(widgets.ForeignKeyWidget):
        """The documented advice for bulk mode: look the households up once, not per row."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.cache = {}

        def clean(self, value, row=None, **kwargs):
            if not self.cache:
                self.cache.update((h.number, h) for h in Household.objects.filter(number__in=numbers))
            return self.cache[value]

    def field(attribute, widget=None):
        return fields.Field(attribute=attribute, column_name=headers[attribute], widget=widget)

    class MemberResource(resources.ModelResource):
        household = fields.Field(attribute="household", column_name=headers["household__number"],
                                 widget=Households(Household, "number") if bulk
                                 else widgets.ForeignKeyWidget(Household, "number"))
        name = field("name")
        id_type = field("id_type", Choice(IdType))
        id_number = field("id_number")
        relation = field("relation", Choice(Relation))
        sex = field("sex", Choice(Sex))
        birth_date = field("birth_date", widgets.DateWidget())
        ethnicity = field("ethnicity")
        education = field("education", Choice(Education))
        schooling = field("schooling", Choice(Schooling))
        health = field("health", Choice(Health))
        labour_skill = field("labour_skill", Choice(LabourSkill))
        work_months = field("work_months", widgets.IntegerWidget())
        employment_channel = field("employment_channel", Choice(EmploymentChannel))
        medical_insured = field("medical_insured", YesNo())
        pension_insured = field("pension_insured", YesNo())
        phone = field("phone")

        class Meta:
            model = Member
            fields = ("household", "name", "id_type", "id_number", "relation", "sex", "birth_date", "ethnicity",
                      "education", "schooling", "health", "labour_skill", "work_months", "employment_channel",
                      "medical_insured", "pension_insured", "phone")
            import_id_fields = ("id_number",)
            use_bulk = bulk
            batch_size = 5000 if bulk else None
            skip_diff = bulk
            force_init_instance = bulk

        def before_save_instance(self, instance, row, **kwargs):
            household = instance.household
            instance.county_code, instance.region_path = household.county_code, household.region_path
            instance.name_initials = name_initials(instance.name)
            if instance.schooling == "":
                instance.schooling = "none"

    return MemberResource


# --- the benchmark -------------------------------------------------------------------------------------------------

def import_export_missing() -> bool:
    try:
        import import_export.resources  # noqa: F401
        import tablib  # noqa: F401
    except ImportError:
        return True
    return False


def run(command, options):

    n = options.get("rows") or 100_000
    sample = options.get("sample") or 20_000
    if options.get("only"):
        return _child(command, options["only"], n, Path(options["files"]), sample)

    w = command.stdout.write
    w(f"bench import — {database_name()}, {os.cpu_count()} CPU(s), {platform.platform()}, "
      f"{timezone.localtime():%Y-%m-%d %H:%M %Z}")
    villages = _villages()
    started = time.perf_counter()
    rows = Rows(n, villages)
    _check_unused(rows)
    methods = list(METHODS)
    if options.get("skip_import_export"):
        methods = [m for m in methods if m not in IMPORT_EXPORT]
    elif import_export_missing():
        w("  django-import-export is not installed: pip install -e '.[bench]' to measure it; its lines are skipped")
        methods = [m for m in methods if m not in IMPORT_EXPORT]
    in_process = options.get("in_process")
    w(f"  {n:,} member rows in {rows.households:,} households (3-5 members) in {len(villages)} villages of 德保县; "
      f"{len(rows.cells)} columns; ID numbers {ID_DIVISION}… (GB 11643 check digits)")
    w("  peak RSS: VmHWM of " + ("this process" if in_process else "a child process per method (bangfu bench import "
                                 "--only METHOD)") + ", reset (/proc/self/clear_refs) just before the timed part; "
      "base = RSS at that moment")
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        files = Path(tmp)
        rows.write_csv(files / "members.csv")
        generated = time.perf_counter() - started
        rows.write_xlsx(files / "members.xlsx")
        del rows
        w(f"  files: members.csv {(files / 'members.csv').stat().st_size / 1e6:,.1f} MB (generated in "
          f"{generated:.1f} s), members.xlsx {(files / 'members.xlsx').stat().st_size / 1e6:,.1f} MB "
          f"({time.perf_counter() - started - generated:.1f} s, xlsxwriter constant_memory)")
        results = {}
        for method in methods:
            try:
                result = (measure if in_process else _in_child)(method, n, files, sample)
            except CommandError as exc:
                w(f"  {method:<13} failed: {exc}")
                continue
            results[method] = result
            seconds, done = result["seconds"], result["rows"]
            w(f"  {method:<13} {done:>9,} rows {seconds:8.1f} s {done / seconds:>10,.0f} rows/s  peak RSS "
              f"{result['peak']:>6,} MB (base {result['base']:,})  {result['note']}")
    _summary(w, results, n)


def _in_child(method: str, n: int, files: Path, sample: int) -> dict:
    done = subprocess.run([sys.executable, "-m", "bangfu", "bench", "import", "--only", method, "--rows", str(n),
                           "--files", str(files), "--sample", str(sample)], capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith(RESULT):
            return json.loads(line[len(RESULT):])
    lines = (done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}").splitlines()
    raise CommandError(" / ".join(line.strip() for line in lines[-2:])[-600:])


def _child(command, method: str, n: int, files: Path, sample: int):
    if method in IMPORT_EXPORT and import_export_missing():
        raise CommandError("django-import-export is not installed: pip install -e '.[bench]'")
    command.stdout.write(RESULT + json.dumps(measure(method, n, files, sample)))


def _summary(w, results: dict, n: int) -> None:
    def rate(method):
        r = results.get(method)
        return r["rows"] / r["seconds"] if r else None

    final = n == 1_000_000 and connection.vendor == "postgresql"

    def verdict(ok):
        return ("met" if ok else "NOT met") if final else f"{'within' if ok else 'outside'} it here, indicative only"

    w("  targets (issue 4; set for N = 1,000,000 on PostgreSQL" + ("" if final else f"; this run: N = {n:,}") + "):")
    csv, copy = rate("csv"), rate("copy")
    if csv and copy:
        w(f"    CSV import {csv:,.0f} rows/s = {csv / copy:.2f} of COPY into the same tables ({copy:,.0f} rows/s); "
          f"target ≥ 0.50: {verdict(csv >= copy / 2)}")
    if "csv" in results:
        peak = results["csv"]["peak"]
        w(f"    CSV import peak RSS {peak:,} MB; target ≤ 1,024 MB: {verdict(peak <= 1024)}")
    if "xlsx" in results:
        r = results["xlsx"]
        scaled = r["seconds"] * 1_000_000 / n
        w(f"    xlsx import {r['seconds']:.1f} s, peak RSS {r['peak']:,} MB; targets ≤ 90 s and ≤ 2,048 MB: "
          f"{verdict(scaled <= 90 and r['peak'] <= 2048)}"
          + ("" if n == 1_000_000 else f" (time scaled linearly to 1,000,000 rows: {scaled:,.0f} s)"))
    for method, target in (("iexport", 30), ("iexport-bulk", 5)):
        if csv and rate(method):
            ratio = csv / rate(method)
            w(f"    CSV import vs django-import-export {'bulk mode' if method.endswith('bulk') else 'default'} "
              f"({results[method]['rows']:,} rows): {ratio:,.1f}×; target ≥ {target}×: {verdict(ratio >= target)}")
