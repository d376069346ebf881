"""The import engine: one for every entity. Each app's `imports.py` declares an entity's columns (`core.columns`)
and, for import, a `Plan`: the checks across rows and against the database, and how valid rows are written.

An import reads the whole file column-wise with polars (no per-row Python on the way in), then:
1. finds the header row below any title rows and maps headers (and their aliases) to columns;
2. normalises every cell (full-width characters, spaces, Excel date serials, 万/亿 amounts);
3. validates each column with the validators the forms and the API use, called once per distinct value;
4. lets the plan check rows against each other and against the database, in sets;
5. writes, in one transaction, one batch: every row written carries it (`bangfu import undo BATCH` removes it).
Default: if anything is wrong, nothing is written. `skip_invalid`: every valid group (a household and its members)
goes in, a group with any bad row stays out whole. An import that passes a limit of `core.limits` (a file beyond
Excel's sheet, a zip bomb, its time or memory budget) stops there with a message and writes nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

import polars as pl
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bangfu.core import audit, facts
from bangfu.core.bulk import copy_frame
from bangfu.core.columns import Column, Entity
from bangfu.core.identity import has_mask
from bangfu.core.limits import EXCEL_COLUMNS, Budget, OverLimit
from bangfu.core.models import ChangeLog, ImportBatch
from bangfu.core.registry import registry
from bangfu.core.roles import can
from bangfu.core.values import (
    CONTROL,
    MOBILE,
    Errors,
    choice,
    parse_bool,
    parse_date,
    parse_int,
    parse_money,
    parse_phone,
    parse_text,
)

HEADER_SCAN_ROWS = 30
ROW = "_row"  # the spreadsheet row number of each record
EXCEL_EPOCH = date(1899, 12, 30)
DATE_PARTS = re.compile(r"^(\d{4})\D{1,2}(\d{1,2})\D{1,2}(\d{1,2})")
KEPT_CATEGORIES = 10_000  # raw texts with at most this many distinct values are kept as a categorical
FEW_SAMPLE = 20_000  # rows whose distinct texts tell whether a column has few (a choice) or many (names, numbers)


class Unreadable(Exception):
    """The file could not be read at all: wrong type, corrupt, empty, no header row."""


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    message: str


@dataclass
class ImportResult:
    entity: str
    file_name: str
    status: str = "imported"  # imported | problems | unreadable
    rows: int = 0
    written: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    batch_id: int | None = None
    message: str = ""
    skipped_rows: int = 0

    @property
    def exit_code(self) -> int:
        return {"imported": 0, "problems": 1, "unreadable": 2}[self.status]


@dataclass
class Context:
    """What a plan needs besides the rows: who imports, with which scope, under which batch."""

    user: object
    scope: object
    headers: dict[str, str]  # column path → the header as the file has it (for the report)
    today: date
    batch: object = None
    budget: Budget = field(default_factory=Budget.from_settings)

    @property
    def reason(self) -> str:
        """The change-log reason of what this import changes: the undo finds its entries by it."""
        return f"import batch {self.batch.pk}" if self.batch is not None else ""

    def problems(self, frame: pl.DataFrame, path: str, message: str, value: pl.Expr | None = None) -> pl.DataFrame:
        """Problem rows for each record of `frame`, in the column of `path`."""
        return frame.select(
            pl.col(ROW).alias("row"),
            pl.lit(self.headers.get(path, path)).alias("column"),
            (value if value is not None else raw(path)).cast(pl.String).fill_null("").alias("value"),
            pl.lit(str(message)).alias("message"),
        )


class Plan:
    """How an entity is imported. Subclasses give `entity` and override `check` and `write`."""

    entity: Entity
    group: str | None = None  # the column whose equal values form a unit kept or dropped whole (`skip_invalid`)
    permission: str = ""

    def check(self, frame: pl.DataFrame, ctx: Context) -> list[pl.DataFrame]:
        return []

    def write(self, frame: pl.DataFrame, ctx: Context) -> dict[str, int]:
        raise NotImplementedError

    def undo(self, batch) -> dict[str, int]:
        raise NotImplementedError


class ServicePlan(Plan):
    """An entity of a few thousand rows whose rules need the services (overlapping pairings, organisation trees, the
    funds chain's counters): each row goes through the service that the forms and the API use, in a savepoint.
    `check` runs them all and rolls back (so that a row is checked after the rows above it: two disbursements of one
    budget are refused together if they overdraw it); `write` runs them again for real, every change-log entry
    carrying the batch's reason. Subclasses give `apply(values, ctx) -> (object, what)`, `what` being "created",
    "updated" or None (the row changes nothing), and may give `precheck` (rows against each other, e.g. duplicates)
    and `unwind` (what undo puts back besides the rows: counters the service moved)."""

    def apply(self, values: dict, ctx: Context):
        raise NotImplementedError

    def precheck(self, frame: pl.DataFrame, ctx: Context) -> list[pl.DataFrame]:
        """Problems found across the file's rows; a row with one does not go on to the service."""
        return []

    def check(self, frame: pl.DataFrame, ctx: Context) -> list[pl.DataFrame]:
        if ctx.user is None:
            return [pl.DataFrame({"row": [0], "column": [""], "value": [""], "message": [
                _("%(name)s are imported as a user (--user), whose scope and rights apply.") % {
                    "name": self.entity.name}]})]
        early = [p for p in self.precheck(frame, ctx) if p.height]
        refused = set().union(*(p["row"].to_list() for p in early))
        problems = []
        try:
            with transaction.atomic():
                for values in frame.iter_rows(named=True):
                    ctx.budget.check_time()
                    if values[ROW] not in refused and not self._unreadable(values):
                        problems += self._try(values, ctx)
                raise _DryRun
        except _DryRun:
            pass
        return [*early, pl.DataFrame(problems, schema=["row", "column", "value", "message"], orient="row")]

    def _unreadable(self, values: dict) -> bool:
        """A row with a cell the parser refused or a required cell empty: reported already, not run again."""
        return any(values.get(c.path) is None and (c.required or values.get(f"raw:{c.path}") is not None)
                   for c in self.entity.columns if c.writable)

    def _try(self, values: dict, ctx: Context) -> list[tuple]:
        from django.core.exceptions import PermissionDenied

        paths = self.field_columns
        try:
            with transaction.atomic():
                self.apply(values, ctx)
        except ValidationError as exc:
            messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            out = []
            for name, texts in messages.items():
                path = paths.get(name) or paths.get(name.removesuffix("_id"))
                header = ctx.headers.get(path, self.entity_header(path)) if path else ""
                out.append((values[ROW], header, _raw_value(values, path) if path else "", "；".join(texts)))
            return out
        except PermissionDenied as exc:
            return [(values[ROW], "", "", str(exc) or _("You may not change this."))]
        return []

    @cached_property
    def field_columns(self) -> dict[str, str]:
        """A field the service names in its errors (pairing, project) → the column of the file that gave it."""
        paths = {}
        for c in self.entity.columns:
            if c.writable:
                for name in (c.path, c.path.removesuffix("_id"), c.path.split("__")[0].removesuffix("_id")):
                    paths.setdefault(name, c.path)
        return paths

    def entity_header(self, path: str) -> str:
        return next(c.header for c in self.entity.columns if c.path == path)

    def write(self, frame: pl.DataFrame, ctx: Context) -> dict[str, int]:
        created, updated = [], 0
        with audit.reason(ctx.reason):
            for values in frame.iter_rows(named=True):
                ctx.budget.check_time()
                obj, what = self.apply(values, ctx)
                if what == "created":
                    created.append(obj.pk)
                updated += what == "updated"
        model = self.entity.model
        if _has_batch(model):
            model.objects.filter(pk__in=created).update(import_batch=ctx.batch)
        name = str(model._meta.verbose_name_plural)
        return {k: v for k, v in {f"{name} created": len(created), f"{name} updated": updated}.items() if v}

    def created(self, batch):
        """The rows the batch created: by their `import_batch`, or else by their change-log entries."""
        model = self.entity.model
        return model.objects.filter(import_batch=batch) if _has_batch(model) else created_by(batch, model)

    def unwind(self, batch, rows) -> dict[str, int]:
        """Before the batch's rows are removed: put back what the service changed besides them."""
        return {}

    def undo(self, batch) -> dict[str, int]:
        from django.db.models import ProtectedError

        model = self.entity.model
        rows = self.created(batch)
        refuse_if_changed(batch, [(model, rows)])
        restored = restore_updates(batch)
        try:
            with transaction.atomic():
                unwound = self.unwind(batch, rows)
                removed = rows.delete()[1].get(model._meta.label, 0)  # (not the rows that cascade with them)
        except ProtectedError:
            raise ValidationError(_("Other records now refer to rows of this batch; it cannot be undone.")) from None
        counts = {f"{model._meta.verbose_name_plural} removed": removed, **unwound, **restored}
        return {k: v for k, v in counts.items() if v}


def _has_batch(model) -> bool:
    return any(f.name == "import_batch" for f in model._meta.concrete_fields)


def created_by(batch, model):
    """The rows of `model` whose creation batch `batch` logged (for models without an `import_batch` column)."""
    from django.db.models import BigIntegerField
    from django.db.models.functions import Cast

    entries = ChangeLog.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                       action=ChangeLog.Action.CREATE, reason=f"import batch {batch.pk}")
    return model.objects.filter(pk__in=entries.annotate(n=Cast("object_id", BigIntegerField())).values("n"))


