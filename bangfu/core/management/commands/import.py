"""`bangfu import ENTITY FILE [--user USERNAME] [--skip-invalid] [--report REPORT.xlsx]` and
`bangfu import undo BATCH`.

Exit codes: 0 every row imported; 1 problems reported (nothing written, or with --skip-invalid the valid groups
written); 2 the file could not be read.
"""

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from bangfu.core import audit
from bangfu.core.importing import import_file, plans, undo, write_report
from bangfu.core.models import ChangeLog

SHOWN_PROBLEMS = 20


class Command(BaseCommand):
    help = ("Imports a spreadsheet (.xlsx, or .csv in UTF-8 or GB18030) as --user (his scope; without --user the "
            "system, with every scope). If any row is wrong nothing is written, unless --skip-invalid. "
            "`bangfu import undo BATCH` removes what a batch wrote.")

    def add_arguments(self, parser):
        parser.add_argument("entity", help=f"one of: {', '.join(sorted(plans()))}; or `undo`")
        parser.add_argument("file", help="the file to import (or, after `undo`, the batch number)")
        parser.add_argument("--user", help="import as this user (his scope, his name in the change log)")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="write every valid household (group of rows); leave out whole any with a bad row")
        parser.add_argument("--report", help="write the problems to this file (.xlsx or .csv): 行号, 列, 值, 错误")

    def handle(self, *args, entity, file, user=None, skip_invalid=False, report=None, **options):
        actor = self._user(user)
        with translation.override("zh-hans"), audit.channel(ChangeLog.Via.CLI):
            if entity == "undo":
                return self._undo(file, actor)
            code = self._import(entity, file, actor, skip_invalid, report)
        sys.exit(code)

    def _user(self, username):
        if not username:
            return None
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"Unknown user {username!r}.")
        return actor

    def _import(self, entity, file, actor, skip_invalid, report) -> int:
        if not Path(file).is_file():
            raise CommandError(f"No file {file}.")
        started = time.perf_counter()
        with tqdm(total=4, desc=f"import {entity}", unit="step", disable=not sys.stderr.isatty()) as bar:
            def progress(done, total):
                bar.update(done - bar.n)

            result = import_file(entity, file, user=actor, skip_invalid=skip_invalid, progress=progress)
        seconds = time.perf_counter() - started
        if result.status == "unreadable":
            self.stderr.write(result.message)
            return result.exit_code
        for problem in result.problems[:SHOWN_PROBLEMS]:
            self.stderr.write(f"第 {problem.row} 行 [{problem.column}] {problem.value!s:.30}：{problem.message}")
        if len(result.problems) > SHOWN_PROBLEMS:
            self.stderr.write(f"…… 共 {len(result.problems)} 个问题")
        if report:
            write_report(result, report)
            self.stdout.write(f"Report: {report}")
        written = ", ".join(f"{k} {v}" for k, v in result.written.items()) or "nothing"
        if result.batch_id:
            self.stdout.write(f"Batch {result.batch_id}: {result.rows} rows read, {result.skipped_rows} skipped; "
                              f"written: {written} ({seconds:.1f} s). Undo with: bangfu import undo "
                              f"{result.batch_id}")
        else:
            self.stdout.write(f"{result.rows} rows read; {len(result.problems)} problems; nothing written "
                              f"({seconds:.1f} s).")
        return result.exit_code

    def _undo(self, batch, actor):
        if not str(batch).isdigit():
            raise CommandError(f"A batch number is a whole number, not {batch!r}.")
        try:
            removed = undo(int(batch), user=actor)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"Batch {batch} undone: " + (", ".join(f"{k} {v}" for k, v in removed.items()) or
                                                       "nothing to remove"))
