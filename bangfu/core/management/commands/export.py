"""`bangfu export ENTITY FILE.xlsx|FILE.csv [--region CODE] [--user USERNAME]`."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bangfu.core.exports import ExportError, entities, export


class Command(BaseCommand):
    help = ("Writes an entity as a spreadsheet (.xlsx or .csv, UTF-8 with BOM): what --user may see, personal data "
            "masked unless he may unmask it. Without --user: every row, masked.")

    def add_arguments(self, parser):
        parser.add_argument("entity", help=f"one of: {', '.join(sorted(entities()))}")
        parser.add_argument("file", help="FILE.xlsx or FILE.csv")
        parser.add_argument("--region", help="only this region's subtree (division code)")
        parser.add_argument("--user", help="export as this user (his scope and his right to unmask)")

    def handle(self, *args, entity, file, region=None, user=None, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Unknown user {user!r}.")
        started = time.perf_counter()
        try:
            n = export(entity, file, actor, region=region)
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{n} rows written to {file} in {time.perf_counter() - started:.1f} s")
