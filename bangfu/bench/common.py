"""What every benchmark shares: its writes rolled back and timed, the database named, peak memory read."""

import time

from django.db import connection, transaction


class _Rollback(Exception):
    pass


def timed_and_undone(fn):
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


def database_name() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]} ({connection.settings_dict['NAME']})"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]} ({connection.settings_dict['NAME']})"


def peak_rss_reset() -> int:
    """Reset the process's peak resident set (Linux: /proc/self/clear_refs) and return the current one, in MB."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    return status_mb("VmRSS")


def status_mb(key: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) // 1024
    return 0
