"""Every indicator of the seed demo, precomputed and live, for every region and the demo's helpers: equal. And the
seed figures that only the indicator layer computes (per-capita income) come out of it."""

from decimal import Decimal

import pytest

from bangfu.core import facts
from bangfu.core.indicators import ALL, catalogue, helper, live, live_by_region
from bangfu.core.models import Fact
from bangfu.demo.build import build_demo
from bangfu.regions.models import Organisation, Region

pytestmark = pytest.mark.django_db


def test_every_indicator_precomputed_equals_live_for_every_region_of_the_seed_demo():
    build_demo(password="Demo-pass-2026")
    facts.rebuild()
    regions = set(Region.objects.values_list("path", flat=True)) | {""}
    lengths = sorted({len(p) for p in regions})
    periods = [ALL, *(str(y) for y in facts.years()), *(f"2020-{m:02d}" for m in range(1, 13))]
    helpers = [helper(o.path) for o in Organisation.objects.filter(region_id__in=["440300", "440305"],
                                                                  represents_region=True)]
    stored = {(f.code, f.region_path, f.helper_path, f.period): f.value for f in Fact.objects.all()}
    compared = 0
    for code, found in catalogue().items():
        if not found.counted:
            continue
        for length in lengths:
            for side in [None, *(h for h in helpers if found.helper == "org")]:
                counted = live_by_region(code, length, periods, side)
                key = side.path if side else ""
                for path in (p for p in regions if len(p) == length):
                    for period in periods:
                        if not found.has_period(period):
                            continue
                        expected = counted.get(path, {}).get(period, Decimal("0.00"))
                        assert stored.get((code, path, key, period), Decimal("0.00")) == expected, (
                            code, path, key, period)
                        compared += 1
    assert compared > 10_000
    # A helper's whole side of the indicators counted over his places, kept as such.
    for side in helpers:
        for code, found in catalogue().items():
            if found.counted and found.helper == "places":
                for period in (ALL, "2020"):
                    if found.has_period(period):
                        assert stored.get((code, "", side.path, period), Decimal("0.00")) == live(
                            code, "", side, period), (code, side.path, period)
    _the_seed_incomes_come_out_of_the_income_indicators()
    # Derived ones, read through the facts and computed live, for the places of the seeds.
    for code in ("451024", "441500", "450000"):
        path = Region.objects.get(code=code).path
        for name in catalogue():
            for period in (ALL, "2015", "2020"):
                assert facts.read([name], [path], [period])[name, path, period] == live(name, path, period=period), (
                    name, code, period)


def _the_seed_incomes_come_out_of_the_income_indicators():
    debao, shanwei = (Region.objects.get(code=c).path for c in ("451024", "441500"))
    income = facts.read(["households.per_capita_income"], [debao], ["2020", "2015"])
    assert income["households.per_capita_income", debao, "2020"] == Decimal("12364.00")
    assert income["households.per_capita_income", debao, "2015"] == Decimal("7833.25")
    growth = 100 * (Decimal("12364.00") / Decimal("7833.25") - 1)
    assert growth.quantize(Decimal("0.01")) == Decimal("57.84")
    labour = facts.read(["households.labour_per_capita_income"], [shanwei], ["2020"])
    assert labour["households.labour_per_capita_income", shanwei, "2020"] == Decimal("15522.00")
