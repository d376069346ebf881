"""Writing rows in bulk, column-wise: screening, department feeds, the demo and (later) the import engine.

No model instances, no signals, no change log: callers give complete, valid rows and record what they did.
"""

import io
import json

import polars as pl
from django.db import connection, models
from django.utils import timezone

FRAME_SLICE = 50_000  # rows of a frame turned into CSV (PostgreSQL) or Python values (SQLite) at a time


def reserve_ids(model, n: int) -> list[int]:
    """`n` free primary keys of `model`'s table, so that rows written in bulk can be pointed at before they exist.
    PostgreSQL draws them from the table's sequence (safe beside other writers); SQLite, which has one writer at a
    time, takes the write lock first and counts on from the largest key."""
    if not n:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n])
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"UPDATE {quoted} SET id = id WHERE 0 = 1")  # begins the write transaction: no one else writes
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + n))


def insert_columns(model, columns: dict[str, list]) -> int:
    """Write rows given as columns (attname → list of values; missing columns take the field's default) with COPY on
    PostgreSQL or executemany on SQLite. No model instances, no signals: callers give complete, valid rows."""
    lengths = {len(v) for v in columns.values()}
    if not lengths or lengths == {0}:
        return 0
    if len(lengths) != 1:
        raise ValueError(f"{model.__name__}: columns of different lengths {lengths}")
    n = lengths.pop()
    fields = {f.attname: f for f in model._meta.concrete_fields}
    columns = {**columns, **{name: [value] * n for name, value in _defaults(model, columns).items()}}
    names = list(columns)
    converted = [_convert(fields[name], columns[name]) for name in names]
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(fields[name].column) for name in names)
    rows = zip(*converted, strict=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(names))})"
            cursor.executemany(sql, list(rows))  # one statement, however many rows
    return n


def insert_frame(model, frame: pl.DataFrame) -> int:
    """`insert_columns` for rows already in a polars frame (columns named by attname): on PostgreSQL polars writes
    each slice as CSV straight into COPY, so no row becomes Python objects on the way."""
    if not frame.height:
        return 0
    if connection.vendor != "postgresql":
        for part in frame.iter_slices(FRAME_SLICE):
            insert_columns(model, {name: part[name].to_list() for name in part.columns})
        return frame.height
    fields = {f.attname: f for f in model._meta.concrete_fields}
    constants = {name: _csv_constant(fields[name], value) for name, value in _defaults(model, frame.columns).items()}
    frame = frame.with_columns(pl.lit(value, dtype=pl.String).alias(name) for name, value in constants.items())
    with connection.cursor() as cursor:
        copy_frame(cursor, model._meta.db_table, [fields[name].column for name in frame.columns], frame)
    return frame.height


def copy_frame(cursor, table: str, columns: list[str], frame: pl.DataFrame) -> None:
    """COPY a frame's rows into `table` (PostgreSQL), polars writing CSV a slice at a time."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN (FORMAT csv)"
    with cursor.cursor.copy(sql) as copy:
        for part in frame.iter_slices(FRAME_SLICE):
            buffer = io.BytesIO()
            part.write_csv(buffer, include_header=False)  # null: an empty field; "": a quoted empty one
            copy.write(buffer.getbuffer())


def _defaults(model, given) -> dict:
    """The value of each column not in `given` (but for an auto primary key): auto_now fields now, others their
    default, or "" / None for a field that may be left empty."""
    now = timezone.now()
    values = {}
    for f in model._meta.concrete_fields:
        if f.attname in given or (f.primary_key and isinstance(f, models.AutoField)):
            continue  # given, or left to the database
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            values[f.attname] = now
        elif f.has_default() or f.blank or f.null:
            values[f.attname] = f.get_default()
        else:
            raise ValueError(f"{model.__name__}.{f.attname} needs a value")
    return values


def _csv_constant(f, value) -> str | None:
    """One value as the text COPY's CSV format reads for the field."""
    if value is None:
        return None
    if isinstance(f, models.JSONField):
        return json.dumps(value, cls=f.encoder)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _convert(f, values: list) -> list:
    postgres = connection.vendor == "postgresql"
    if isinstance(f, models.JSONField):
        return [json.dumps(v, cls=f.encoder) for v in values]  # as the ORM writes it
    if isinstance(f, models.DecimalField):
        return [None if v is None else str(v) for v in values]
    if postgres:
        return values
    if isinstance(f, models.DateTimeField):
        memo: dict = {}
        out = []
        for v in values:
            if v not in memo:
                memo[v] = connection.ops.adapt_datetimefield_value(v)
            out.append(memo[v])
        return out
    if isinstance(f, models.DateField):
        return [None if v is None else v.isoformat() for v in values]
    return values
