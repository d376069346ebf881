"""Regions and organisations through the API: the national table, sub-county regions, credit codes, scope."""

from bangfu.core.models import ChangeLog
from bangfu.regions.models import Organisation, Region


def test_national_table_is_loaded_from_the_standard(db):
    assert Region.objects.filter(level="province", active=True).count() == 34
    debao = Region.objects.get(code="451024")
    assert (debao.name, debao.level, debao.parent_id, debao.path) == ("德保县", "county", "451000",
                                                                      "450000/451000/451024/")
    assert Region.objects.get(code="440305").name == "南山区"
    assert Region.objects.filter(level="county", active=True).count() > 2800


def test_region_detail_shows_path_and_children(world, api_as):
    status, body = api_as("debao").get("/api/v1/regions/451024100000")
    assert status == 200
    assert [a["code"] for a in body["ancestors"]] == ["450000", "451000", "451024"]
    assert body["children"] == 2 and body["level"] == "township"


def test_region_list_filters_by_parent_and_level(world, api_as):
    status, body = api_as("debao").get("/api/v1/regions?parent=451024100000")
    assert status == 200 and {i["code"] for i in body["items"]} == {"451024100201", "451024100202"}
    status, body = api_as("auditor").get("/api/v1/regions?parent=450000&level=prefecture")
    assert "451000" in {i["code"] for i in body["items"]}


def test_recipient_users_see_their_subtree_and_its_ancestors_only(world, api_as):
    debao = api_as("debao")
    assert debao.get("/api/v1/regions/451000")[0] == 200  # an ancestor, for the path
    assert debao.get("/api/v1/regions/441500")[0] == 404
    assert debao.get("/api/v1/regions/441581100201")[0] == 404
    status, body = debao.get("/api/v1/regions?level=village")
    assert {i["code"] for i in body["items"]} == {"451024100201", "451024100202"}


def test_coverage_lists_unpaired_poor_villages(world, api_as):
    status, body = api_as("debao").get("/api/v1/regions/451024/coverage")
    assert status == 200
    assert (body["poor_villages"], body["paired"]) == (2, 1)
    assert [v["code"] for v in body["unpaired"]] == ["451024100202"]


def test_county_adds_a_village_and_bad_codes_are_refused(world, api_as):
    debao = api_as("debao")
    status, body = debao.post("/api/v1/regions", {"code": "451024100203", "name": "新村", "parent": "451024100000",
                                                  "level": "village", "is_poor_village": True})
    assert status == 201, body
    assert Region.objects.get(code="451024100203").path == "450000/451000/451024/451024100000/451024100203/"
    assert ChangeLog.objects.filter(object_id="451024100203", action="create").exists()
    count = Region.objects.count()
    for bad, field in [({"code": "44158110020"}, "code"), ({"code": "451025100204"}, "code"),
                       ({"parent": "441581100000"}, "parent"), ({"level": "county"}, "level"),
                       ({"code": "451024100201"}, "code")]:
        body = {"code": "451024100204", "name": "x", "parent": "451024100000", "level": "village", **bad}
        status, payload = debao.post("/api/v1/regions", body)
        assert status == 422 and field in payload["errors"], (bad, payload)
    assert Region.objects.count() == count


def test_organisation_credit_code_is_validated(world, api_as):
    nanshan = api_as("nanshan")
    body = {"name": "深圳某公益基金会", "kind": "social", "side": "helper", "region": "440305", "parent": "440305",
            "credit_code": "53440300MJL1234567"}
    count = Organisation.objects.count()
    status, payload = nanshan.post("/api/v1/organisations", body)
    assert status == 422 and "credit_code" in payload["errors"]
    status, payload = nanshan.post("/api/v1/organisations", {**body, "credit_code": None})
    assert status == 422 and "credit_code" in payload["errors"]  # a social organisation needs one
    assert Organisation.objects.count() == count


def test_organisation_created_under_own_org_gets_its_path(world, api_as):
    from stdnum.cn import uscc

    code = "53440300MJL123456"
    code += uscc.calc_check_digit(code)
    status, payload = api_as("nanshan").post("/api/v1/organisations", {
        "name": "深圳某公益基金会", "kind": "social", "side": "helper", "region": "440305", "parent": "440305",
        "credit_code": code})
    assert status == 201, payload
    org = Organisation.objects.get(credit_code=code)
    assert org.path == f"{world.nanshan.path}{org.pk}/"
    assert payload["code"] == code and payload["parent"] == "440305"
    # 南山 may not place an organisation under 宝安.
    status, payload = api_as("nanshan").patch(f"/api/v1/organisations/{code}", {"parent": "440306"})
    assert status == 422 and "parent" in payload["errors"]


def test_organisations_are_scoped(world, api_as):
    status, body = api_as("debao").get("/api/v1/organisations")
    names = {i["name"] for i in body["items"]}
    assert "德保县第一小学" in names and "南山区人民政府" in names  # his own, and those who help him
    assert "宝安区人民政府" not in names and "广州市人民政府" not in names
    assert api_as("debao").get("/api/v1/organisations/440100")[0] == 404