def duplicated(frame: pl.DataFrame, ctx: Context, paths: list[str], column: str) -> pl.DataFrame:
    """Problems for the rows that repeat an earlier row of the file in `paths`."""
    key = pl.struct(paths)
    first = frame.with_columns(_key=key).group_by("_key", maintain_order=True).agg(pl.col(ROW).first().alias("_first"))
    rows = frame.with_columns(_key=key).join(first, on="_key", how="left", maintain_order="left").filter(
        pl.col(ROW) != pl.col("_first"))
    template = _("This row repeats row %(n)s.")
    return ctx.problems(rows, column, "").with_columns(
        message=pl.Series([template % {"n": n} for n in rows["_first"]], dtype=pl.String))


class _DryRun(Exception):
    pass


def _raw_value(values: dict, path: str) -> str:
    """`raw(path)` of one row given as a dict."""
    text = values.get(f"raw:{path}")
    return str(text if text is not None else values.get(path) if values.get(path) is not None else "")


def plans() -> dict[str, Plan]:
    """What can be imported, as the apps registered it (`register_entities`)."""
    return registry["import_plans"]


# --- reading ------------------------------------------------------------------------------------------------------

def normalise_header(text) -> str:
    """全角 → half width, no spaces, no required-marks: ' 证件号码（必填）*' → '证件号码'."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = re.sub(r"\(必填\)|\*|\s", "", text)
    return text


def _header_names(spec: Entity) -> dict[str, Column]:
    names = {}
    for column in spec.columns:
        if column.writable:
            for name in (column.header, *column.aliases):
                names[normalise_header(name)] = column
    return names


def read_table(path: Path, spec: Entity, budget: Budget | None = None) -> tuple[pl.DataFrame, dict[str, str], int]:
    """The file's records as text (strings, or categoricals for columns of few distinct texts), one column per known
    header (named by its column's path) plus `_row`; the headers as written; the header's row number. Raises
    Unreadable, and OverLimit past the budget (default: the settings')."""
    budget = budget or Budget.from_settings()
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        grid, first_row = _read_xlsx(path, budget)
    elif suffix in (".csv", ".txt"):
        grid, first_row = _read_csv(path, _header_names(spec), budget)
    else:
        raise Unreadable(_("%(name)s: only .xlsx and .csv files can be imported.") % {"name": path.name})
    if grid.height == 0:
        raise Unreadable(_("%(name)s is empty.") % {"name": path.name})
    known = _header_names(spec)
    offset = _header_offset(grid, known)
    if offset is None:
        expected = "、".join(c.header for c in spec.columns if c.writable)[:200]
        raise Unreadable(_("No header row found in the first %(n)s rows of %(name)s; expected headers such as "
                           "%(expected)s.") % {"n": HEADER_SCAN_ROWS, "name": path.name, "expected": expected})
    header_cells = grid.row(offset)
    selected, headers = [], {}
    for name, cell in zip(grid.columns, header_cells, strict=True):
        column = known.get(normalise_header(cell))
        if column is not None and column.path not in headers:  # a repeated header: the first one counts
            headers[column.path] = str(cell).strip()
            selected.append(pl.col(name).alias(column.path))
    body = grid.slice(offset + 1).with_row_index(ROW, offset=first_row + offset + 1)
    body = body.select(pl.col(ROW).cast(pl.Int64), *selected)
    del grid  # memory: the columns not selected go now, and each selected one as its normalised copy replaces it
    values = [c for c in body.columns if c != ROW]
    for c in values:
        budget.check_time()
        body = body.with_columns(_normalise(body[c]))
    if not values:
        return body.clear(), headers, first_row + offset
    filled = pl.any_horizontal(pl.col(c).is_not_null() for c in values)
    if not body.select(filled.all()).item():  # filtering copies every column: only when there are blank rows
        body = body.filter(filled)
    return body, headers, first_row + offset


def _header_offset(grid: pl.DataFrame, known: dict[str, Column]) -> int | None:
    """The first row of the scanned ones with the most known headers (at least two)."""
    best, best_hits = None, 1
    for i, cells in enumerate(grid.head(HEADER_SCAN_ROWS).iter_rows()):
        hits = len({known[h].path for h in (normalise_header(c) for c in cells if c) if h in known})
        if hits > best_hits:
            best, best_hits = i, hits
    return best


def _normalise(column: pl.Series) -> pl.Series:
    """NFKC (全角 digits and letters, ideographic spaces), trimmed; blank becomes null. A column of few distinct
    texts (choices, 是/否, village codes) is normalised once per text and becomes a categorical: a million rows of
    them as strings take about ten times the memory. ASCII text is its own NFKC form."""
    if column.head(FEW_SAMPLE).n_unique() * 4 < min(column.len(), FEW_SAMPLE):
        distinct = column.unique().drop_nulls()
        clean = distinct.str.normalize("NFKC").str.strip_chars().replace("", None)
        return column.replace_strict(distinct, clean, default=None, return_dtype=pl.Categorical)
    if column.str.contains(r"[^\x00-\x7f]").any():
        column = column.str.normalize("NFKC")
    return column.str.strip_chars().replace("", None)


def _read_csv(path: Path, known: dict[str, Column], budget: Budget) -> tuple[pl.DataFrame, int]:
    """From the header line on (title lines above it are skipped: they have other widths), and its line number.
    UTF-8 is read from the file as it is; GB18030 (Excel's 'CSV' on a Chinese Windows) is turned into UTF-8 first.
    The text is held whole, as columns about its own size: it is charged to the budget first."""
    with open(path, "rb") as f:
        head = f.read(65536)
    if b"\x00" in head[:4096]:
        raise Unreadable(_("%(name)s is not a text file; save it as CSV (UTF-8) or as .xlsx.") % {"name": path.name})
    try:
        text, source = codecs.getincrementaldecoder("utf-8")().decode(head), path
    except UnicodeDecodeError:
        text, source = _gb18030_head(head, path), None
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))[:HEADER_SCAN_ROWS]
    if not any(rows):  # nothing, blank lines, or a byte-order mark alone
        raise Unreadable(_("%(name)s is empty.") % {"name": path.name})
    width = max(map(len, rows))
    if width > EXCEL_COLUMNS:
        raise Unreadable(_("%(name)s has %(n)s columns, more than Excel's 16,384.") % {"name": path.name, "n": width})
    budget.charge(path.stat().st_size)
    offset = _header_offset(pl.DataFrame([r + [None] * (width - len(r)) for r in rows], orient="row",
                                         schema=[f"c{i}" for i in range(width)]), known) or 0
    try:
        try:
            grid = pl.read_csv(source or _utf8_from_gb18030(path), has_header=False, infer_schema=False,
                               truncate_ragged_lines=True, skip_rows=offset)
        except pl.exceptions.ComputeError as exc:
            if source is None or "utf-8" not in str(exc):
                raise
            grid = pl.read_csv(_utf8_from_gb18030(path), has_header=False, infer_schema=False,
                               truncate_ragged_lines=True, skip_rows=offset)
        return grid, offset + 1
    except pl.exceptions.PolarsError as exc:
        raise Unreadable(_("%(name)s could not be read as CSV (%(reason)s).") % {
            "name": path.name, "reason": str(exc).splitlines()[0][:200]}) from None


