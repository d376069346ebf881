"""The indicators of people sent and trained: what each counts, live equal to the facts for every region of a small
world, for helpers, by year and in all; the facts after a write; the counts and the summary read from them; the
records behind each figure."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from bangfu.core import facts
from bangfu.core.indicators import ALL, catalogue, helper, live
from bangfu.regions.models import Region
from bangfu.talent import services
from bangfu.talent.indicators import INDICATORS
from tests.live_and_facts import assert_facts_live_and_live_many_agree

CODES = [found.code for found in INDICATORS]
PERIODS = [ALL, "2018", "2019", "2020", "2021", str(timezone.localdate().year)]


@pytest.fixture
def sent(world):
    """南山 sends a cadre (2019-2021) and a teacher (from 2020) to 德保, its street a first secretary to 那温村
    (2018 only); 深圳 a doctor to 汕尾 (2020). 德保 people trained by 南山 (2020, two), 汕尾's by 深圳 (2021)."""
    nanshan, sz = world.users["nanshan"], world.users["sz"]
    debao, shanwei = Region.objects.get(code="451024"), Region.objects.get(code="441500")
    services.record_sent(nanshan, name="张三", kind="cadre", from_org=world.nanshan, to_region=debao,
                         start=date(2019, 3, 1), end=date(2021, 3, 1))
    services.record_sent(nanshan, name="李四", kind="teacher", from_org=world.nanshan, to_region=debao,
                         to_org=world.debao_school, start=date(2020, 9, 1))
    services.record_sent(nanshan, name="王五", kind="first_secretary", from_org=world.street, to_region=world.village,
                         start=date(2018, 1, 1), end=date(2018, 12, 31))
    services.record_sent(sz, name="赵六", kind="doctor", from_org=world.sz, to_region=shanwei,
                         start=date(2020, 2, 1), end=date(2020, 8, 1))
    for name, kind in (("黄七", "cadre"), ("周八", "leader")):
        services.record_trained(nanshan, name=name, kind=kind, from_region=debao, host=world.nanshan,
                                programme="乡村振兴培训班", start=date(2020, 5, 1), end=date(2020, 5, 10))
    services.record_trained(sz, name="吴九", kind="cadre", from_region=shanwei, host=world.sz,
                            programme="干部能力提升班", start=date(2021, 4, 1), end=date(2021, 4, 5))
    return world


def regions(world) -> list[str]:
    places = [world.village, world.village2, Region.objects.get(code="441500"), Region.objects.get(code="522700")]
    return sorted({above for place in places for above in facts.ancestors(place.path)} | {p.path for p in places})


def test_each_indicator_counts_what_it_says(sent):
    debao = Region.objects.get(code="451024").path
    sz, nanshan = helper(sent.sz.path), helper(sent.nanshan.path)
    # In post in a year: the cadre in 2019-2021, the teacher from 2020; in the whole record, every secondment.
    assert [live("talent.sent", debao, None, y) for y in (ALL, "2018", "2019", "2020", "2021")] == [3, 1, 1, 2, 2]
    assert [live("talent.sent_new", debao, None, y) for y in (ALL, "2019", "2020", "2021")] == [3, 1, 1, 0]
    assert live("talent.sent_new_teacher", debao, None, "2020") == 1
    assert live("talent.sent_new_first_secretary", debao, None, "2018") == 1
    # A helper's people are those his organisation and those under it sent, wherever they went.
    assert live("talent.sent", "", sz, ALL) == 4 and live("talent.sent", "", nanshan, ALL) == 3
    assert live("talent.sent", "", sz, "2020") == 3
    assert live("talent.trained", debao, None, "2020") == 2 and live("talent.trained", "", sz, ALL) == 3
    assert live("talent.trained_leader", "", nanshan, "2020") == 1
    assert live("talent.trained", debao, None, "2021") == 0


@pytest.mark.parametrize("side", [None, "sz", "nanshan", "street", "gz"])
def test_live_equals_the_facts_for_every_region_and_period(sent, side):
    facts.rebuild()
    on_side = helper(getattr(sent, side).path) if side else None
    assert_facts_live_and_live_many_agree(CODES, regions(sent), PERIODS, on_side)


def test_a_write_through_a_service_brings_the_facts_up_to_date(sent, django_capture_on_commit_callbacks):
    facts.rebuild()
    debao = Region.objects.get(code="451024")
    before = facts.read(CODES, [debao.path], PERIODS, helper(sent.nanshan.path))
    with django_capture_on_commit_callbacks(execute=True):
        services.record_sent(sent.users["nanshan"], name="钱十", kind="doctor", from_org=sent.nanshan,
                             to_region=debao, start=date(2021, 1, 1))
    assert facts.refresh_stale()
    after = facts.read(CODES, [debao.path], PERIODS, helper(sent.nanshan.path))
    assert after["talent.sent", debao.path, "2021"] == before["talent.sent", debao.path, "2021"] + 1
    for side in (None, helper(sent.sz.path), helper(sent.nanshan.path)):
        stored = facts.read(CODES, regions(sent), PERIODS, side)
        for (code, path, period), value in stored.items():
            assert value == live(code, path, side, period), (code, path, period, side)


def test_counts_and_the_labour_summary_read_the_registry(sent, api_as):
    status, body = api_as("sz").get("/api/v1/talent/counts?helper=440300&year=2020")
    assert status == 200
    assert body == {"sent": [{"year": 2018, "kind": "first_secretary", "n": 1}, {"year": 2019, "kind": "cadre", "n": 1},
                             {"year": 2020, "kind": "doctor", "n": 1}, {"year": 2020, "kind": "teacher", "n": 1}],
                    "trained": [{"year": 2020, "kind": "cadre", "n": 1}, {"year": 2020, "kind": "leader", "n": 1},
                                {"year": 2021, "kind": "cadre", "n": 1}],
                    "sent_total": 4, "trained_total": 3, "in_post": 3}
    status, body = api_as("debao").get("/api/v1/talent/counts?recipient=451024")
    assert (body["sent_total"], body["trained_total"], body["in_post"]) == (3, 2, None)
    status, body = api_as("debao").get("/api/v1/labor/summary?recipient=451024&year=2018")
    assert body["people_sent"] == 1


def web(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.mark.parametrize("code", ["talent.sent", "talent.sent_new", "talent.sent_new_cadre", "talent.trained",
                                  "talent.trained_cadre"])
def test_the_records_behind_a_figure_are_as_many_as_it_counts(sent, code):
    admin = web(sent.users["admin"])
    found = catalogue()[code]
    for region, year in (("451024", None), ("451024", 2019), ("451024", 2020), ("441500", 2021), ("440000", 2020)):
        url = found.records(region, year)
        response = admin.get(url)
        assert response.status_code == 200, url
        expected = live(code, Region.objects.get(code=region).path, None, str(year) if year else ALL)
        assert response.context["paginator"].count == expected, (url, expected)
