"""`bangfu bench labor`: how fast matching answers against the registry in the database (docs/performance.md)."""

import os
import platform
import statistics
import time

from django.core.management.base import CommandError
from django.utils import timezone

from bangfu.bench.common import database_name
from bangfu.labor import matching
from bangfu.labor.models import AVAILABLE, Laborer, Posting


def _timed(fn, repeat: int) -> tuple[list[float], object]:
    runs, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - started)
    return runs, result


def run(command, options):
    w = command.stdout.write
    total = Laborer.objects.count()
    if not total:
        raise CommandError("No laborers in this database: load the demo first (bangfu load-demo).")
    repeat = max(options.get("repeat") or 1, 5)
    w(f"bench labor — {database_name()}, {os.cpu_count()} CPU(s), {platform.platform()}, "
      f"{timezone.localtime():%Y-%m-%d %H:%M %Z}")
    available = Laborer.objects.filter(state__in=AVAILABLE).count()
    w(f"  laborers in the registry: {total:,} ({available:,} looking for work); "
      f"postings: {Posting.objects.count():,}")
    everything = Laborer.objects.all()
    # The postings that are hardest to fill: a skill few have, and (last) a posting no one fits, which must scan.
    postings = list(Posting.objects.filter(open=True).exclude(skill_mask=0).order_by("id")[:3])
    postings += list(Posting.objects.filter(open=True, skill_mask=0).order_by("id")[:1])
    if not postings:
        raise CommandError("No open postings: load the demo first.")
    worst = 0.0
    for posting in postings:
        runs, found = _timed(lambda p=posting: matching.laborers_for(None, p, limit=20, queryset=everything), repeat)
        worst = max(worst, statistics.median(runs))
        w(f"  laborers for posting #{posting.pk} ({posting.title}, {posting.region.name}, skills "
          f"{posting.skill_mask or '-'}): median {statistics.median(runs) * 1000:7.1f} ms, best "
          f"{min(runs) * 1000:7.1f} ms over {repeat} runs; {len(found)} found")
    laborer = Laborer.objects.filter(state__in=AVAILABLE).order_by("id").first()
    if laborer is not None:
        runs, found = _timed(lambda: matching.postings_for(laborer, limit=20), repeat)
        w(f"  postings for laborer #{laborer.pk}: median {statistics.median(runs) * 1000:7.1f} ms; "
          f"{len(found)} found")
    verdict = "within" if worst <= 0.2 else "OVER"
    w(f"  slowest posting median: {worst * 1000:.1f} ms — {verdict} the 200 ms budget")