def _gb18030_head(head: bytes, path: Path) -> str:
    try:
        return codecs.getincrementaldecoder("gb18030")().decode(head)
    except UnicodeDecodeError:
        raise _neither_encoding(path) from None


def _utf8_from_gb18030(path: Path) -> io.BytesIO:
    try:
        return io.BytesIO(path.read_bytes().decode("gb18030").encode("utf-8"))
    except UnicodeDecodeError:
        raise _neither_encoding(path) from None


def _neither_encoding(path: Path) -> Unreadable:
    return Unreadable(_("%(name)s is neither UTF-8 nor GB18030 text; save it as CSV (UTF-8) or as .xlsx.")
                      % {"name": path.name})


def _read_xlsx(path: Path, budget: Budget | None = None) -> tuple[pl.DataFrame, int]:
    from bangfu.core.xlsx import read_first_sheet

    try:
        return read_first_sheet(path, budget)
    except OverLimit:
        raise
    except Exception as exc:  # zipfile's, XML and fastexcel's own errors for a corrupt or foreign file
        raise Unreadable(_("%(name)s could not be read as an Excel workbook (%(reason)s).") % {
            "name": path.name, "reason": exc.__class__.__name__}) from None


# --- values -------------------------------------------------------------------------------------------------------

def raw(path: str) -> pl.Expr:
    """The text a clerk wrote in the column of `path`: the kept text, or else the parsed value's (`_kept_text`)."""
    return pl.coalesce(pl.col(f"raw:{path}").cast(pl.String), pl.col(path).cast(pl.String))


