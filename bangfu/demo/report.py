"""Two PostgreSQL chores of the demo's long load in one transaction: statistics for tables written in it, and the
deferred foreign-key checks taken module by module."""

from __future__ import annotations

from django.db import connection


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
