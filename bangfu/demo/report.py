"""What the demo build shows while it runs: a progress bar per module, then the rows that module wrote, counted in
the database (COUNT queries), not the figures the builders aimed for. Plus two PostgreSQL chores of a long load in
one transaction: statistics for tables written in it, and the deferred foreign-key checks taken module by module."""

from __future__ import annotations

import time
from contextlib import contextmanager

from django.core.management.base import OutputWrapper
from django.db import connection
from django.db.models import Sum
from tqdm import tqdm


class Step:
    """The progress bar of one module: `advance(what)` after each step of a known number of steps."""

    def __init__(self, bar):
        self.bar = bar
        self.seconds = 0.0

    def advance(self, what: str = "", n: int = 1):
        if self.bar is not None:
            self.bar.set_postfix_str(what, refresh=False)
            self.bar.update(n)

    def total(self, total: int):
        """Set the number of steps once it is known (e.g. after the areas are planned)."""
        if self.bar is not None:
            self.bar.total = total
            self.bar.refresh()


@contextmanager
def module(stdout, name: str, steps: int | None = None):
    """A tqdm bar for one module on the command's output (none without one); the module's time is printed after."""
    stream = stdout._out if isinstance(stdout, OutputWrapper) else stdout
    bar = None
    if stream is not None:
        bar = tqdm(total=steps, desc=f"{name:<13}", unit="step", file=stream, mininterval=1.0, ascii=True,
                   dynamic_ncols=False, ncols=100, bar_format="{desc} {percentage:3.0f}%|{bar:25}| {n_fmt}/{total_fmt} "
                   "[{elapsed}{postfix}]")
    step, started = Step(bar), time.monotonic()
    try:
        yield step
    finally:
        step.seconds = time.monotonic() - started
        if bar is not None:
            bar.set_postfix_str("done", refresh=False)
            bar.close()


def count_rows(tables: dict[str, object]) -> dict[str, int]:
    """Rows in each table (label → model or queryset), in one query."""
    parts, params = [], []
    for source in tables.values():
        queryset = source._default_manager.all() if isinstance(source, type) else source
        sql, qparams = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS q)")
        params.extend(qparams)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def total(queryset, field: str) -> int:
    return queryset.aggregate(n=Sum(field))["n"] or 0


def analyze(*models):
    """Give PostgreSQL statistics of tables written in this (still open) transaction: autovacuum cannot see them,
    and without statistics a statement over millions of fresh rows may be planned as for an empty table."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def check_deferred():
    """Run the foreign-key checks deferred so far now (PostgreSQL defers them to the commit): each module's share
    of the time shows in its own bar, and the server's queue of pending checks is emptied."""
    if connection.vendor == "postgresql":
        connection.check_constraints()


def format_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {what}" for what, n in counts.items())