def by_distinct(series: pl.Series, fn: Callable[[str], tuple[object, str | None]], dtype,
                canonical: Callable[[pl.Expr], pl.Expr] | None = None) -> tuple[pl.Series, pl.Series]:
    """Apply `fn` (value → (parsed, message or None)) once per distinct value; the parsed series and the messages.
    `canonical` (an expression of the text) gives the parsed value of the texts already in the form `fn` returns
    as it is (11 digits of a mobile number, an ISO date), null for the others: only those go through `fn`."""
    frame = pl.DataFrame({"key": series})
    if canonical is not None and series.dtype == pl.String:  # (a categorical has few values: no need)
        frame = frame.with_columns(quick=canonical(pl.col("key")).cast(dtype))
        distinct = frame.filter(pl.col("quick").is_null())["key"].drop_nulls().unique()
    else:
        distinct = series.drop_nulls().unique()
    parsed, messages = [], []
    for value in distinct:
        result, message = fn(value)
        parsed.append(result)
        messages.append(message)
    lookup = pl.DataFrame({"key": distinct, "parsed": pl.Series(parsed, dtype=dtype),
                           "message": pl.Series(messages, dtype=pl.String)})
    joined = frame.join(lookup, on="key", how="left", maintain_order="left")
    if "quick" in joined.columns:
        joined = joined.with_columns(pl.coalesce("quick", "parsed").alias("parsed"))
    return joined["parsed"], joined["message"]


