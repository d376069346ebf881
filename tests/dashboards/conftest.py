"""The dashboards' world: the UI tests' regions, pairings and accounts (tests/core/conftest.py UIWorld), a few
households with incomes in 德保 and 汕尾, and the facts computed from them (core.facts.rebuild)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from bangfu.core import facts
from bangfu.core.identity import check_char
from bangfu.core.values import name_initials
from bangfu.households.models import Household, Income, Member
from bangfu.regions.models import Region
from tests.conftest import make_region
from tests.core.conftest import UIWorld, user

TODAY = timezone.localdate()
LAST = TODAY.year - 1  # the latest year with incomes: the dashboards' default year
BEFORE = TODAY.year - 2


def household(number, village, per_capita: dict, serial: int, people=2, **fields) -> Household:
    """A household of `people` members, with a net income of per_capita × people in each year given."""
    hh = Household.objects.create(number=number, village=village, household_type=fields.pop("household_type", "lifted"),
                                  county_code=village.county_code, region_path=village.path, head_name="黄德明",
                                  size=people, phone="13907761234", **fields)
    for i in range(people):
        first = f"{village.county_code}19800101{serial * 10 + i:03d}"
        Member.objects.create(household=hh, county_code=hh.county_code, region_path=hh.region_path,
                              name=f"成员{i}", name_initials=name_initials(f"成员{i}"),
                              id_number=first + check_char(first),
                              relation="head" if i == 0 else "child", sex="male", birth_date=date(1980, 1, 1),
                              education="junior", labour_skill="ordinary")
    for year, amount in per_capita.items():
        Income.objects.create(household=hh, county_code=hh.county_code, region_path=hh.region_path, year=year,
                              wage=Decimal(amount) * people, members_counted=people, per_capita=Decimal(amount))
    return hh


class DashWorld(UIWorld):
    """德保: three households in 城关镇 (two in 那温村, one monitored; one in 大旺村), per-capita income 12,000 two
    years ago and 8,500 last year; 汕尾: one household in 新饶村. 隆桑镇 (a township of 德保) has no records."""

    def __init__(self, password=None):
        super().__init__(password=password)
        self.empty_township = make_region("451024101000", "隆桑镇", "451024", "township")
        self.households = [
            household("4510241002010001", self.village, {BEFORE: 12000, LAST: 9000}, 1),
            household("4510241002010002", self.village, {BEFORE: 12000, LAST: 6500}, 2, risk_status="monitored",
                      monitoring_category="unstable"),
            household("4510241002020001", self.village2, {BEFORE: 12000, LAST: 10000}, 3),
            household("4415811002010001", self.sw_village, {BEFORE: 7000, LAST: 8000}, 4),
        ]
        self.users["township"] = user("xiangzhen", "township", password,
                                      region=Region.objects.get(code="451024101000"))
        facts.rebuild()


@pytest.fixture
def dash_world(db):
    return DashWorld()


@pytest.fixture
def web_as(dash_world, client):
    def login(username):
        client.force_login(dash_world.users[username], backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


# The browser tests' fixtures (Chromium through Playwright), as the core's UI tests have them.
from tests.core.conftest import Session, browser, ui_password  # noqa: E402, F401


@pytest.fixture
def live_dash(live_server, ui_password):  # noqa: F811
    return DashWorld(password=ui_password)


@pytest.fixture
def screen(browser, live_server, ui_password):  # noqa: F811
    """A browser page at 1366×768, the smallest screen the dashboards are laid out for; with reduced motion, so that
    charts are drawn at once where a click finds them."""
    s = Session(browser, live_server, ui_password)
    s.page.set_viewport_size({"width": 1366, "height": 768})
    s.page.emulate_media(reduced_motion="reduce")
    yield s
    s.context.close()
