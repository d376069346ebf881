"""Fixtures of the household tests: a small registry (hw) and web clients, the workflow's cadres."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from bangfu.core.identity import check_char
from bangfu.core.values import name_initials
from bangfu.households.models import (
    Clue,
    Conditions,
    Household,
    Income,
    Measure,
    Member,
    MonitoringLine,
    Transition,
    Visit,
)
from bangfu.regions.models import Region
from tests.conftest import make_user

TODAY = timezone.localdate()


def id_number(serial: int, county="451024", birth="19800101") -> str:
    first = f"{county}{birth}{serial:03d}"
    return first + check_char(first)


def household(number, village, name="黄德明", serial=1, per_capita="9000", labour="ordinary", **fields):
    hh = Household.objects.create(number=number, village=village, household_type=fields.pop("household_type", "lifted"),
                                  county_code=village.county_code, region_path=village.path, head_name=name,
                                  size=2, phone="13907761234", **fields)
    for i, (who, relation) in enumerate(((name, "head"), ("农秀英", "spouse"))):
        Member.objects.create(household=hh, county_code=hh.county_code, region_path=hh.region_path, name=who,
                              name_initials=name_initials(who),
                              id_number=id_number(serial * 10 + i, village.county_code),
                              relation=relation, sex="male" if i == 0 else "female", birth_date=date(1980, 1, 1),
                              education="junior", labour_skill=labour, phone="1390776" + f"{serial:04d}")
    for year, amount in ((TODAY.year - 2, Decimal("12000")), (TODAY.year - 1, Decimal(per_capita))):
        Income.objects.create(household=hh, county_code=hh.county_code, region_path=hh.region_path, year=year,
                              wage=amount * 2, members_counted=2, per_capita=amount)
    Conditions.objects.create(household=hh, county_code=hh.county_code, region_path=hh.region_path,
                              year=TODAY.year - 1, housing_grade="C", water_quality=False, evidence="危房鉴定")
    return hh


@pytest.fixture
def hw(world):
    """德保: a village cadre, a township cadre, the county user; a household with a clue, a monitored one with a
    measure; 汕尾: one household with a clue."""
    township = Region.objects.get(code="451024100000")
    MonitoringLine.objects.create(province_code="450000", year=TODAY.year - 1, amount=Decimal("7000"))
    MonitoringLine.objects.create(province_code="450000", year=TODAY.year, amount=Decimal("7200"))
    hh = household("4510241002010001", world.village, per_capita="6500")
    monitored = household("4510241002010002", world.village, name="韦志强", serial=2, per_capita="9000",
                          risk_status="monitored", monitoring_category="unstable")
    Measure.objects.create(household=monitored, county_code=monitored.county_code, region_path=monitored.region_path,
                           kind="industry", description="发展砂糖橘种植", responsible_unit="城关镇农业站",
                           responsible_person="李干部", start=date(TODAY.year - 1, 3, 1))
    Visit.objects.create(household=monitored, county_code=monitored.county_code, region_path=monitored.region_path,
                         visited_on=TODAY - timedelta(days=10), visitor="李干部", notes="入户走访，收入稳定")
    sw = household("4415811002010001", world.sw_village, name="陈海生", serial=3)
    clues = {}
    for key, h in (("debao", hh), ("shanwei", sw)):
        clues[key] = Clue.objects.create(household=h, county_code=h.county_code, region_path=h.region_path,
                                         source="screening", candidate_category="unstable",
                                         reasons=[{"code": "low_income", "text": "人均纯收入 6,500.00 元，低于监测线"}],
                                         deadline=TODAY + timedelta(days=15))
        Transition.objects.create(clue=clues[key], county_code=h.county_code, region_path=h.region_path,
                                  to_stage="clue", reason="筛查")
    return {
        "hh": hh, "monitored": monitored, "sw": sw, "clue": clues["debao"], "sw_clue": clues["shanwei"],
        "village": make_user("cunganbu", "village", region=world.village),
        "township": make_user("xiangzhen", "township", region=township),
    }


@pytest.fixture
def web(world, hw):
    def login(username):
        user = hw[username] if username in ("village", "township") else world.users[username]
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def text(response) -> str:
    return response.content.decode()


# --- the monitoring workflow's cadres and households ---------------------------------------------------------------

WORKFLOW_TODAY = date(2026, 11, 20)  # the workflow tests' today


def workflow_id_number(serial: int, birth="19800101", male=True) -> str:
    first = f"451024{birth}{serial:02d}{1 if male else 2}"
    return first + check_char(first)


def make_household(number, village, labour="ordinary", per_capita=Decimal("9000")):
    hh = Household.objects.create(number=number, village=village, household_type="lifted",
                                  county_code=village.county_code, region_path=village.path, head_name="黄某",
                                  size=1)
    Member.objects.create(household=hh, county_code=hh.county_code, region_path=hh.region_path, name="黄某",
                          id_number=workflow_id_number(int(number[-2:])), relation="head", sex="male",
                          birth_date=date(1980, 1, 1), education="junior", labour_skill=labour)
    Income.objects.create(household=hh, county_code=hh.county_code, region_path=hh.region_path,
                          year=WORKFLOW_TODAY.year - 1, wage=per_capita, members_counted=1, per_capita=per_capita)
    Conditions.objects.create(household=hh, county_code=hh.county_code, region_path=hh.region_path,
                              year=WORKFLOW_TODAY.year - 1, housing_grade="B")
    return hh


@pytest.fixture
def cadres(world):
    village = world.village
    township = Region.objects.get(code="451024100000")
    MonitoringLine.objects.create(province_code="450000", year=WORKFLOW_TODAY.year - 1, amount=Decimal("7000"))
    MonitoringLine.objects.create(province_code="450000", year=WORKFLOW_TODAY.year, amount=Decimal("7200"))
    return {
        "village": make_user("cunganbu", "village", region=village),
        "township": make_user("xiangzhen", "township", region=township),
        "county": world.users["debao"],
        "helper": world.users["nanshan"],
        "household": make_household("4510240001", village),
        "nolabour": make_household("4510240002", village, labour="none"),
    }
