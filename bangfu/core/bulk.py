"""Writing rows in bulk, column-wise: screening, department feeds, the demo and (later) the import engine.

No model instances, no signals, no change log: callers give complete, valid rows and record what they did.
"""

import json

from django.db import connection, models
from django.utils import timezone


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
    now = timezone.now()
    columns = dict(columns)
    for name, f in fields.items():
        if name in columns or (f.primary_key and isinstance(f, models.AutoField)):
            continue  # given, or left to the database
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default() or f.blank or f.null:
            value = f.get_default()  # the default, or "" / None for a field that may be left empty
        else:
            raise ValueError(f"{model.__name__}.{name} needs a value")
        columns[name] = [value] * n
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
