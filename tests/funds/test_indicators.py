"""The funds and projects indicators (core.indicators): computed live they equal the facts (core.facts) for every
region of the world, for a helper organisation, its parent and no helper, by year and in all; writes through the
services bring the facts up to date; and the figures are those of the records.

The world: 南山 → 德保 (the funds conftest's chain of 2020, and a 2019 one to a township), 南山's street → 那温村
(money and a project of its own, so that a household gains from the projects of two helpers under 南山), 深圳市 →
汕尾市 (a prefecture: its budget sits above the county paid), 德保 a national key county from 2020.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from bangfu.core.facts import read, rebuild, refresh_stale
from bangfu.core.indicators import ALL, helper, indicator, live
from bangfu.core.models import StaleFacts
from bangfu.core.scope import collapse
from bangfu.funds import services
from bangfu.funds.models import KeyCounty
from bangfu.households.models import Household
from bangfu.projects import services as project_services
from bangfu.regions.models import Region
from tests.funds.conftest import walk, walk_from
from tests.live_and_facts import assert_live_equals_facts, codes_of, regions_with

CODES = codes_of("funds", "projects")
PERIODS = [ALL, "2019", "2020", "2021"]
D = Decimal


def _households(world, n):
    return [Household.objects.create(number=f"I{i:04d}", village=world.village, household_type="lifted",
                                     county_code="451024", region_path=world.village.path, size=3).pk
            for i in range(n)]


@pytest.fixture
def money(chain, world):
    u = world.users
    nanshan, sz, debao, shanwei = u["nanshan"], u["sz"], u["debao"], u["shanwei"]
    KeyCounty.objects.create(region_id="451024", since=2020)
    # 2019: 南山 → 德保, 400万 to 城关镇, 300万 of it on to 大旺村's tea, 200万 spent.
    services.record_source(nanshan, pairing=world.p_debao, kind="fiscal", level="district", year=2019,
                           amount="5000000", received_on=date(2019, 3, 1))
    budget = services.create_budget(nanshan, pairing=world.p_debao, year=2019, amount="5000000",
                                    approved_on=date(2019, 2, 1))
    to_township = services.disburse_to_region(nanshan, budget=budget, amount="4000000", paid_on=date(2019, 4, 1),
                                              region=world.township)
    tea = project_services.apply(debao, name="大旺村茶叶基地", category="industry", year=2019, region=world.village2,
                                 pairing=world.p_debao, planned_amount="3000000")
    tea = walk(tea, debao, "approved")
    services.disburse_to_project(nanshan, parent=to_township, project=tea, amount="3000000", paid_on=date(2019, 5, 1))
    tea = walk_from(tea, debao, ["funded", "implementing"])
    services.spend(debao, project=tea, amount="2000000", paid_on=date(2019, 8, 1))
    # 2020: 南山's street → 那温村, 100万 of donations, 80万 to a breeding project, 30万 spent.
    services.record_source(nanshan, pairing=world.p_village, kind="social_cash", year=2020, amount="1000000",
                           received_on=date(2020, 3, 1), donor="街道商会")
    budget = services.create_budget(nanshan, pairing=world.p_village, year=2020, amount="1000000",
                                    approved_on=date(2020, 3, 2))
    to_village = services.disburse_to_region(nanshan, budget=budget, amount="1000000", paid_on=date(2020, 3, 10))
    breeding = project_services.apply(debao, name="那温村养殖场", category="industry", year=2020, region=world.village,
                                      pairing=world.p_village, planned_amount="800000")
    breeding = walk(breeding, debao, "approved")
    services.disburse_to_project(nanshan, parent=to_village, project=breeding, amount="800000",
                                 paid_on=date(2020, 4, 1))
    breeding = walk_from(breeding, debao, ["funded", "implementing"])
    services.spend(debao, project=breeding, amount="300000", paid_on=date(2020, 6, 1))
    # 2020: 深圳市 → 汕尾市 (a prefecture), 200万 of 300万 to 陆丰市, 150万 on to 新饶村's housing, 50万 spent.
    services.record_source(sz, pairing=world.p_shanwei, kind="fiscal", level="city", year=2020, amount="3000000",
                           received_on=date(2020, 2, 1))
    sw_budget = services.create_budget(sz, pairing=world.p_shanwei, year=2020, amount="3000000",
                                       approved_on=date(2020, 2, 2))
    lufeng = Region.objects.get(code="441581")
    to_lufeng = services.disburse_to_region(sz, budget=sw_budget, amount="2000000", paid_on=date(2020, 3, 1),
                                            region=lufeng)
    housing = project_services.apply(shanwei, name="新饶村危房改造", category="housing", year=2020,
                                     region=world.sw_village, pairing=world.p_shanwei, planned_amount="1500000")
    housing = walk(housing, shanwei, "approved")
    services.disburse_to_project(sz, parent=to_lufeng, project=housing, amount="1500000", paid_on=date(2020, 4, 1))
    housing = walk_from(housing, shanwei, ["funded", "implementing"])
    services.spend(shanwei, project=housing, amount="500000", paid_on=date(2020, 7, 1))
    # Projects that only wait, or were turned down; a refund of 50万 from 德保's 2020 disbursement.
    project_services.apply(debao, name="大旺村小学修缮", category="education", year=2020, region=world.village2,
                           pairing=world.p_debao)
    turned_down = project_services.apply(debao, name="那温村广场", category="other", year=2020, region=world.village,
                                         pairing=world.p_debao)
    project_services.transition(debao, turned_down, "rejected")
    services.adjust(nanshan, chain["to_county"], delta="-500000", on=date(2020, 9, 1), reason="结余退回",
                    kind="refund")
    # Households: the second gains from 南山's road and from the street's breeding.
    h1, h2, h3 = _households(world, 3)
    project_services.link_beneficiaries(debao, chain["project"], year=2020, gain="wages", household_ids=[h1, h2])
    project_services.link_beneficiaries(debao, breeding, year=2020, gain="wages", household_ids=[h2, h3])
    project_services.link_beneficiaries(debao, tea, year=2019, gain="wages", household_ids=[h1])
    return {"sw_budget": sw_budget, "to_lufeng": to_lufeng, "housing": housing, "tea": tea, "lufeng": lufeng,
            "households": (h1, h2, h3), **chain}


def _regions():
    from bangfu.funds.models import Budget, Disbursement, SourceTotal
    from bangfu.projects.models import Beneficiary, Project

    paths = set()
    for model in (SourceTotal, Budget, Disbursement, Project, Beneficiary):
        paths |= set(model.objects.values_list("region_path", flat=True))
    return regions_with(paths)


def _sides(world):
    return [None, helper(world.nanshan.path), helper(world.sz.path)]


def test_live_equals_the_facts_everywhere(money, world):
    rebuild(CODES)
    compared, nonzero = assert_live_equals_facts(CODES, _regions(), PERIODS, _sides(world))
    assert compared > 5000 and nonzero > 500


def value(code, region_code, side=None, period=ALL):
    path = Region.objects.get(code=region_code).path if region_code else ""
    return live(code, path, helper(side.path) if side else None, period)


def test_the_figures_are_those_of_the_records(money, world):
    nanshan, street, sz = world.nanshan, world.street, world.sz
    assert value("funds.fiscal", "451024", period="2020") == D("10000000.00")
    assert value("funds.fiscal", "451024") == D("15000000.00")
    assert value("funds.social", "451024", period="2020") == D("3500000.00")
    assert value("funds.social", "451024", street, "2020") == D("1000000.00")  # the street's own
    assert value("funds.budgeted", "", sz, "2020") == D("16000000.00")
    # The refund of 50万 comes off what 德保 was disbursed; 汕尾's budget is the prefecture's, not 陆丰's.
    assert value("funds.disbursed", "451024", nanshan, "2020") == D("10500000.00")
    assert value("funds.disbursed", "441500", sz) == D("2000000.00")
    assert value("funds.disbursed", "441581", sz) == D("0.00")
    assert value("funds.to_regions", "441581") == D("2000000.00")
    assert value("funds.to_projects", "") == D("11300000.00")
    assert value("funds.spent", "", sz) == D("3800000.00")
    assert value("funds.unspent", "", sz) == D("7500000.00")
    assert value("funds.to_category_industry", "451024", nanshan) == D("3800000.00")
    assert value("funds.to_category_housing", "441500") == D("1500000.00")
    # Tilt shares: industry 80万 of 2020's 830万 to projects; key counties (德保 from 2020) 1,050万 of 1,250万.
    assert value("funds.industry_share", "", sz, "2020") == D("9.64")
    assert value("funds.key_county_share", "", sz, "2020") == D("84.00")
    assert value("funds.key_county_share", "", sz, "2019") == D("0.00")
    assert value("funds.livelihood_share", "451024", None, "2021") is None  # nothing to divide by
    assert value("projects.count", "451024") == D("5.00")
    assert value("projects.state_implementing", "") == D("4.00")
    assert value("projects.state_rejected", "451024", nanshan) == D("1.00")
    assert value("projects.category_industry", "451024", street) == D("1.00")
    # The second household gains from 南山's and from its street's projects: one household for 南山, not two.
    assert value("projects.beneficiary_households", "451024", street) == D("2.00")
    assert value("projects.beneficiary_households", "451024", nanshan, "2020") == D("3.00")
    assert value("projects.beneficiary_households", "451024", sz) == D("3.00")


def test_the_summary_is_a_view_over_the_indicators(money, world, api_as):
    status, body = api_as("sz").get("/api/v1/funds/summary?helper=440300&year=2020")
    assert status == 200
    assert body == {"fiscal": "13000000.00", "social": "3500000.00", "budgeted": "16000000.00",
                    "disbursed": "12500000.00", "spent": "1800000.00", "projects": 5, "beneficiary_households": 3}
    rebuild(CODES)
    region, side = "", helper(world.sz.path)
    stored = read([f"funds.{n}" for n in ("fiscal", "social", "budgeted", "disbursed", "spent")]
                  + ["projects.count", "projects.beneficiary_households"], [region], ["2020"], side)
    assert [str(v) for v in stored.values()] == ["13000000.00", "3500000.00", "16000000.00", "12500000.00",
                                                  "1800000.00", "5.00", "3.00"]


def test_writes_through_the_services_bring_the_facts_up_to_date(money, world, django_capture_on_commit_callbacks):
    rebuild(CODES)
    u = world.users
    regions, sides = _regions(), _sides(world)
    sz, lufeng = world.sz, "441500"
    with django_capture_on_commit_callbacks(execute=True):
        services.disburse_to_region(u["sz"], budget=money["sw_budget"], amount="500000", paid_on=date(2020, 10, 1),
                                    region=money["lufeng"])
        services.spend(u["shanwei"], project=money["housing"], amount="200000", paid_on=date(2020, 10, 2))
        project_services.transition(u["shanwei"], money["housing"], "completed")
        project_services.link_beneficiaries(u["debao"], money["tea"], year=2019, gain="dividend",
                                            household_ids=list(money["households"]))
    touched = sorted(collapse(StaleFacts.objects.values_list("region_path", flat=True)))
    assert touched == sorted(Region.objects.get(code=c).path for c in ("441500", "451024"))  # 汕尾's budget too
    assert value("funds.disbursed", lufeng, sz) == D("2500000.00")
    assert read_one("funds.disbursed", lufeng, sz) == D("2000000.00")  # not yet refreshed
    assert sorted(refresh_stale()) == touched
    assert not StaleFacts.objects.exists()
    assert read_one("funds.disbursed", lufeng, sz) == D("2500000.00")
    assert read_one("funds.spent", "", sz, "2020") == D("2000000.00")
    assert read_one("projects.state_completed", "", None, "2020") == D("1.00")
    assert read_one("projects.beneficiary_households", "451024", None, "2019") == D("3.00")
    assert_live_equals_facts(CODES, regions, PERIODS, sides)


def read_one(code, region_code, side=None, period=ALL):
    path = Region.objects.get(code=region_code).path if region_code else ""
    return read([code], [path], [period], helper(side.path) if side else None)[code, path, period]


def test_every_list_behind_a_figure_opens_filtered(money, world):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world.users["nanshan"])
    with_records = [code for code in CODES if indicator(code).records]
    assert "funds.disbursed" in with_records and "projects.state_funded" in with_records
    for code in with_records:
        url = indicator(code).records("451024", 2020)
        assert "recipient=451024" in url and "year=2020" in url, url
        assert client.get(url).status_code == 200, url
    budgets = client.get(indicator("funds.disbursed").records("451024", 2020)).content.decode()
    assert "12,000,000.00 元" in budgets and "5,000,000.00 元" not in budgets  # 2020's budget, not 2019's
