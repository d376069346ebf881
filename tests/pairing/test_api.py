"""The pairing API: lists, filters, summary figures, create/update/end with their invariants, and the change log."""

from bangfu.core.models import ChangeLog
from bangfu.pairing.models import Pairing


def test_openapi_document_is_served_without_login(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/pairings/summary" in spec["paths"]


def test_api_needs_credentials(world, api_as):
    status, body = api_as(None).get("/api/v1/pairings")
    assert status == 401
    assert "message" in body


def test_nanshan_lists_its_pairing_with_debao(world, api_as):
    status, body = api_as("nanshan").get("/api/v1/pairings?recipient=451024")
    assert status == 200
    assert body["count"] == 3
    helpers = {item["helper"]["code"] for item in body["items"]}
    assert "440305" in helpers
    district = next(i for i in body["items"] if i["kind"] == "east_west")
    assert district["recipient_region"]["code"] == "451024"
    assert district["active"] is True


def test_recipient_sees_only_its_subtree(world, api_as):
    status, body = api_as("debao").get("/api/v1/pairings")
    assert status == 200
    assert {i["id"] for i in body["items"]} == {world.p_debao.pk, world.p_village.pk, world.p_school.pk}
    status, body = api_as("debao").get("/api/v1/pairings?recipient=441500")
    assert status == 200 and body["items"] == []
    status, _ = api_as("debao").get(f"/api/v1/pairings/{world.p_shanwei.pk}")
    assert status == 404


def test_filters_kind_active_helper(world, api_as):
    sz = api_as("sz")
    assert sz.get("/api/v1/pairings?kind=东西部协作")[1]["count"] == 2  # 南山→德保, 宝安→都安; not 广州's
    assert sz.get("/api/v1/pairings?kind=east_west&active=true")[1]["count"] == 1
    assert sz.get("/api/v1/pairings?active=false")[1]["count"] == 1
    assert sz.get("/api/v1/pairings?helper=440305")[1]["count"] == 3
    status, body = sz.get("/api/v1/pairings?kind=nonsense")
    assert status == 422 and "kind" in body["errors"]


def test_summary_for_helper_and_recipient(world, api_as):
    status, body = api_as("sz").get("/api/v1/pairings/summary?helper=440300")
    assert status == 200
    assert body == {
        "pairings": 5, "helpers": 5, "recipient_counties": 2, "recipient_provinces": 2, "recipient_villages": 1,
        "by_kind": {"east_west": 2, "hand_in_hand": 1, "school": 1, "in_province": 1},
    }
    status, body = api_as("sz").get("/api/v1/pairings/summary?helper=440300&active=true")
    assert body["recipient_counties"] == 1  # 德保 (汕尾 is paired as a prefecture; 都安 ended)
    status, body = api_as("nanshan").get("/api/v1/pairings/summary?recipient=451024")
    assert (body["pairings"], body["recipient_villages"], body["helpers"]) == (3, 1, 3)


def test_summary_stays_in_scope(world, api_as):
    status, body = api_as("debao").get("/api/v1/pairings/summary?recipient=441500")
    assert status == 200 and body["pairings"] == 0
    status, body = api_as("nanshan").get("/api/v1/pairings/summary?helper=440300")
    assert body["pairings"] == 3  # 深圳市's pairings that 南山 may see: his own three, not 宝安's or the city's
    status, body = api_as("sz").get("/api/v1/pairings/summary")
    assert status == 422


def test_create_update_end_pairing_with_change_log(world, api_as):
    nanshan = api_as("nanshan")
    status, body = nanshan.post("/api/v1/pairings", {
        "kind": "携手促振兴", "helper": world.street.code, "recipient": "451024100202", "start": "2021-01-01"})
    assert status == 201, body
    pid = body["id"]
    assert body["recipient_region"]["level"] == "village"
    entry = ChangeLog.objects.get(object_id=str(pid), action="create")
    assert entry.actor_name == "nanshan" and entry.via == "api" and entry.after["kind"] == "hand_in_hand"

    status, body = nanshan.patch(f"/api/v1/pairings/{pid}", {"notes": "村集体经济项目", "reason": "补充"})
    assert status == 200 and body["notes"] == "村集体经济项目"
    update = ChangeLog.objects.get(object_id=str(pid), action="update")
    assert update.before["notes"] == "" and update.after["notes"] == "村集体经济项目" and update.reason == "补充"

    status, body = nanshan.post(f"/api/v1/pairings/{pid}/end", {"end": "2025-12-31", "reason": "调整"})
    assert status == 200 and body["end"] == "2025-12-31" and body["active"] is False
    status, body = nanshan.post(f"/api/v1/pairings/{pid}/end", {"end": "2026-01-31"})
    assert status == 422 and "end" in body["errors"]


def test_school_pairing_names_the_recipient_school(world, api_as):
    status, body = api_as("nanshan").post("/api/v1/pairings", {
        "kind": "school", "helper": world.nanshan_school.code, "recipient": world.debao_school.code,
        "start": "2024-09-01", "end": "2027-08-31"})
    assert status == 422  # the same school pair is active already (since 2018)
    assert "kind" in body["errors"]


def assert_refused(client, body, field, status=422):
    before = (Pairing.objects.count(), ChangeLog.objects.count())
    got, payload = client.post("/api/v1/pairings", body)
    assert got == status, payload
    assert "message" in payload
    if field:
        assert field in payload["errors"], payload
    assert (Pairing.objects.count(), ChangeLog.objects.count()) == before


def test_bad_input_is_refused_naming_the_field(world, api_as):
    nanshan = api_as("nanshan")
    good = {"kind": "东西部协作", "helper": "440305", "recipient": "451024100202", "start": "2020-01-01"}
    assert_refused(nanshan, {**good, "recipient": "999999"}, "recipient")
    assert_refused(nanshan, {**good, "end": "2019-01-01"}, "end")
    assert_refused(nanshan, {**good, "recipient": "451024"}, "kind")  # 南山→德保 east_west is active already
    assert_refused(nanshan, {**good, "start": "not a date"}, "start")
    assert_refused(nanshan, {**good, "kind": "友好城市"}, "kind")
    assert_refused(nanshan, {**good, "helper": "440100"}, "helper")  # 广州: not visible to 南山
    assert_refused(nanshan, {k: v for k, v in good.items() if k != "start"}, "start")


def test_acceptance_bad_pairing_is_refused(world, api_as):
    assert_refused(api_as("nanshan"), {"kind": "东西部协作", "helper": "440305", "recipient": "999999",
                                       "start": "2030-01-01", "end": "2020-01-01"}, "recipient")


def test_forbidden_actions_answer_403(world, api_as):
    body = {"kind": "东西部协作", "helper": "440305", "recipient": "451024100202", "start": "2020-01-01"}
    assert_refused(api_as("debao"), body, None, status=403)  # recipient side does not create pairings
    assert_refused(api_as("auditor"), body, None, status=403)
    # 宝安 is a sibling of 南山: visible to the city, not 南山's to pair for.
    status, _ = api_as("sz").get(f"/api/v1/pairings/{world.p_duan.pk}")
    assert status == 200
    status, _ = api_as("nanshan").patch(f"/api/v1/pairings/{world.p_shanwei.pk}", {"notes": "x"})
    assert status == 404
    status, _ = api_as("auditor").patch(f"/api/v1/pairings/{world.p_shanwei.pk}", {"notes": "x"})
    assert status == 403


def test_pairing_list_query_count_is_constant(world, api_as, django_assert_max_num_queries):
    client = api_as("sz")
    with django_assert_max_num_queries(8):
        status, body = client.get("/api/v1/pairings?limit=100")
    assert status == 200 and body["count"] == 5
