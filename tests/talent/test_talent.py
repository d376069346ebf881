"""People sent and trained: records, checks, scope and counts."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from bangfu.regions.models import Region
from bangfu.talent import services
from bangfu.talent.models import PersonSent


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_record_sent_and_counts(world, api_as):
    nanshan = world.users["nanshan"]
    debao = Region.objects.get(code="451024")
    services.record_sent(nanshan, name="张三", kind="cadre", from_org=world.nanshan, to_region=debao,
                         start=date(2019, 3, 1), end=date(2021, 3, 1), position="挂职副县长")
    services.record_sent(nanshan, name="李四", kind="teacher", from_org=world.nanshan, to_region=debao,
                         to_org=world.debao_school, start=date(2020, 9, 1))
    with pytest.raises(ValidationError):
        services.record_sent(nanshan, name="王五", kind="doctor", from_org=world.nanshan, to_region=debao,
                             start=date(2020, 9, 1), end=date(2020, 1, 1))
    with pytest.raises(ValidationError):  # a recipient-side unit sends no one
        services.record_sent(world.users["admin"], name="王五", kind="doctor", from_org=world.debao_school,
                             to_region=debao, start=date(2020, 9, 1))
    status, body = api_as("sz").get("/api/v1/talent/counts?helper=440300&year=2020")
    assert status == 200 and body["sent_total"] == 2 and body["in_post"] == 2
    assert {(c["year"], c["kind"], c["n"]) for c in body["sent"]} == {(2019, "cadre", 1), (2020, "teacher", 1)}
    status, body = api_as("debao").get("/api/v1/talent/sent")
    assert status == 200 and body["count"] == 2
    status, body = api_as("shanwei").get("/api/v1/talent/sent")
    assert status == 200 and body["count"] == 0
    status, body = api_as("debao").get("/api/v1/labor/summary?recipient=451024")
    assert body["people_sent"] == 2


def test_api_writes_and_bad_input(world, api_as):
    body = {"name": "赵六", "kind": "doctor", "from_org": "440305", "to_region": "451024", "start": "2020-03-01"}
    status, made = api_as("nanshan").post("/api/v1/talent/sent", body)
    assert status == 201, made
    status, _ = api_as("nanshan").post("/api/v1/talent/sent", {**body, "kind": "astronaut"})
    assert status == 422
    status, _ = api_as("shanwei").post(f"/api/v1/talent/sent/{made['id']}/end", {"end": "2021-01-01"})
    assert status == 404
    status, ended = api_as("nanshan").post(f"/api/v1/talent/sent/{made['id']}/end", {"end": "2021-01-01"})
    assert status == 200 and ended["end"] == "2021-01-01"
    status, trained = api_as("nanshan").post("/api/v1/talent/trained", {
        "name": "黄七", "kind": "cadre", "from_region": "451024", "host": "440305", "programme": "乡村振兴培训班",
        "start": "2020-05-01", "end": "2020-05-10"})
    assert status == 201, trained
    status, body = api_as("debao").get("/api/v1/talent/trained")
    assert body["count"] == 1
    assert PersonSent.objects.count() == 1
