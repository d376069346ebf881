"""The pairing indicators (core.indicators): computed live they equal the facts (core.facts) for every region of the
world, for a helper organisation, its parent and no helper, for every year and in all; writes through the services
bring the facts up to date; and the figures are those of the pairings.

The world (tests/conftest.py): 南山 → 德保县, its street → 那温村, its school → 德保's school, 深圳市 → 汕尾市 (a
prefecture), 宝安 → 都安 (2016-2020), 广州 → 黔南 (from 2021).
"""

from datetime import date
from decimal import Decimal

from django.test import Client

from bangfu.core.facts import read, rebuild, refresh_stale, years
from bangfu.core.indicators import ALL, helper, indicator, live
from bangfu.core.models import StaleFacts
from bangfu.pairing import services
from bangfu.pairing.models import Pairing
from bangfu.regions.models import Region
from tests.live_and_facts import assert_live_equals_facts, codes_of, regions_with

CODES = codes_of("pairing")
D = Decimal


def _regions():
    return regions_with(Pairing.objects.values_list("recipient_region__path", flat=True))


def _periods():
    return [ALL, *(str(y) for y in years())]


def _sides(world):
    return [None, helper(world.nanshan.path), helper(world.sz.path), helper(world.gz.path)]


def value(code, region_code="", side=None, period=ALL):
    path = Region.objects.get(code=region_code).path if region_code else ""
    return live(code, path, helper(side.path) if side else None, period)


def test_live_equals_the_facts_everywhere(world):
    rebuild(CODES)
    compared, nonzero = assert_live_equals_facts(CODES, _regions(), _periods(), _sides(world))
    assert compared > 3000 and nonzero > 300


def test_the_figures_are_those_of_the_pairings(world):
    sz, nanshan = world.sz, world.nanshan
    assert value("pairing.pairings", "", sz) == D("5.00")
    assert value("pairing.pairings", "451024", nanshan) == D("3.00")
    assert value("pairing.kind_east_west", "", sz) == D("2.00")
    assert value("pairing.helpers", "451024") == D("3.00")
    # Counties: 德保 and 都安 (汕尾 is paired as a prefecture, 黔南 too); in 2021 都安's pairing has ended.
    assert value("pairing.recipient_counties", "") == D("2.00")
    assert value("pairing.recipient_counties", "", None, "2021") == D("1.00")
    assert value("pairing.recipient_provinces", "", sz) == D("2.00")
    assert value("pairing.recipient_provinces", "") == D("3.00")
    assert value("pairing.recipient_villages", "450000") == D("1.00")
    # In force in the year: 2016 has 汕尾's (2013) and 德保's and 都安's (September); 2021 adds 广州's, loses 都安's.
    assert value("pairing.active", "", None, "2016") == D("3.00")
    assert value("pairing.active", "", None, "2021") == D("5.00")
    assert value("pairing.active") is None  # in force "in all years" means nothing


def test_the_summary_is_a_view_over_the_indicators(world, api_as):
    rebuild(CODES)
    side = helper(world.sz.path)
    stored = read([f"pairing.{n}" for n in ("pairings", "helpers", "recipient_counties", "recipient_provinces",
                                            "recipient_villages")], [""], [ALL], side)
    status, body = api_as("sz").get("/api/v1/pairings/summary?helper=440300")
    assert status == 200
    assert [body[code.split(".")[1]] for code, _r, _p in stored] == [int(v) for v in stored.values()] == [
        5, 5, 2, 2, 1]


def test_writes_through_the_services_bring_the_facts_up_to_date(world, django_capture_on_commit_callbacks):
    rebuild(CODES)
    u = world.users
    debao = Region.objects.get(code="451024")
    with django_capture_on_commit_callbacks(execute=True):
        services.create_pairing(u["nanshan"], kind="hand_in_hand", helper=world.street, recipient_region=world.village2,
                                start=date(2019, 1, 1))
        # The street's pairing moves from 那温村 to 德保's township; 汕尾's ends in 2020.
        services.update_pairing(u["nanshan"], world.p_village, recipient_region=world.township)
        services.end_pairing(u["sz"], world.p_shanwei, date(2020, 12, 31))
    shanwei = Region.objects.get(code="441500").path
    expected = {("pairing.recipient_villages", world.village.path, ALL): ("1.00", "0.00"),  # moved to the township
                ("pairing.recipient_villages", world.village2.path, ALL): ("0.00", "1.00"),  # paired anew
                ("pairing.pairings", world.township.path, ALL): ("1.00", "2.00"),
                ("pairing.active", shanwei, "2021"): ("1.00", "0.00"),  # ended in 2020
                ("pairing.helpers", debao.path, "2019"): ("3.00", "3.00")}

    def stored():
        return {key: str(read([key[0]], [key[1]], [key[2]])[key]) for key in expected}

    assert StaleFacts.objects.exists()
    assert stored() == {key: before for key, (before, _after) in expected.items()}
    refresh_stale()
    assert not StaleFacts.objects.exists()
    assert stored() == {key: after for key, (_before, after) in expected.items()}
    assert_live_equals_facts(CODES, _regions(), _periods(), _sides(world))


def test_the_list_behind_a_figure_opens_filtered(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world.users["sz"])
    url = indicator("pairing.kind_east_west").records("451024", 2020)
    assert url == "/pairings/?kind=east_west&recipient=451024"
    html = client.get(url).content.decode()
    assert client.get(url).status_code == 200 and "德保县" in html and "汕尾市" not in html
    for code in CODES:
        assert client.get(indicator(code).records("451024", None)).status_code == 200, code
