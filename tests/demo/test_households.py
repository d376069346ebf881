"""The households part of the demo: the seed figures come out of the records exactly; the synthetic people are
plausible and valid (ID numbers, ages, relations, consistency rules); monitoring cases exist of every kind at every
stage."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Count, F, Q, Sum

from bangfu.core.identity import parse_resident_id
from bangfu.demo.households import DEBAO, SEED_AREAS, SHANWEI, Area, build_households
from bangfu.households.models import (
    Clue,
    Conditions,
    Household,
    Income,
    Measure,
    Member,
    MonitoringLine,
    Stage,
    Transition,
    Visit,
)
from bangfu.regions.models import Region, place_under

TODAY = date(2026, 11, 21)
LABOUR = ["skilled", "ordinary", "weak"]
SHANWEI_COUNTIES = ("441502", "441521", "441523", "441581")


def make_villages(debao=89, shanwei=(12, 56, 40, 92)):
    """Poor villages as the overall demo makes them: under townships of 德保县 and of 汕尾市's four counties."""
    rows = []

    def add(code, name, parent, level, poor=False):
        region = Region(code=code, name=name, level=level, is_poor_village=poor, synthetic=True)
        place_under(region, parent)
        rows.append(region)
        return region

    county = Region.objects.get(code="451024")
    for t in range(4):
        town = add(f"451024{170 + t:03d}000", f"测试镇{t}", county, "township")
        add(f"451024{170 + t:03d}001", f"测试社区{t}", town, "village")  # not poor: gets no household
        for v in range(debao // 4 + (1 if t < debao % 4 else 0)):
            add(f"451024{170 + t:03d}{200 + v:03d}", f"测试村{t}-{v}", town, "village", True)
    for code, n in zip(SHANWEI_COUNTIES, shanwei, strict=True):
        town = add(f"{code}170000", "测试镇", Region.objects.get(code=code), "township")
        for v in range(n):
            add(f"{code}170{200 + v:03d}", f"测试村{v}", town, "village", True)
    Region.objects.bulk_create(rows)


def small(area: Area, households: int, members: int, ordinary: int = 0) -> Area:
    """The same area and income figures at a small size."""
    return Area(area.key, area.name, area.prefix, households=households, members=members, ordinary=ordinary,
                profile=area.profile, basis=area.basis, per_capita=area.per_capita, typical=area.typical)


def net_sum(incomes):
    a = incomes.aggregate(w=Sum("wage"), p=Sum("production"), r=Sum("property_income"), t=Sum("transfer"),
                          c=Sum("production_cost"), m=Sum("members_counted"))
    return (Decimal(str(a["w"] + a["p"] + a["r"] + a["t"] - a["c"])).quantize(Decimal("0.01")), a["m"])


def with_labour(prefix):
    return Member.objects.filter(region_path__startswith=prefix, active=True, labour_skill__in=LABOUR) \
        .values("household_id")


@pytest.fixture
def small_demo(db):
    make_villages(debao=6, shanwei=(2, 2, 1, 3))
    counts = build_households(today=TODAY, areas=[small(DEBAO, 400, 1540), small(SHANWEI, 300, 1290, ordinary=40)])
    return counts


def test_seed_targets_are_the_defaults():
    assert SEED_AREAS == (DEBAO, SHANWEI)
    assert (DEBAO.prefix, DEBAO.households, DEBAO.members, DEBAO.ordinary) == ("450000/451000/451024/", 26576,
                                                                               102207, 0)
    assert DEBAO.basis == "all" and DEBAO.per_capita == {2020: Decimal("12364.00"), 2015: Decimal("7833.25")}
    assert (DEBAO.per_capita[2020] / DEBAO.per_capita[2015] - 1).quantize(Decimal("0.0001")) == Decimal("0.5784")
    assert (SHANWEI.prefix, SHANWEI.households, SHANWEI.members) == ("440000/441500/", 16354, 70021)
    assert SHANWEI.basis == "labour" and SHANWEI.per_capita == {2020: Decimal("15522.00"), 2015: Decimal("4000.00")}
    assert SHANWEI.per_capita[2020] - SHANWEI.per_capita[2015] == 11522


def test_small_build_counts_and_income_figures(small_demo):
    assert small_demo["areas"]["debao"]["households"] == 400
    assert small_demo["areas"]["shanwei"]["lifted_households"] == 300
    debao = Household.objects.filter(region_path__startswith=DEBAO.prefix)
    assert debao.count() == 400 and set(debao.values_list("household_type", flat=True)) == {"lifted"}
    assert Member.objects.filter(region_path__startswith=DEBAO.prefix, active=True).count() == 1540
    shanwei = Household.objects.filter(region_path__startswith=SHANWEI.prefix)
    assert shanwei.filter(household_type="lifted").count() == 300
    assert Member.objects.filter(household__in=shanwei.filter(household_type="lifted")).count() == 1290
    assert shanwei.filter(household_type="ordinary").count() == 40
    # Only poor villages hold households.
    assert not Household.objects.filter(village__is_poor_village=False).exists()

    for year, target in DEBAO.per_capita.items():
        net, counted = net_sum(Income.objects.filter(region_path__startswith=DEBAO.prefix, year=year))
        assert net == target * counted, year
    assert net_sum(Income.objects.filter(region_path__startswith=DEBAO.prefix, year=2020))[1] == 1540
    for year, target in SHANWEI.per_capita.items():
        net, counted = net_sum(Income.objects.filter(household__in=with_labour(SHANWEI.prefix), year=year))
        assert net == target * counted, year
    # The ordinary households have no labour, so "households with labour" means the same with or without them.
    assert not with_labour(SHANWEI.prefix).filter(household__household_type="ordinary").exists()


def test_small_build_rows_are_consistent(small_demo):
    households = Household.objects.annotate(n=Count("members", filter=Q(members__active=True)))
    assert not households.exclude(n=F("size")).exists()
    heads = Member.objects.filter(relation="head", active=True)
    assert heads.count() == Household.objects.count()
    assert not heads.values("household").annotate(n=Count("id")).filter(n__gt=1).exists()
    for h in Household.objects.select_related("village"):
        assert (h.county_code, h.region_path) == (h.village.county_code, h.village.path)
    assert not Member.objects.exclude(region_path=F("household__region_path")).exists()
    assert set(Household.objects.values_list("head_name", flat=True)) == set(heads.values_list("name", flat=True))
    from bangfu.core.values import name_initials  # as the registry computes them for search

    assert all(initials == name_initials(name) for name, initials in Member.objects.values_list("name",
                                                                                                "name_initials"))

    numbers = list(Member.objects.values_list("id_number", "birth_date", "sex", "county_code", "relation",
                                              "household_id"))
    assert len({n[0] for n in numbers}) == len(numbers)
    birth = {}
    for number, born, sex, county, relation, household in numbers:
        facts = parse_resident_id(number)  # check digit, birth date, known division code
        assert (facts["birth_date"], facts["sex"], facts["division"]) == (born, sex, county)
        assert born <= date(2020, 12, 31)
        birth.setdefault(household, {}).setdefault(relation, []).append(born)
    for family in birth.values():
        head = family["head"][0]
        assert (TODAY - head).days >= 18 * 365
        assert all(child > head for child in family.get("child", []) + family.get("grandchild", []))
        assert all(parent < head for parent in family.get("parent", []))
        for spouse in family.get("spouse", []):
            assert (TODAY - spouse).days >= 20 * 365
    # Consistency rules of DOMAIN.md §4.
    assert not Member.objects.exclude(schooling="none").exclude(labour_skill="none").exists()
    young = date(TODAY.year - 20, TODAY.month, TODAY.day)
    assert not Member.objects.filter(Q(education="postgraduate") | Q(schooling="postgraduate"),
                                     birth_date__gt=young).exists()
    assert not Member.objects.exclude(labour_skill__in=LABOUR).exclude(employment_channel="").exists()

    assert Income.objects.count() == 3 * Household.objects.count()
    assert set(Income.objects.values_list("year", flat=True)) == {2015, 2019, 2020}
    for income in Income.objects.filter(year=2020):
        stored = income.per_capita
        income.compute_per_capita()
        assert income.per_capita == Decimal(str(stored)).quantize(Decimal("0.01"))
    assert Conditions.objects.filter(year=2020).count() == Household.objects.count()
    for year in range(2020, 2027):
        assert set(MonitoringLine.objects.filter(year=year).values_list("province_code", flat=True)) == {
            "450000", "440000"}


def test_small_build_monitoring_cases(small_demo):
    stages = Counter(Clue.objects.filter(purpose="identify").values_list("candidate_category", "stage"))
    for category in ("unstable", "sudden", "marginal"):
        for stage in Stage.values:
            assert stages[(category, stage)] >= 1, (category, stage)
    assert Clue.objects.filter(purpose="eliminate", stage="approved").exists()
    assert Clue.objects.filter(purpose="eliminate", is_open=True).exists()
    # Every clue's history starts at "clue" and ends at its stage; publicity dates once publicised.
    for clue in Clue.objects.prefetch_related("transitions"):
        steps = list(clue.transitions.all())
        assert steps[0].from_stage == "" and steps[0].to_stage == "clue" and steps[-1].to_stage == clue.stage
        assert all(a.to_stage == b.from_stage for a, b in zip(steps, steps[1:], strict=False))
        assert clue.is_open == (clue.stage not in ("approved", "rejected"))
        publicised = any(s.to_stage == "publicised" for s in steps)
        assert (clue.publicity_start is not None) == publicised
        assert clue.reasons and all(r["code"] and r["text"] for r in clue.reasons)
    monitored = Household.objects.filter(risk_status="monitored")
    assert set(monitored.values_list("monitoring_category", flat=True)) == {"unstable", "marginal", "sudden"}
    assert not monitored.exclude(clues__purpose="identify", clues__stage="approved").exists()
    active = Measure.objects.filter(Q(end__isnull=True) | Q(end__gte=TODAY)).values("household_id")
    assert monitored.filter(id__in=active).exists() and monitored.exclude(id__in=active).exists()
    assert Household.objects.filter(risk_status="eliminated").exists()
    assert Visit.objects.exists()
    assert Transition.objects.filter(actor__isnull=True).count() == Transition.objects.count()
    # Some households at risk are left for screening to find.
    from bangfu.households.screening import screen

    assert screen(region="451024", today=TODAY)["clues_opened"] > 0


def test_build_refuses_twice_and_without_villages(small_demo, db):
    with pytest.raises(RuntimeError, match="has households already"):
        build_households(today=TODAY, areas=[small(DEBAO, 10, 40)])
    with pytest.raises(RuntimeError, match="No poor villages"):
        build_households(today=TODAY, areas=[Area("x", "都安", "450000/451200/451228/", 10, 40)])
    with pytest.raises(ValueError):
        build_households(scale="huge")


def test_seed_scale_exact(db):
    """The seed figures, once, at full seed size (about 15-25 s)."""
    make_villages()
    counts = build_households(today=TODAY)
    assert counts["areas"]["debao"]["households"] == 26576
    assert Household.objects.filter(region_path__startswith="450000/451000/451024/").count() == 26576
    assert Member.objects.filter(region_path__startswith="450000/451000/451024/", active=True).count() == 102207
    assert Household.objects.filter(region_path__startswith=DEBAO.prefix).exclude(household_type="lifted").count() == 0
    lifted = Household.objects.filter(region_path__startswith=SHANWEI.prefix, household_type="lifted")
    assert lifted.count() == 16354
    assert Member.objects.filter(household__in=lifted, active=True).count() == 70021
    net, counted = net_sum(Income.objects.filter(region_path__startswith=DEBAO.prefix, year=2020))
    assert (net, counted) == (Decimal("12364") * 102207, 102207)
    net, counted = net_sum(Income.objects.filter(region_path__startswith=DEBAO.prefix, year=2015))
    assert net == Decimal("7833.25") * counted
    for year, target in SHANWEI.per_capita.items():
        net, counted = net_sum(Income.objects.filter(household__in=with_labour(SHANWEI.prefix), year=year))
        assert net == target * counted
    within = Income.objects.filter(region_path__startswith=DEBAO.prefix, year=2020, per_capita__lte=4000).count()
    assert 0.01 < within / 26576 < 0.06  # a realistic minority within the line


def test_remove_households_then_rebuild(small_demo):
    from bangfu.demo.households import remove_households

    removed = remove_households()
    assert removed["households"] == 740 and removed["members"] > 0 and removed["clues"] > 0
    for model in (Household, Member, Income, Conditions, Clue, Transition, Measure, Visit):
        assert not model.objects.exists(), model
    synthetic = Region.objects.filter(synthetic=True)  # nothing protects the villages any more
    synthetic.filter(parent__synthetic=True).update(parent=None)
    synthetic.delete()
    make_villages(debao=2, shanwei=(1, 1, 1, 1))
    counts = build_households(today=TODAY, areas=[small(DEBAO, 100, 390)], seed=7)
    assert counts["households"] == 100
