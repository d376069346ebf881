"""Spreadsheet export: what a user may see, as CSV (UTF-8 with BOM, for Excel) or xlsx, in constant memory.

Rows are read with `visible_to(user)`, in the entity's order. The work a cell needs (choice labels, 是/否, masking of
personal data unless the user may unmask it — ID and phone numbers, and birth dates to their year, as the models
declare them in `personal_fields`, and ID and mobile numbers inside free text — the apostrophe that keeps a typed
formula from running) is done by the database, in SQL built from the column specs with Django expressions, so that
Python only moves bytes:

- CSV on PostgreSQL: `COPY (the query) TO STDOUT (FORMAT csv)`, its blocks written as they come;
- CSV on SQLite: a raw cursor read in chunks, written by the csv module;
- xlsx on both: a raw (server-side on PostgreSQL) cursor read in chunks, written by xlsxwriter's constant-memory
  mode with typed cells: text (codes and ID numbers keep every digit), numbers, dates.

An export of clear values writes one access-log row.
"""

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, CharField, F, Func, Value, When
from django.db.models.functions import Cast, Concat, ExtractYear, Length, NullIf, Right, Substr
from django.db.models.lookups import GreaterThan, In
from django.utils import translation

from bangfu.core.columns import PERSONAL_KINDS, Column, Entity
from bangfu.core.identity import scrub
from bangfu.core.registry import registry
from bangfu.core.roles import can

CHUNK = 5000
BLOCK = 1 << 20  # bytes of CSV written (or streamed to the browser) at a time
SUFFIXES = (".csv", ".xlsx")
XLSX_MAX_ROWS = 1_048_576  # Excel's sheet limit, header included
BOM = "\ufeff".encode()
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STARS = "*" * 64  # masks cut from this: longer values keep their ends only
MASKS = {"id_number": (6, 4), "phone": (3, 4)}  # characters kept at the start and the end (core.identity's masks)
EXCEL_EPOCH = date(1899, 12, 30).toordinal()


class ExportError(Exception):
    """A request that cannot be exported (unknown entity, region out of scope, wrong suffix…)."""


def entities() -> dict[str, Entity]:
    """What can be exported, as the apps registered it (`register_entities`)."""
    return registry["export_entities"]


def not_a_formula(text: str) -> str:
    """Text a spreadsheet shows as typed, never runs: a leading formula character gets an apostrophe."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return not_a_formula(value)
    return str(value)


# SQL for a cell ----------------------------------------------------------------------------------------------------

def _guarded(expr):
    """SQL of `not_a_formula`."""
    return Case(When(In(Substr(expr, 1, 1), list(FORMULA_STARTS)), then=Concat(Value("'"), expr)),
                default=expr, output_field=CharField())


def _masked(expr, head: int, tail: int):
    """SQL of core.identity's mask_id / mask_phone: 451024********0033, 138****5678; short values all stars."""
    length = Length(expr)
    return Case(
        When(GreaterThan(length, head + tail),
             then=Concat(Substr(expr, 1, head), Substr(Value(STARS), 1, length - (head + tail)), Right(expr, tail),
                         output_field=CharField())),
        default=Substr(Value(STARS), 1, length), output_field=CharField())


def personal_kind(model, column: Column) -> str | None:
    """The mask kind of a column's value: its own kind's (an ID or phone number), or the one the model at the end of
    its path declares for the field (`personal_fields`: a birth date), or None."""
    if column.kind in PERSONAL_KINDS:
        return column.kind
    *relations, name = column.path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return getattr(model, "personal_fields", {}).get(name)


def cell_kind(spec: Entity, column: Column, unmask: bool) -> str:
    """How a cell is written: a birth date masked to its year is text."""
    if not unmask and personal_kind(spec.model, column) == "birth_date":
        return "birth_year"
    return column.kind


class ScrubText(Func):
    """SQL of core.identity's scrub: the ID and mobile numbers in a text masked. SQLite runs `scrub` itself, as a
    function each connection gets (`register_sqlite_functions`); PostgreSQL its regular expressions."""

    function = "bangfu_scrub"
    output_field = CharField()
    # core.identity's ID_IN_TEXT and MOBILE_IN_TEXT, with a group for the character before in place of a lookbehind.
    PATTERNS = ((r"(^|[^0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])", r"\1\2********\3"),
                (r"(^|[^0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])", r"\1\2****\3"))

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        for pattern, replacement in self.PATTERNS:
            sql = f"regexp_replace({sql}, %s, %s, 'g')"
            params = [*params, pattern, replacement]
        return sql, params


