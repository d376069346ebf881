"""`bangfu bench screen`: set-based screening of every household against a per-household ORM loop over a sample,
extrapolated. The loop (`naive_screen`) is also the tests' reference for what `screen` must find."""

import os
import platform
from datetime import date, timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from bangfu.bench.common import database_name, timed_and_undone
from bangfu.households.models import (
    Clue,
    ClueSource,
    Conditions,
    Household,
    Income,
    MonitoringLine,
    Purpose,
    RiskStatus,
    Stage,
    Transition,
)
from bangfu.households.screening import (
    DEFAULT_DEADLINE_DAYS,
    SCREENING_REASON,
    candidate_for,
    latest_income_year,
    reason_condition,
    reason_income_fall,
    reason_low_income,
    reason_rigid_spending,
    screen,
)
from bangfu.regions.models import Region


def run(command, options):
    """Set-based screening of every household vs. a per-household ORM loop over a sample, extrapolated."""
    region = options.get("region")
    households = Household.objects.all()
    paths = ("",)
    if region:
        path = Region.objects.filter(code=region).values_list("path", flat=True).first()
        if path is None:
            raise CommandError(f"Unknown region {region}.")
        households, paths = households.filter(region_path__startswith=path), (path,)
    total = households.count()
    if not total:
        raise CommandError("No households in this database: load the demo first (bangfu load-demo).")
    year = options.get("year") or latest_income_year(paths)
    w = command.stdout.write
    w(f"bench screen — {database_name()}, {os.cpu_count()} CPU(s), {platform.platform()}, "
      f"{timezone.localtime():%Y-%m-%d %H:%M %Z}")
    w(f"  households in scope: {total:,}; income year {year}")

    runs = []
    for _ in range(options["repeat"]):
        result, seconds = timed_and_undone(lambda: screen(region=region, year=year))
        runs.append(seconds)
    best = min(runs)
    w(f"  set-based screen():  {best:8.2f} s  {total / best:12,.0f} households/s  "
      f"({result['clues_opened']:,} clues opened, rolled back; runs: {', '.join(f'{s:.2f}' for s in runs)})")

    sample_size = min(options["sample"], total)
    sample = list(households.order_by("id")[:sample_size])
    opened, seconds = timed_and_undone(lambda: naive_screen(sample, year))
    extrapolated = seconds * total / sample_size
    w(f"  naive ORM loop:      {seconds:8.2f} s for {sample_size:,} households ({opened:,} clues), "
      f"{sample_size / seconds:,.0f} households/s")
    w(f"  naive, extrapolated: {extrapolated:8.2f} s for {total:,} households")
    w(f"  ratio:               {extrapolated / best:8.1f} × faster set-based")


def naive_screen(households, year: int, actor=None, today: date | None = None) -> int:
    """What screening would be with one ORM call per household and per fact: the benchmark's baseline (`bangfu bench
    screen`) and the tests' reference for what `screen` must find. Returns the number of clues opened."""
    today = today or timezone.localdate()
    opened = 0
    for h in households:
        if h.risk_status == RiskStatus.MONITORED:
            continue
        income = Income.objects.filter(household=h, year=year).first()
        previous = Income.objects.filter(household=h, year=year - 1).first()
        conditions = Conditions.objects.filter(household=h, year=year).first()
        line = (MonitoringLine.objects.filter(county_code=h.county_code, year=year).first()
                or MonitoringLine.objects.filter(province_code=h.region_path[:6], county_code="", year=year).first())
        low = fall = rigid = False
        if income is not None and line is not None:
            low = income.per_capita <= line.amount
            fall = (not low and previous is not None and previous.per_capita > 0
                    and income.per_capita < previous.per_capita * (1 - line.income_fall_share))
            spent = income.rigid_medical + income.rigid_education
            rigid = not low and spent > 0 and spent > line.rigid_spending_share * income.net
        failures = conditions.failures() if conditions is not None else []
        if not (low or fall or rigid or failures):
            continue
        if Clue.objects.filter(household=h, purpose=Purpose.IDENTIFY, is_open=True).exists():
            continue
        reasons = []
        if low:
            reasons.append(reason_low_income(income.per_capita, line.amount))
        if fall:
            reasons.append(reason_income_fall(income.per_capita, previous.per_capita, line.income_fall_share))
        if rigid:
            reasons.append(reason_rigid_spending(income.rigid_medical, income.rigid_education, income.net,
                                                 line.rigid_spending_share))
        reasons += [reason_condition(item, conditions.housing_grade) for item in failures]
        days = line.clue_deadline_days if line is not None else DEFAULT_DEADLINE_DAYS
        clue = Clue.objects.create(
            household=h, county_code=h.county_code, region_path=h.region_path, purpose=Purpose.IDENTIFY,
            source=ClueSource.SCREENING, candidate_category=candidate_for(h.household_type, low, fall or rigid),
            reasons=reasons, opened_on=today, deadline=today + timedelta(days=days),
        )
        Transition.objects.create(clue=clue, county_code=clue.county_code, region_path=clue.region_path,
                                  from_stage="", to_stage=Stage.CLUE, actor=actor, reason=SCREENING_REASON)
        opened += 1
    return opened