def with_validator(validator: Callable, field: str = "v") -> Callable[[str], tuple[object, str | None]]:
    """Wrap a `core.values.parse_*`-style function (errors, field, value) into value → (parsed, message). `field`
    matters to validators that look up aliases by it (`values.choice`)."""
    def fn(value):
        errors = Errors()
        result = validator(errors, field, value)
        return (None, "；".join(errors.by_field[field])) if errors else (result, None)

    return fn


def excel_date(text: str) -> date | str:
    """Excel serial numbers and the ways clerks write dates → a date; anything else is returned as it is."""
    if re.fullmatch(r"\d{1,5}(\.0+)?", text):
        serial = int(float(text))
        if 1 <= serial <= 80000:
            return EXCEL_EPOCH + timedelta(days=serial)
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = DATE_PARTS.match(text)
    if match and re.fullmatch(r"\d{4}\D{1,2}\d{1,2}\D{1,2}\d{1,2}(日|号)?( \d{1,2}:\d{2}(:\d{2})?)?", text):
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            return text
    return text


def code_series(series: pl.Series) -> pl.Series:
    """Codes come from Excel as numbers sometimes ('451024100201.0'): digits and letters only, in polars."""
    return series.cast(pl.String).str.replace_all(r"\s", "").str.replace(r"\.0+$", "").str.to_uppercase()


def parse_columns(frame: pl.DataFrame, spec: Entity, ctx: Context) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """Parse each column by its kind with the registry's validators; keep beside it the text that the parsed value
    does not give back, for the report (`raw`). Each column leaves `frame` as it is parsed, so that a million rows
    are not held twice."""
    problems = []
    parsed = {ROW: frame[ROW]}
    columns = {c.path: c for c in spec.columns if c.writable}
    for path, column in columns.items():
        ctx.budget.check_time()
        raw_text = (frame.drop_in_place(path) if path in frame.columns
                    else pl.Series(path, [None] * frame.height, dtype=pl.String))
        values, messages = _parse(raw_text, column, spec)
        parsed[path] = values.alias(path)
        parsed[f"raw:{path}"] = _kept_text(raw_text, parsed[path])
        cells = pl.DataFrame([parsed[ROW], raw_text.alias(f"raw:{path}"), parsed[path]])
        if messages is not None:
            bad = cells.with_columns(messages.alias("m")).filter(pl.col("m").is_not_null())
            problems.append(ctx.problems(bad, path, "").with_columns(bad["m"].alias("message")))
        if column.required:
            problems.append(ctx.problems(cells.filter(pl.col(f"raw:{path}").is_null()), path,
                                         _("This field is required.")))
    return pl.DataFrame(parsed), problems


def _parse(raw_text: pl.Series, column: Column, spec: Entity) -> tuple[pl.Series, pl.Series | None]:
    """The column's values parsed by its kind, and a message per value that is wrong (None: none can be)."""
    kind = column.kind
    if kind == "choice":
        return by_distinct(raw_text, _choice_parser(column), pl.String)
    if kind == "date":
        return by_distinct(raw_text, _date_parser(), pl.Date, canonical=lambda text: pl.when(
            text.str.contains(r"^\d{4}-\d{2}-\d{2}$")).then(text.str.to_date("%Y-%m-%d", strict=False)))
    if kind == "int":
        return by_distinct(raw_text, with_validator(lambda e, f, x: parse_int(e, f, x, low=0, required=False)),
                           pl.Int64, canonical=lambda text: pl.when(text.str.contains(r"^\d{1,15}$")).then(text))
    if kind == "decimal":
        return by_distinct(raw_text, with_validator(
            lambda e, f, x: parse_money(e, f, x, required=False)), pl.Decimal(18, 2))
    if kind == "bool":
        return by_distinct(raw_text, with_validator(lambda e, f, x: parse_bool(e, f, x, default=None)),
                           pl.Boolean)
    if kind == "phone":
        return by_distinct(raw_text, with_validator(parse_phone), pl.String, canonical=lambda text: pl.when(
            text.str.contains(f"^{MOBILE.pattern}$")).then(text))
    if kind in ("code", "id_number"):
        return code_series(raw_text), None
    limit = max_length(spec.model, column.path)
    return by_distinct(raw_text, with_validator(lambda e, f, x: parse_text(e, f, x, max_length=limit)), pl.String,
                       canonical=lambda text: pl.when(text.str.len_chars() <= limit,
                                                      ~text.str.contains(CONTROL.pattern)).then(text))


def _kept_text(raw_text: pl.Series, values: pl.Series) -> pl.Series:
    """The cells whose text the parsed value does not give back ('1.2万', '是', '2020/1/1', a wrong value); null
    where it does. A column of few distinct texts (choices, 是/否), read as a categorical, is kept whole: four bytes
    a row."""
    if raw_text.dtype == pl.Categorical:
        return raw_text
    kept = pl.select(pl.when(raw_text.ne_missing(values.cast(pl.String))).then(raw_text)).to_series()
    return kept.cast(pl.Categorical) if kept.n_unique() <= KEPT_CATEGORIES else kept


