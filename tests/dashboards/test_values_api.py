"""The indicators in the API: the catalogue; values for a region, a helper, a helper's side of a region; periods and
breakdowns; scope (out of scope is 404, a helper sees his own side); bad input is 422 naming the parameter."""

from decimal import Decimal

import pytest

from bangfu.core import facts
from bangfu.core.indicators import AGGREGATIONS, catalogue, helper, live
from bangfu.regions.models import Organisation, Region
from tests.households.conftest import TODAY, hw  # noqa: F401 (the households' world, as a fixture here)

pytestmark = pytest.mark.django_db
LAST = TODAY.year - 1


@pytest.fixture
def built(world, hw):  # noqa: F811
    facts.rebuild()
    return world


def values(api_as, username, query):
    status, body = api_as(username).get(f"/api/v1/indicators/values?{query}")
    if status == 200:
        assert body["count"] == len(body["items"])
    return status, body


def test_the_catalogue_names_every_indicator(built, api_as):
    status, body = api_as("debao").get("/api/v1/indicators")
    assert status == 200 and body["count"] == len(catalogue()) == len(body["items"])
    by_code = {i["code"]: i for i in body["items"]}
    income = by_code["households.per_capita_income"]
    assert income == {"code": "households.per_capita_income", "name": "人均纯收入", "name_en": "Per-capita net income",
                      "unit": "元", "direction": "up", "aggregation": "weighted_average", "grain": "village/year",
                      "parts": ["households.net_income", "households.income_people"]}
    assert {i["aggregation"] for i in body["items"]} <= set(AGGREGATIONS)
    assert by_code["households.overdue_cases"]["direction"] == "down"


def test_a_region_s_values_are_its_records(built, api_as):
    status, body = values(api_as, "debao", f"code=households.per_capita_income,households.registered&region=451024"
                                           f"&year={LAST}")
    assert status == 200
    got = {i["code"]: i for i in body["items"]}
    # Two households of 德保 with two people each: 9,000 and 6,500 yuan per head last year.
    assert got["households.per_capita_income"] == {"code": "households.per_capita_income", "region": "451024",
                                                   "helper": None, "period": str(LAST), "value": "7750.00",
                                                   "own_level": False}
    assert got["households.registered"]["value"] is None  # households record no date: no figure by year
    status, body = values(api_as, "debao", "code=households.registered&region=451024")
    assert body["items"][0]["value"] == "2.00" and body["items"][0]["period"] == "all"


def test_values_by_child_year_and_month(built, api_as):
    status, body = values(api_as, "debao", "code=households.registered&region=451024100000&by=child")
    assert status == 200
    assert {i["region"]: i["value"] for i in body["items"] if not i["own_level"]} == {"451024100201": "2.00",
                                                                                      "451024100202": "0.00"}
    assert [(i["region"], i["value"]) for i in body["items"] if i["own_level"]] == [("451024100000", "0.00")]
    status, body = values(api_as, "debao", f"code=households.net_income&region=451024&from={LAST - 1}&to={LAST}")
    assert [(i["period"], i["value"]) for i in body["items"]] == [(str(LAST - 1), "48000.00"),
                                                                  (str(LAST), "31000.00")]
    status, body = values(api_as, "debao", f"code=households.cases_closed&region=451024&by=month&year={LAST}")
    assert status == 200 and [i["period"] for i in body["items"]][:2] == [f"{LAST}-01", f"{LAST}-02"]


def test_out_of_scope_regions_and_helpers_are_not_found(built, api_as):
    assert values(api_as, "debao", "code=households.registered&region=441500")[0] == 404
    assert values(api_as, "debao", "code=households.registered&region=440000")[0] == 404
    assert values(api_as, "debao", "code=households.registered&helper=440305")[0] == 404
    assert values(api_as, "shanwei", "code=households.registered&region=451024")[0] == 404
    assert values(api_as, "nanshan", "code=households.registered&helper=440300")[0] == 404  # his superior
    assert values(api_as, "nanshan", "code=households.registered&region=441500")[0] == 404  # not his place
    assert values(api_as, "sz", "code=households.registered&helper=440305")[0] == 200  # his district


def test_a_helper_sees_his_side_of_a_region_above_his_places(built, api_as):
    status, body = values(api_as, "nanshan", "code=households.registered&region=450000")
    assert status == 200 and body["items"][0]["helper"] == "440305"
    assert body["items"][0]["value"] == "2.00"  # 德保's households, not the rest of 广西
    nanshan = Organisation.objects.get(region_id="440305", represents_region=True)
    path = Region.objects.get(code="450000").path
    assert Decimal(body["items"][0]["value"]) == live("households.registered", path, helper(nanshan.path))
    # The coordination office's own side: every place Shenzhen helps (德保 through 南山区, 汕尾 itself).
    status, body = values(api_as, "sz", "code=households.registered&helper=440300")
    assert body["items"][0]["value"] == "3.00"
    status, body = values(api_as, "sz", "code=households.registered&helper=440300&by=child")
    assert {i["region"]: i["value"] for i in body["items"]}["451024"] == "2.00"


@pytest.mark.parametrize("query, field", [
    ("code=", "code"), ("code=nope", "code"), ("code=households.registered&by=week", "by"),
    ("code=households.registered&year=2020&from=2019", "year"),
    ("code=households.registered&from=2021&to=2020", "from"),
    ("code=households.registered&year=1800", "year"),
])
def test_bad_input_is_refused_naming_the_parameter(built, api_as, query, field):
    status, body = values(api_as, "admin", query)
    assert status == 422 and field in body["errors"], body


def test_children_and_the_own_level_add_up_to_the_region(built, api_as):
    """A pairing with 德保县 as a whole lies in none of its townships: the own level (本级) holds it."""
    for code in ("pairing.pairings", "households.registered"):
        status, whole = values(api_as, "debao", f"code={code}&region=451024")
        status, parts = values(api_as, "debao", f"code={code}&region=451024&by=child")
        own = [i for i in parts["items"] if i["own_level"]]
        assert len(own) == 1 and own[0]["region"] == "451024"
        assert sum(Decimal(i["value"]) for i in parts["items"]) == Decimal(whole["items"][0]["value"])
    assert Decimal(own[0]["value"]) == 0  # households live in villages
    status, parts = values(api_as, "debao", "code=pairing.pairings,pairing.helpers&region=451024&by=child")
    own = {i["code"]: i["value"] for i in parts["items"] if i["own_level"]}
    assert Decimal(own["pairing.pairings"]) == 2 and own["pairing.helpers"] is None  # distinct helpers: no sum
