"""`bangfu bench funds`: the helper city's funds summary (set-based, five aggregate queries), warm, against a naive
loop that reads the rows and asks the database per project, as an ORM-minded first version would."""

import os
import platform
import statistics
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from bangfu.bench.common import database_name
from bangfu.funds import figures
from bangfu.pairing.filters import resolve_filter


def naive_summary(user, helper: str, sample: int | None = None) -> tuple[dict, int, int]:
    """The same figures by walking rows: every source and budget in Python, and per project a query for its
    spending and one for its beneficiaries. Returns (figures, projects walked, projects in all)."""
    from bangfu.funds.models import Budget, Disbursement, FundSource
    from bangfu.projects.models import Beneficiary, Project

    f = resolve_filter(user, helper=helper)
    out = {"fiscal": Decimal(0), "social": Decimal(0), "budgeted": Decimal(0), "disbursed": Decimal(0),
           "spent": Decimal(0), "projects": 0, "beneficiary_households": 0}
    for source in FundSource.objects.visible_to(user).filter(f.q()):
        out["fiscal" if source.kind == "fiscal" else "social"] += source.amount
    for budget in Budget.objects.visible_to(user).filter(f.q()):
        out["budgeted"] += budget.amount
        out["disbursed"] += budget.disbursed
    projects = Project.objects.visible_to(user).filter(f.q())
    total = projects.count()
    households = set()
    walked = 0
    for project in projects.order_by("id")[:sample] if sample else projects:
        for draw in Disbursement.objects.filter(project=project):
            out["spent"] += draw.spent
        households.update(Beneficiary.objects.filter(project=project).values_list("household_id", flat=True))
        walked += 1
    out["projects"] = total
    out["beneficiary_households"] = len(households)
    return out, walked, total


def run(command, options):
    user = get_user_model().objects.filter(username="sz").first()
    if user is None:
        raise CommandError("No demo account sz: load the demo first (bangfu load-demo).")
    helper = options.get("region") or "440300"
    runs = max(options.get("repeat") or 1, 30)
    w = command.stdout.write
    w(f"bench funds — {database_name()}, {os.cpu_count()} CPU(s), {platform.platform()}, "
      f"{timezone.localtime():%Y-%m-%d %H:%M %Z}")
    f = resolve_filter(user, helper=helper)
    from bangfu.funds.models import Budget, Disbursement, Expenditure, FundSource
    from bangfu.projects.models import Beneficiary, Project

    rows = {m.__name__: m.objects.count() for m in (FundSource, Budget, Disbursement, Expenditure, Beneficiary)}
    w(f"  rows: {', '.join(f'{k} {v:,}' for k, v in rows.items())} ({sum(rows.values()):,} in all); "
      f"projects {Project.objects.count():,}")
    result = figures.summary(user, f)  # warms the caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        figures.summary(user, f)
        times.append(time.perf_counter() - started)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    w(f"  summary helper={helper} (as sz, warm, {runs} runs): p50 {statistics.median(times) * 1000:8.1f} ms  "
      f"p95 {p95 * 1000:8.1f} ms  (fiscal {result['fiscal']:,}, projects {result['projects']:,})")
    sample = min(options.get("sample") or 20000, result["projects"]) or None
    started = time.perf_counter()
    naive, walked, total = naive_summary(user, helper, sample)
    seconds = time.perf_counter() - started
    w(f"  naive ORM loop:       {seconds * 1000:8.1f} ms for {walked:,} of {total:,} projects "
      f"(fiscal {naive['fiscal']:,})")
    naive_all = seconds
    if walked and walked < total:
        naive_all = seconds * total / walked
        w(f"  naive, extrapolated:  {naive_all * 1000:8.1f} ms for {total:,} projects (an upper bound: the row walk "
          f"of sources and budgets is counted {total / walked:.0f} times)")
    assert naive["fiscal"] == result["fiscal"], "the naive loop and the summary disagree"
    w(f"  ratio:                {naive_all / p95:8.1f} × faster set-based (p95 against the naive loop)")
