"""`bangfu screen [--region CODE] [--year Y]`: screen households and open clues; `--feed FILE --kind KIND` imports a
department's list (证件号码, 事项, 金额, 日期) instead."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangfu.households.screening import FEED_KINDS, import_department_feed, screen


class Command(BaseCommand):
    help = ("Screen every household in a region (all when no --region) for a year (default: the latest year with "
            "incomes) and open a clue for each household at risk; or import a department feed with --feed.")

    def add_arguments(self, parser):
        parser.add_argument("--region", help="division code of the region to screen (its whole subtree)")
        parser.add_argument("--year", type=int, help="income year to screen (default: the latest recorded)")
        parser.add_argument("--feed", metavar="FILE", help="a department's CSV (证件号码, 事项, 金额, 日期)")
        parser.add_argument("--kind", choices=sorted(FEED_KINDS), default="other",
                            help="which department sent the feed (with --feed)")

    def handle(self, region=None, year=None, feed=None, kind="other", **options):
        try:
            if feed:
                return self._feed(feed, kind)
            result = screen(region=region, year=year)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        if result["year"] is None:
            self.stdout.write(f"No income recorded in {region or 'any region'}: nothing to screen.")
            return
        w = self.stdout.write
        w(f"Screened {result['households']:,} households in {region or 'all regions'} for {result['year']} "
          f"in {result['seconds']:.2f} s.")
        w(f"  at risk:                     {result['flagged']:,}")
        w(f"  clues opened:                {result['clues_opened']:,}")
        w(f"  skipped, case already open:  {result['skipped_open']:,}")
        w(f"  skipped, already monitored:  {result['skipped_monitored']:,}")
        if result["no_income"]:
            w(f"  no income for the year:      {result['no_income']:,} (checked on living conditions only)")
        if result["no_line"]:
            w(f"  no monitoring line:          {result['no_line']:,} (add the line for {result['year']})")
        if result["by_category"]:
            w("  opened by candidate category: " + ", ".join(f"{k} {v:,}" for k, v in
                                                           sorted(result["by_category"].items())))
        if result["by_reason"]:
            w("  reasons: " + ", ".join(f"{k} {v:,}" for k, v in sorted(result["by_reason"].items())))

    def _feed(self, path, kind):
        result = import_department_feed(path, kind)
        w = self.stdout.write
        w(f"Read {result['rows']:,} rows from {path}: {result['matched_rows']:,} matched "
          f"{result['households']:,} households.")
        w(f"  clues opened:                {result['clues_opened']:,}")
        w(f"  skipped, case already open:  {result['skipped_open']:,}")
        w(f"  skipped, already monitored:  {result['skipped_monitored']:,}")
        for label, key in (("invalid ID number", "invalid"), ("unknown ID number", "unknown")):
            for item in result[key]:
                w(f"  row {item['row']}: {label} {item['id_number']}")
