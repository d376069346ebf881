"""`bangfu indicators rebuild [--region CODE] [--year Y]`: recompute the facts from the records, with a progress bar;
`bangfu indicators refresh`: bring the stale regions up to date now (what the worker does after writes);
`bangfu indicators catalogue`: the catalogue as Markdown (docs/indicators.md is its output)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bangfu.core import facts
from bangfu.core.indicators import catalogue
from bangfu.dashboards.catalogue import markdown
from bangfu.regions.models import Region


class Command(BaseCommand):
    help = "Recompute the indicators' facts (rebuild, refresh) or print their catalogue."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        rebuild = commands.add_parser("rebuild", help="recompute the facts from the records")
        rebuild.add_argument("--region", help="only this region's subtree (a division code)")
        rebuild.add_argument("--year", type=int, help="only this year's periods")
        commands.add_parser("refresh", help="recompute the regions whose records changed since")
        commands.add_parser("catalogue", help="print the catalogue of indicators as Markdown")

    def handle(self, *args, action, region=None, year=None, **options):
        if action == "catalogue":
            self.stdout.write(markdown())
        elif action == "refresh":
            done = facts.refresh_stale()
            self.stdout.write(f"refreshed {len(done)} region subtrees")
        else:
            self._rebuild(region, year)

    def _rebuild(self, code, year):
        path = ""
        if code:
            path = Region.objects.filter(code=code.strip()).values_list("path", flat=True).first()
            if path is None:
                raise CommandError(f"unknown region {code}")
        if year is not None and not 1979 <= year <= 2100:
            raise CommandError(f"year {year} is not between 1979 and 2100")
        counted = [c for c, i in catalogue().items() if i.counted]
        with tqdm(total=len(counted), desc="indicators", unit="indicator", disable=not sys.stderr.isatty()) as bar:
            written = facts.rebuild(counted, path, year, progress=bar.update)
        self.stdout.write(f"{written} facts of {len(counted)} indicators written")