def filled(frame: pl.DataFrame, *paths: str) -> pl.DataFrame:
    """The rows with a value in each of these columns; the frame itself when every row has them (a filter copies
    every column, a million rows of forty columns)."""
    if all(frame[path].null_count() == 0 for path in paths):
        return frame
    return frame.filter(*(pl.col(path).is_not_null() for path in paths))


def max_length(model, path: str) -> int:
    """The max_length of the model field at an ORM path (household__address → Household.address)."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return getattr(model._meta.get_field(name), "max_length", None) or 200


def _choice_parser(column: Column):
    with translation.override("zh-hans"):
        chinese = {str(label): code for code, label in column.choices.choices}
    # The cells are NFKC-normalised (full-width punctuation too): so are the labels they are matched with.
    chinese |= {unicodedata.normalize("NFKC", label): code for label, code in chinese.items()}
    validate = with_validator(lambda e, f, x: choice(e, f, x, column.choices, required=False),
                              field=column.path.rsplit("__", 1)[-1])

    def fn(value):
        if value in chinese:  # the labels of our own exports and templates, whatever the interface language
            return chinese[value], None
        return validate(value)

    return fn


def _date_parser():
    validate = with_validator(lambda e, f, x: parse_date(e, f, x, required=False))

    def fn(value):
        parsed = excel_date(value)
        return (parsed, None) if isinstance(parsed, date) else validate(parsed)

    return fn


# --- running an import --------------------------------------------------------------------------------------------

def import_file(entity: str, path, *, user=None, skip_invalid: bool = False,
                progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import `path` as `user` (None: the system, with every scope). Never raises for bad input: the result says."""
    path = Path(path)
    plan = plans().get(entity)
    result = ImportResult(entity=entity, file_name=path.name)
    if plan is None:
        result.status, result.message = "unreadable", _("Unknown entity %(name)s; one of: %(names)s.") % {
            "name": entity, "names": ", ".join(sorted(plans()))}
        return result
    if user is not None and plan.permission and not can(user, plan.permission):
        result.status = "problems"
        result.problems = [Problem(0, "", "", _("You may not import %(name)s.") % {"name": entity})]
        return result
    budget = Budget.from_settings()
    try:
        return _run(plan, path, result, user, skip_invalid, progress or (lambda done, total: None), budget)
    except OverLimit as exc:  # (raised inside the transaction, if it was writing: rolled back)
        result.status, result.message, result.written, result.batch_id = "unreadable", str(exc), {}, None
        return result


def _run(plan: Plan, path: Path, result: ImportResult, user, skip_invalid: bool, step, budget: Budget):
    from bangfu.core.scope import scope_of

    try:
        frame, headers, _header_row = read_table(path, plan.entity, budget)
    except Unreadable as exc:
        result.status, result.message = "unreadable", str(exc)
        return result
    result.rows = frame.height
    step(0, 4)
    ctx = Context(user=user, scope=scope_of(user) if user is not None else None, headers=headers,
                  today=timezone.localdate(), budget=budget)
    missing = [c.header for c in plan.entity.columns if c.required and c.path not in headers]
    if missing:
        result.status = "problems"
        result.problems = [Problem(_header_row, header, "", _("The file has no column %(header)s, which is "
                                                               "required.") % {"header": header})
                           for header in missing]
        return result
    if not frame.height:
        result.status, result.message = "unreadable", _("%(name)s has a header row but no rows below it.") % {
            "name": path.name}
        return result
    parsed, problems = parse_columns(frame, plan.entity, ctx)
    del frame  # its columns live on in `parsed` (raw:…) as long as the checks and the report need them
    step(1, 4)
    problems += plan.check(parsed, ctx)
    budget.check_time()
    step(2, 4)
    report = _collect(problems)
    result.problems = [Problem(*row) for row in report.iter_rows()]
    if result.problems and not skip_invalid:
        result.status = "problems"
        return result
    if result.problems:
        parsed = _drop_groups(parsed, report, plan.group)
        result.skipped_rows = result.rows - parsed.height
    rows = parsed.height
    # Handed over to write() without the raw text (for the report only) and without a reference kept here: write()
    # replaces columns as it goes, and a million rows are not to be held twice.
    handed = [parsed.select(pl.exclude("^raw:.*$"))]
    del parsed
    try:
        with transaction.atomic():
            ctx.batch = _open_batch(plan, path, user, rows)
            result.written = plan.write(handed.pop(), ctx) if rows else {}
            budget.check_time()  # an import done late is not committed: it finishes within its budget or not at all
            _close_batch(ctx.batch, result)
    except ValidationError as exc:  # a rule only the database could see (a row changed by someone meanwhile)
        result.status, result.batch_id = "problems", None
        result.problems.append(Problem(0, "", "", "；".join(exc.messages)))
        return result
    step(4, 4)
    result.batch_id = ctx.batch.pk
    result.status = "problems" if result.problems else "imported"
    return result