def register_sqlite_functions(sender, connection, **kwargs):
    """`connection_created`: SQLite connections get `bangfu_scrub` (ScrubText)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("bangfu_scrub", 1, scrub, deterministic=True)


def _cell(spec: Entity, column: Column, unmask: bool, csv_out: bool, vendor: str):
    """The SQL expression of a column's cell: text for choices, yes/no and personal data; typed otherwise."""
    expr = F(column.path)
    kind = cell_kind(spec, column, unmask)
    if kind == "birth_year":  # 1990: the year only, as core.identity's mask_birth_date
        return Cast(ExtractYear(expr), CharField())
    if kind == "date" and csv_out and vendor == "postgresql":  # 2020-01-01 whatever the server's DateStyle
        return Func(expr, Value("YYYY-MM-DD"), function="to_char", output_field=CharField())
    if kind == "date" and vendor == "sqlite":  # the stored 2020-01-01 as it is: no converter parses it per row
        return Cast(expr, CharField())
    if kind == "decimal" and csv_out and vendor == "sqlite":  # SQLite keeps 12.50 as 12.5: write it as PostgreSQL
        return Case(When(**{f"{column.path}__isnull": True}, then=None),
                    default=Func(Value("%.2f"), expr, function="printf"), output_field=CharField())
    if kind == "choice":
        with translation.override("zh-hans"):
            whens = [When(**{column.path: value}, then=Value(str(label))) for value, label in column.choices.choices]
        expr = Case(*whens, default=_guarded(expr) if csv_out else expr, output_field=CharField())
    elif kind == "bool":
        expr = Case(When(**{column.path: True}, then=Value("是")), When(**{column.path: False}, then=Value("否")),
                    default=None, output_field=CharField())
    elif kind in MASKS and not unmask:
        expr = _masked(expr, *MASKS[kind])
    elif kind == "text" and not unmask:
        expr = ScrubText(expr)  # free text: an address with a phone number in it
    if kind not in ("int", "decimal", "date", "bool", "choice") and csv_out:
        expr = _guarded(expr)  # text, codes, a masked +86… number too
    if csv_out and kind not in ("int", "decimal", "date"):
        expr = NullIf(expr, Value(""))  # COPY quotes an empty string; NULL it is written as nothing, like csv does
    return expr


def _sql(spec: Entity, queryset, unmask: bool, csv_out: bool) -> tuple[str, list] | None:
    """The SELECT of the cells, in the entity's order; None when the queryset is empty by construction."""
    vendor = connections[queryset.db].vendor
    cells = {f"cell{i}": _cell(spec, c, unmask, csv_out, vendor) for i, c in enumerate(spec.columns)}
    query = queryset.order_by(*spec.order_by).annotate(**cells).values_list(*cells).query
    try:
        sql, params = query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None
    return sql, list(params)


# CSV ---------------------------------------------------------------------------------------------------------------

def csv_chunks(spec: Entity, queryset, unmask: bool, counter: list | None = None) -> Iterator[bytes]:
    """The CSV file (UTF-8 with BOM) of `queryset`'s rows as byte blocks, for a file or a streaming response.
    The number of rows is appended to `counter` at the end."""
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(spec.headers)
    yield BOM + head.getvalue().encode()
    n = 0
    select = _sql(spec, queryset, unmask, csv_out=True)
    connection = connections[queryset.db]
    if select is None:
        pass
    elif connection.vendor == "postgresql":
        sql, params = select
        with connection.cursor() as cursor:
            raw = cursor.cursor
            buffer = bytearray()
            with raw.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, ENCODING 'UTF8')", params) as copy:
                for block in copy:  # one per row: written a megabyte at a time
                    buffer += block
                    if len(buffer) >= BLOCK:
                        yield bytes(buffer)
                        buffer.clear()
            yield bytes(buffer)
            n = raw.rowcount
    else:
        for rows in _chunks(connection, *select):
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(rows)
            n += len(rows)
            yield out.getvalue().encode()
    if counter is not None:
        counter.append(n)


def _chunks(connection, sql: str, params: list) -> Iterator[list[tuple]]:
    """The rows of a SELECT in lists of CHUNK, through a server-side cursor where the database has them (held
    open outside a transaction, as Django's iterator() does)."""
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            yield rows
    finally:
        cursor.close()


def _write_csv(path: Path, spec: Entity, queryset, unmask: bool) -> int:
    counter: list[int] = []
    with open(path, "wb") as f:
        for block in csv_chunks(spec, queryset, unmask, counter):
            f.write(block)
    return counter[0]


# xlsx --------------------------------------------------------------------------------------------------------------

