"""Fixtures of the labour tests: members to register and a small labour world."""

from datetime import date

import pytest

from bangfu.core.identity import check_char
from bangfu.households.models import Household, Member
from bangfu.labor import services
from bangfu.labor.models import (
    Intention,
    Skill,
)
from tests.conftest import make_org


def add_member(village, serial, birth=date(1990, 5, 1), skill="ordinary", household_type="lifted", **extra):
    household = Household.objects.create(number=f"L{village.code}{serial}", village=village,
                                         household_type=household_type, county_code=village.county_code,
                                         region_path=village.path, head_name="测试", size=1)
    return Member.objects.create(household=household, county_code=village.county_code, region_path=village.path,
                                 name=f"劳动力{serial}", id_number=resident_id(village.county_code, birth, serial),
                                 relation="head", sex="male", birth_date=birth, education="junior",
                                 labour_skill=skill, phone="13800138000", **extra)


@pytest.fixture
def labor(world):
    debao = world.users["debao"]
    members = [add_member(world.village, i) for i in range(1, 4)]
    laborers = [services.register(debao, m, skill_mask=Skill.ELECTRICIAN, intention=Intention.HELPER_CITY,
                                  on=date(2019, 1, 2)) for m in members]
    employer = make_org("深圳某电子有限公司", "enterprise", "helper", "440305", world.nanshan,
                        credit_code="91440300MA5DM0015P")
    world.employer = employer
    world.laborers = laborers
    return world


def resident_id(county: str, birth: date, serial: int) -> str:
    first = f"{county}{birth:%Y%m%d}{serial:03d}"
    return first + check_char(first)