def _collect(problems: list[pl.DataFrame]) -> pl.DataFrame:
    schema = {"row": pl.Int64, "column": pl.String, "value": pl.String, "message": pl.String}
    frames = [p.select(pl.col(name).cast(dtype) for name, dtype in schema.items()) for p in problems if p.height]
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames).unique(maintain_order=True).sort("row", maintain_order=True)


def _drop_groups(parsed: pl.DataFrame, report: pl.DataFrame, group: str | None) -> pl.DataFrame:
    bad_rows = report["row"].unique()
    if group is None:
        return parsed.filter(~pl.col(ROW).is_in(bad_rows.implode()))
    bad_groups = parsed.filter(pl.col(ROW).is_in(bad_rows.implode()))[group].drop_nulls().unique()
    return parsed.filter(~pl.col(ROW).is_in(bad_rows.implode()) & ~pl.col(group).is_in(bad_groups.implode()))


def _open_batch(plan: Plan, path: Path, user, rows: int):
    actor = user if user is not None and user.is_authenticated else None
    profile = getattr(actor, "profile", None)
    region = getattr(profile, "region", None)
    organisation = getattr(profile, "organisation", None)
    return ImportBatch.objects.create(entity=plan.entity.name, file_name=path.name[:200], actor=actor,
                                      actor_name=actor.get_username() if actor else "system", rows=rows,
                                      region_path=region.path if region else "",
                                      org_path=organisation.path if organisation else "")


def batch_regions(batch) -> dict[str, set[str]]:
    """{model label: the region paths of its rows} that a batch wrote, in every table that records its batch."""
    from django.apps import apps

    found: dict[str, set[str]] = {}
    for model in apps.get_models():
        if _has_batch(model) and any(f.name == "region_path" for f in model._meta.concrete_fields):
            paths = set(model.objects.filter(import_batch=batch).order_by().values_list("region_path", flat=True)
                        .distinct())
            if paths:
                found[model._meta.label] = paths
    return found


def touch_batch(batch) -> None:
    """The figures of what a batch wrote are to be brought up to date (core.facts)."""
    for label, paths in batch_regions(batch).items():
        facts.touch(paths, label)


def _close_batch(batch, result: ImportResult):
    batch.written = result.written
    batch.skipped_rows = result.skipped_rows
    batch.finished = timezone.now()
    batch.save(update_fields=["written", "skipped_rows", "finished"])
    touch_batch(batch)
    audit.record(batch.actor, "create", batch, after={"written": result.written, "rows": batch.rows},
                 reason=f"import {batch.entity} from {batch.file_name}")


def undo(batch_id: int, user=None) -> dict[str, int]:
    """Remove what batch `batch_id` wrote, if nothing has changed it since; ValidationError says why not."""
    with transaction.atomic():
        manager = ImportBatch.objects if user is None else ImportBatch.objects.visible_to(user, "change")
        batch = manager.select_for_update().filter(pk=batch_id).first()
        if batch is None:
            raise ValidationError(_("Unknown import batch %(n)s (or outside your scope).") % {"n": batch_id})
        if batch.undone_at is not None:
            raise ValidationError(_("Import batch %(n)s was undone already.") % {"n": batch_id})
        touch_batch(batch)  # (once committed: the rows are gone by then)
        removed = plans()[batch.entity].undo(batch)
        batch.undone_at = timezone.now()
        batch.save(update_fields=["undone_at"])
        audit.record(user if user is not None else batch.actor, "delete", batch, before={"written": batch.written},
                     after={"removed": removed}, reason=f"undo import batch {batch.pk}")
    return removed


def update_changed(model, frame: pl.DataFrame, fields: dict[str, str], ctx: Context) -> int:
    """Update the rows of `model` (by `pk`) whose stored values differ from the file's; log before and after."""
    stored = {row["pk"]: row for row in model.objects.filter(pk__in=frame["pk"].to_list()).values(
        "pk", *fields.values())}
    changed, logs = [], []
    for row in frame.select("pk", *fields).iter_rows(named=True):
        before = stored[row["pk"]]
        diff = {attr: row[path] for path, attr in fields.items() if row[path] != before[attr]}
        if diff:
            changed.append((row["pk"], diff, {attr: before[attr] for attr in diff}))
    if not changed:
        return 0
    objects = model.objects.in_bulk([pk for pk, _diff, _before in changed])
    for pk, diff, before in changed:
        obj = objects[pk]
        for attr, value in diff.items():
            setattr(obj, attr, value)
        logs.append((obj, before, diff))
    attrs = sorted({attr for _pk, diff, _b in changed for attr in diff})
    try:
        with transaction.atomic():
            model.objects.bulk_update(list(objects.values()), attrs, batch_size=2000)
    except IntegrityError as exc:
        raise ValidationError(_("The import would break a rule of the registry (%(rule)s); change the head of "
                                "a household on its page.") % {"rule": str(exc).splitlines()[0][:120]}) from None
    audit.record_many(ctx.user, "update", logs, reason=ctx.reason)
    return len(changed)


