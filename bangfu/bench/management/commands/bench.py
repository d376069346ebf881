"""`bangfu bench NAME`: the benchmarks of docs/performance.md, run against the configured database.

A small dispatcher: each benchmark is the `run(command, options)` of a module of bangfu/bench/; a later module adds
its own with one line in BENCHMARKS. `--database-url URL` (repeatable) runs the same
benchmark once per database, each in a child process with BANGFU_DATABASE_URL set, so that one run prints the
PostgreSQL and the SQLite figures side by side. Benchmarks change nothing: their writes are rolled back.
"""

import os
import subprocess
import sys

from django.core.management.base import BaseCommand, CommandError

from bangfu.bench import export, funds, imports, indicators, labor, load, screening, uploads

BENCHMARKS = {
    "screen": screening.run,
    "export": export.run,
    "import": imports.run,
    "funds": funds.run,
    "labor": labor.run,
    "uploads": uploads.run,
    "load": load.run,
    "indicators": indicators.run,
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
        parser.add_argument("--url", help="bench load: the server to load (default: start gunicorn with the production "
                                          "settings on the configured database)")
        parser.add_argument("--clients", type=int, default=20, help="bench load: concurrent clients (default 20)")
        parser.add_argument("--duration", type=int, default=60, help="bench load: seconds of load (default 60)")
        parser.add_argument("--workers", type=int, help="bench load: gunicorn workers (default: its configuration's)")
        parser.add_argument("--user", default="sz", help="bench load: the account the clients log in as (default sz)")
        parser.add_argument("--password", help="bench load: that account's password")

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
        for flag in ("url", "clients", "duration", "workers", "user", "password"):
            if options.get(flag) is not None:
                args += [f"--{flag}", str(options[flag])]
        for url in urls:
            env = dict(os.environ, BANGFU_DATABASE_URL=url)
            done = subprocess.run([sys.executable, "-m", "bangfu", "bench", *args], env=env, capture_output=True,
                                  text=True)
            self.stdout.write(done.stdout.rstrip())
            if done.returncode:
                self.stderr.write(done.stderr.strip()[-2000:])
                raise CommandError(f"bench {name} failed on {url.split('@')[-1]}")
