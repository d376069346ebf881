"""The causes of 500 the fuzzer found, each now a 422 naming the field, with nothing written."""

import pytest

from bangfu.regions.models import Organisation

BEYOND_64_BITS = 2**64 + 1


def refused(answer, field):
    status, body = answer
    assert status == 422, body
    assert field in body["errors"], body
    return body


@pytest.mark.parametrize("path", [
    "/api/v1/talent/sent?year=10000",
    "/api/v1/talent/sent?year=-1",
    "/api/v1/talent/trained?year=10000",
    "/api/v1/labor/job-fairs?year=10000",
    "/api/v1/labor/job-fairs?year=-1",
    "/api/v1/funds/summary?helper=440300&year=10000",
    "/api/v1/projects?year=-1",
])
def test_a_year_beyond_the_calendar_is_refused(world, api_as, path):
    refused(api_as("admin").get(path), "year")


def test_a_day_count_beyond_the_calendar_is_refused(world, api_as):
    refused(api_as("admin").get("/api/v1/funds/supervision/unspent?days=99999999"), "days")


def test_a_month_of_year_zero_is_refused(world, api_as):
    body = {"kind": "retention", "lines": [{"laborer": 1, "month": "0000-01"}]}
    refused(api_as("admin").post("/api/v1/labor/claims", body), "lines.0.month")


@pytest.mark.parametrize("path, field", [
    (f"/api/v1/funds/summary?pairing={BEYOND_64_BITS}", "pairing"),
    (f"/api/v1/projects?pairing={BEYOND_64_BITS}", "pairing"),
    (f"/api/v1/funds/disbursements?project={BEYOND_64_BITS}", "project"),
    (f"/api/v1/funds/expenditures?project={BEYOND_64_BITS}", "project"),
    (f"/api/v1/assets?project={BEYOND_64_BITS}", "project"),
])
def test_a_number_beyond_64_bits_in_a_query_is_refused(world, api_as, path, field):
    refused(api_as("admin").get(path), field)


def test_a_number_beyond_64_bits_in_a_body_is_refused(world, api_as):
    body = {"name": "招聘会", "held_on": "2024-03-01", "region": "451024", "attendees": BEYOND_64_BITS}
    refused(api_as("admin").post("/api/v1/labor/job-fairs", body), "attendees")


def test_null_in_a_text_field_that_cannot_be_null_is_refused(world, api_as):
    admin = api_as("admin")
    refused(admin.patch("/api/v1/organisations/440305", {"notes": None}), "notes")
    assert Organisation.objects.get(pk=world.nanshan.pk).notes == ""
    refused(admin.patch(f"/api/v1/pairings/{world.p_debao.pk}", {"notes": None}), "notes")
    refused(admin.patch(f"/api/v1/pairings/{world.p_debao.pk}", {"start": None}), "start")


def test_a_body_that_is_not_json_is_refused_with_the_error_schema(world, api_as):
    client = api_as("admin")
    response = client.client.post("/api/v1/regions", data=b"\x89not json", content_type="application/json",
                                  **client.headers)
    assert response.status_code == 422
    assert set(response.json()) == {"message", "errors"}


def test_the_messages_of_a_refused_value_are_chinese(world, api_as):
    body = refused(api_as("admin").get("/api/v1/talent/sent?year=10000"), "year")
    assert body["errors"]["year"] == ["不能大于 2100。"]
    body = refused(api_as("admin").patch("/api/v1/organisations/440305", {"notes": None}), "notes")
    assert body["errors"]["notes"] == ["此项不能为 null。"]