def refuse_if_changed(batch, tables):
    """A batch is undone only while nothing has changed its rows: no change-log entry on them since it ran (but
    for the updates of later batches that have been undone themselves)."""
    undone = [f"import batch {pk}" for pk in ImportBatch.objects.filter(
        undone_at__isnull=False, started__gt=batch.started).values_list("pk", flat=True)]
    for model, rows in tables:
        content_type = ContentType.objects.get_for_model(model)
        ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
        later = ChangeLog.objects.filter(content_type=content_type, time__gt=batch.finished).exclude(reason__in=undone)
        if ids and among(later, "object_id", ids):
            raise ValidationError(_("Rows of this batch (%(what)s) have been changed since it ran; it cannot be "
                                    "undone.") % {"what": model._meta.verbose_name_plural})


def restore_updates(batch) -> dict[str, int]:
    """Put back the values a batch's updates replaced, from their change-log entries. The log keeps personal values
    masked (core.audit), and free text with a number masked in it, so those cannot be put back: they stay as the
    batch wrote them, and are counted."""
    restored = kept = 0
    entries = ChangeLog.objects.filter(reason=f"import batch {batch.pk}", action=ChangeLog.Action.UPDATE)
    for entry in entries.select_related("content_type"):
        model = entry.content_type.model_class()
        newer = ChangeLog.objects.filter(content_type=entry.content_type, object_id=entry.object_id,
                                         time__gt=batch.finished).exists()
        if newer:
            raise ValidationError(_("A row this batch updated has been changed since; it cannot be undone."))
        personal = getattr(model, "personal_fields", {})
        values = {field: value for field, value in entry.before.items()
                  if field not in personal and not has_mask(value)}  # free text the log keeps scrubbed: as imported
        kept += len(entry.before) - len(values)
        if values:
            model.objects.filter(pk=entry.object_id).update(**values)
            restored += 1
    counts = {"rows restored": restored, "personal values left as imported": kept}
    return {k: v for k, v in counts.items() if v}


def among(queryset, field: str, values: pl.Series | list, *fields: str) -> list[tuple]:
    """`queryset.filter(field__in=values).values_list(field, *fields)` for a long list of distinct texts (a text
    field's values). On PostgreSQL they are copied into a temporary table, analysed and joined to the query, which
    the planner then hashes (an IN over a million values it would probe one by one, thinking them 200) and no
    Python object is made per value; elsewhere in slices of 20,000 (within SQLite's limit on parameters)."""
    values = (pl.Series(values, dtype=pl.String) if isinstance(values, list) else values).drop_nulls()
    if connection.vendor == "postgresql":
        sql, params = queryset.order_by().annotate(among_key=F(field)).values_list("among_key", *fields) \
            .query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS among_keys")
            cursor.execute("CREATE TEMPORARY TABLE among_keys (v text)")
            copy_frame(cursor, "among_keys", ["v"], values.to_frame("v"))
            cursor.execute("ANALYZE among_keys")
            cursor.execute(f"SELECT q.* FROM ({sql}) q JOIN among_keys k ON q.among_key = k.v", params)
            rows = cursor.fetchall()
            cursor.execute("DROP TABLE among_keys")
        return rows
    rows = []
    for start in range(0, len(values), 20000):
        part = values.slice(start, 20000).to_list()
        rows += queryset.filter(**{f"{field}__in": part}).values_list(field, *fields)
    return rows


def common_path(paths: list[str]) -> str:
    """The deepest region path above all of these: where a batch's rows lie."""
    prefix = os.path.commonprefix(paths) if paths else ""
    return prefix[: prefix.rfind("/") + 1]


def write_report(result: ImportResult, path) -> Path:
    """The problems as a workbook a clerk opens: 行号, 列, 值, 错误 (or CSV, by the suffix)."""
    path = Path(path)
    headers = ["行号", "列", "值", "错误"]
    rows = [[p.row, p.column, p.value, p.message] for p in result.problems]
    if result.message:
        rows.insert(0, [0, "", "", result.message])
    if path.suffix.lower() == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f)
            out.writerow(headers)
            out.writerows([[r, c, _safe(v), m] for r, c, v, m in rows])
        return path
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("错误报告")
    bold = workbook.add_format({"bold": True})
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 2, 20)
    sheet.set_column(3, 3, 80)
    for c, header in enumerate(headers):
        sheet.write_string(0, c, header, bold)
    for r, (row, column, value, message) in enumerate(rows, start=1):
        sheet.write_number(r, 0, row)
        sheet.write_string(r, 1, column)
        sheet.write_string(r, 2, _safe(value))
        sheet.write_string(r, 3, message)
    workbook.close()
    return path


def _safe(value) -> str:
    from bangfu.core.exports import not_a_formula
    from bangfu.core.identity import mask_id, mask_phone

    text = str(value or "")
    # A report never repeats an ID number in the clear: it is mailed around.
    if re.fullmatch(r"\d{15,17}[\dXx]", text):
        text = mask_id(text)
    elif re.fullmatch(r"1[3-9]\d{9}", text):
        text = mask_phone(text)
    return not_a_formula(text)