def _excel_day(value) -> int | None:
    """A date as Excel's serial day number (what write_datetime computes, without its per-cell cost)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.toordinal() - EXCEL_EPOCH


def _write_xlsx(path: Path, spec: Entity, queryset, unmask: bool) -> int:
    import xlsxwriter

    select = _sql(spec, queryset, unmask, csv_out=False)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    r = 0
    try:
        sheet = workbook.add_worksheet(spec.name)
        bold = workbook.add_format({"bold": True})
        number_formats = {"date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
                          "decimal": workbook.add_format({"num_format": "0.00"})}
        for c, column in enumerate(spec.columns):
            width = {"id_number": 20, "date": 12, "phone": 14}.get(column.kind, max(8, 2 * len(column.header) + 2))
            sheet.set_column(c, c, width)
        for c, header in enumerate(spec.headers):
            sheet.write_string(0, c, header, bold)
        sheet.freeze_panes(1, 0)
        if select is None:
            return 0
        kinds = [cell_kind(spec, c, unmask) for c in spec.columns]
        numbers = [i for i, kind in enumerate(kinds) if kind in ("int", "decimal", "date")]
        to_number = {"int": None, "decimal": float, "date": _excel_day}
        converters = [(i, to_number[kinds[i]]) for i in numbers]
        # Per column: the writer and the format (strings for anything not a number: codes, labels, masks). The
        # underscored writers are the public ones without their A1-notation decorator, a third of a cell's cost.
        write_number = getattr(sheet, "_write_number", sheet.write_number)
        write_string = getattr(sheet, "_write_string", sheet.write_string)
        writers = [(write_number if i in numbers else write_string, number_formats.get(kind))
                   for i, kind in enumerate(kinds)]
        for rows in _chunks(connections[queryset.db], *select):
            if r + len(rows) >= XLSX_MAX_ROWS:
                raise ExportError(f"More than {XLSX_MAX_ROWS - 1} rows: too many for one sheet; export to .csv.")
            if converters:
                columns = list(zip(*rows, strict=True))
                for i, convert in converters:
                    if convert is not None:
                        columns[i] = [None if v is None else convert(v) for v in columns[i]]
                rows = zip(*columns, strict=True)
            for row in rows:
                r += 1
                for c, value in enumerate(row):
                    if value is not None and value != "":
                        write, cell_format = writers[c]
                        write(r, c, value, cell_format)
    finally:
        workbook.close()
    return r


# The entry point ---------------------------------------------------------------------------------------------------

def rows_for(spec: Entity, user=None, region=None):
    """The rows of `spec` the user may see (every row when `user` is None), limited to the subtree of `region`."""
    manager = spec.model.objects
    rows = manager.all() if user is None else manager.visible_to(user)
    rows = rows.filter(spec.filter)
    if region:
        region_path = registry["scope_hooks"]["region_path"](user, region)
        if region_path is None:
            raise ExportError(f"Region {region} is unknown or outside your scope.")
        rows = rows.filter(**{f"{spec.region_path}__startswith": region_path})
    return rows


def personal_paths(spec: Entity) -> list[str]:
    return [c.path for c in spec.columns if personal_kind(spec.model, c)]


def may_unmask(spec: Entity, user) -> bool:
    return user is not None and bool(personal_paths(spec)) and can(user, "personal.unmask")


def log_unmasked(spec: Entity, user, n: int, where: str) -> None:
    from bangfu.core.models import AccessLog

    AccessLog.objects.create(
        actor=user, content_type=ContentType.objects.get_for_model(spec.model), object_id=f"export:{spec.name}",
        field=",".join(personal_paths(spec))[:64],
        reason=f"export {spec.name}: {n} rows with clear values to {where}",
    )


def write(spec: Entity, queryset, path, unmask: bool) -> int:
    """Write `queryset`'s rows of `spec` to `path` (.csv or .xlsx); no half-written file is left behind."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ExportError(f"{path.name}: the file must end in .csv or .xlsx.")
    xlsx = path.suffix.lower() == ".xlsx"
    if xlsx and queryset.count() >= XLSX_MAX_ROWS:
        raise ExportError(f"More than {XLSX_MAX_ROWS - 1} rows: too many for one xlsx sheet; export to .csv.")
    try:
        return (_write_xlsx if xlsx else _write_csv)(path, spec, queryset, unmask)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def export(entity: str, path, user=None, region=None) -> int:
    """Write `entity` as the user sees it (everything, masked, when `user` is None: a system export) to `path`
    (.csv or .xlsx), limited to the region subtree of code `region` if given. Returns the number of rows."""
    spec = entities().get(entity)
    if spec is None:
        raise ExportError(f"Unknown entity {entity!r}; one of: {', '.join(sorted(entities()))}.")
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ExportError(f"{path.name}: the file must end in .csv or .xlsx.")
    unmask = may_unmask(spec, user)
    n = write(spec, rows_for(spec, user, region), path, unmask)
    if unmask:
        log_unmasked(spec, user, n, path.name)
    return n
