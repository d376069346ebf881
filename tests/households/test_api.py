"""The household registry's API: lists and filters in scope, details with embedded records, writes through the
services with 422 naming the field, masking in every answer, reveal with the access log, clues, bounded queries."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from bangfu.core.identity import check_char
from bangfu.core.models import AccessLog, ChangeLog
from bangfu.households import services
from bangfu.households.models import Clue, Household, Member, MemberMove, MonitoringLine, Transition

FULL_ID = re.compile(r"\b\d{17}[\dXx]\b")
FULL_ID_ANYWHERE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def make_id(birth: str, seq: str, division: str = "451024") -> str:
    first17 = division + birth + seq
    return first17 + check_char(first17)


def person(name, birth, seq, relation, division="451024", **extra):
    return {"name": name, "id_number": make_id(birth, seq, division), "relation": relation,
            "education": "junior", "labour_skill": "ordinary", "phone": f"139{seq}{birth[-5:]}"[:11], **extra}


class Registry:
    """Two 德保 households in two villages (one monitored, with a clue), one 汕尾 household."""

    def __init__(self, world):
        debao = world.users["debao"]
        self.a = services.create_household(debao, world.village, {"household_type": "lifted",
                                                                  "phone": "13812345678"}, [
            person("张三丰", "19700315", "011", "head"), person("李四妹", "19720420", "022", "spouse"),
            {**person("张小明", "20120101", "031", "child"), "schooling": "primary", "labour_skill": "none",
             "education": "primary"}])
        self.b = services.create_household(debao, world.village2, {"household_type": "ordinary"}, [
            person("王五", "19650101", "051", "head")])
        # A monitoring object, as the workflow's county approval leaves it (only the workflow sets these).
        Household.objects.filter(pk=self.b.pk).update(monitoring_category="marginal", risk_status="monitored")
        self.b.refresh_from_db()
        self.sw = services.create_household(world.users["shanwei"], world.sw_village, {"household_type": "lifted"}, [
            person("陈六", "19800101", "071", "head", division="441581")])
        services.record_income(debao, self.a, 2024, wage=24000, transfer=1200, production_cost=600)
        services.record_conditions(debao, self.a, 2024, {"housing_grade": "B"})
        today = timezone.localdate()
        self.clue = Clue.objects.create(household=self.b, source="screening", candidate_category="marginal",
                                        reasons=["人均纯收入 5000.00 元低于监测线 8000.00 元",
                                                 {"department": "医保", "id_number": make_id("19650101", "051")}],
                                        deadline=today + timedelta(days=15), county_code=self.b.county_code,
                                        region_path=self.b.region_path)
        Transition.objects.create(clue=self.clue, to_stage="clue", actor=debao, reason="筛查",
                                  county_code=self.b.county_code, region_path=self.b.region_path)
        self.sw_clue = Clue.objects.create(household=self.sw, source="self_report", deadline=today,
                                           county_code=self.sw.county_code, region_path=self.sw.region_path,
                                           is_open=False, stage="rejected")
        self.head = self.a.members.get(relation="head")
        self.ids = list(Member.objects.values_list("id_number", flat=True))


@pytest.fixture
def reg(world):
    return Registry(world)


def assert_masked(body, reg):
    text = json.dumps(body, ensure_ascii=False)
    assert not FULL_ID.search(text), text[:300]
    assert not FULL_ID_ANYWHERE.search(text), text[:300]
    assert not FULL_MOBILE.search(text), text[:300]
    for number in reg.ids:
        assert number not in text


# --- reads ----------------------------------------------------------------------------------------------------------

def test_household_list_in_scope_with_filters(reg, api_as):
    debao = api_as("debao")
    status, body = debao.get("/api/v1/households?region=451024")
    assert status == 200 and body["count"] == 2
    assert [i["id"] for i in body["items"]] == [reg.a.pk, reg.b.pk]
    item = body["items"][0]
    assert item["village"]["code"] == "451024100201" and item["head_name"] == "张三丰" and item["size"] == 3
    assert item["phone"] == "138****5678"
    assert debao.get("/api/v1/households?region=451024100202")[1]["count"] == 1
    assert debao.get("/api/v1/households?region=451024100000")[1]["count"] == 2
    assert debao.get("/api/v1/households?type=ordinary")[1]["count"] == 1
    assert debao.get("/api/v1/households?type=脱贫户")[1]["count"] == 1
    assert debao.get("/api/v1/households?category=marginal&risk=monitored")[1]["count"] == 1
    assert debao.get("/api/v1/households?q=王")[1]["items"][0]["id"] == reg.b.pk
    assert debao.get(f"/api/v1/households?q={reg.a.number}")[1]["count"] == 1
    assert debao.get("/api/v1/households?q=zxm")[1]["items"][0]["id"] == reg.a.pk
    # The region must be visible: none of 德保's business in 汕尾, nothing for an unknown code.
    assert debao.get("/api/v1/households?region=441500")[1] == {"count": 0, "items": []}
    assert debao.get("/api/v1/households?region=nonsense")[1] == {"count": 0, "items": []}
    assert api_as("shanwei").get("/api/v1/households?region=451024")[1]["count"] == 0
    assert api_as("shanwei").get("/api/v1/households")[1]["count"] == 1
    assert api_as("nanshan").get("/api/v1/households")[1]["count"] == 2  # through its pairing with 德保
    assert api_as("auditor").get("/api/v1/households")[1]["count"] == 3
    status, body = debao.get("/api/v1/households?type=rich")
    assert status == 422 and "type" in body["errors"]
    status, body = debao.get("/api/v1/households?limit=0")
    assert status == 422 and "limit" in body["errors"]


def test_member_list_and_search(reg, api_as):
    debao = api_as("debao")
    status, body = debao.get("/api/v1/members?region=451024")
    assert status == 200 and body["count"] == 4
    item = body["items"][0]
    assert item["id_number"] == "451024********0117"[:6] + "********" + reg.head.id_number[-4:]
    assert item["household_number"] == reg.a.number and item["relation"] == "head"
    assert debao.get("/api/v1/members?region=451024100202")[1]["count"] == 1
    assert debao.get(f"/api/v1/members?household={reg.a.pk}")[1]["count"] == 3

    def names(q):
        return sorted(i["name"] for i in debao.get(f"/api/v1/members?q={q}")[1]["items"])

    assert names("张") == ["张三丰", "张小明"]
    assert names("zsf") == ["张三丰"]
    assert names(reg.head.id_number[-4:]) == ["张三丰"]
    assert names(reg.head.id_number[-6:]) == ["张三丰"]
    assert names(reg.b.number) == ["王五"]
    assert api_as("shanwei").get("/api/v1/members?region=451024")[1]["count"] == 0
    assert api_as("shanwei").get(f"/api/v1/members?q={reg.head.id_number[-4:]}")[1]["count"] == 0


def test_household_detail_embeds_records_masked(reg, api_as):
    status, body = api_as("nanshan").get(f"/api/v1/households/{reg.a.pk}")
    assert status == 200
    assert [m["name"] for m in body["members"]] == ["张三丰", "李四妹", "张小明"]
    assert body["members"][0]["id_number"] == reg.head.id_number[:6] + "********" + reg.head.id_number[-4:]
    assert body["members"][0]["phone"].count("*") == 4
    income = body["incomes"][0]
    assert (income["year"], income["members_counted"], income["per_capita"]) == (2024, 3, "8200.00")
    assert body["conditions"][0]["failures"] == []
    assert body["former_members"] == [] and body["moves"] == []
    assert_masked(body, reg)


def test_out_of_scope_answers_404(reg, api_as):
    shanwei = api_as("shanwei")
    for path in (f"/api/v1/households/{reg.a.pk}", f"/api/v1/members/{reg.head.pk}",
                 f"/api/v1/households/{reg.a.pk}/incomes", f"/api/v1/households/{reg.a.pk}/conditions",
                 f"/api/v1/clues/{reg.clue.pk}", "/api/v1/households/999999"):
        status, body = shanwei.get(path)
        assert status == 404, path
    for path, body in [(f"/api/v1/households/{reg.a.pk}", {"address": "x"}),
                       (f"/api/v1/members/{reg.head.pk}", {"name": "x"})]:
        assert shanwei.patch(path, body)[0] == 404
    assert shanwei.post(f"/api/v1/members/{reg.head.pk}/reveal", {"field": "id_number"})[0] == 404
    assert shanwei.post(f"/api/v1/households/{reg.a.pk}/incomes", {"year": 2024})[0] == 404
    assert api_as("debao").get(f"/api/v1/households/{reg.sw.pk}")[0] == 404
    assert api_as("debao").get("/api/v1/households/abc")[0] == 404


def test_every_answer_is_masked(world, reg, api_as):
    ids = {"h": reg.a.pk, "m": reg.head.pk, "c": reg.clue.pk}
    paths = ["/api/v1/households", "/api/v1/households/{h}", "/api/v1/members", "/api/v1/members?include_former=true",
             "/api/v1/members/{m}", "/api/v1/households/{h}/incomes", "/api/v1/households/{h}/conditions",
             "/api/v1/clues", "/api/v1/clues/{c}", "/api/v1/monitoring-lines"]
    wife = reg.a.members.get(name="李四妹")  # a former member and a move in the answers too
    services.move_member(world.users["debao"], wife, reg.b, timezone.localdate(), "婚嫁", relation="spouse")
    for user in ("admin", "debao", "nanshan", "auditor", "shanwei", "sz"):
        client = api_as(user)
        for path in paths:
            status, body = client.get(path.format(**ids))
            assert status in (200, 404), (user, path, status)
            assert_masked(body, reg)


def test_clues_read_only_list_and_detail(reg, api_as):
    debao = api_as("debao")
    status, body = debao.get("/api/v1/clues?region=451024&status=open")
    assert status == 200 and body["count"] == 1
    item = body["items"][0]
    assert item["household"] == {"id": reg.b.pk, "number": reg.b.number, "head_name": "王五",
                                 "village": "451024100202"}
    assert item["stage"] == "clue" and item["is_open"] is True and item["reasons"][0].startswith("人均纯收入")
    assert item["reasons"][1]["id_number"].count("*") == 8  # an ID number inside the reasons is masked too
    assert debao.get("/api/v1/clues?status=closed")[1]["count"] == 0
    assert api_as("auditor").get("/api/v1/clues?status=closed")[1]["count"] == 1
    assert api_as("shanwei").get("/api/v1/clues?region=451024")[1]["count"] == 0
    status, body = debao.get("/api/v1/clues?status=maybe")
    assert status == 422 and "status" in body["errors"]
    status, body = debao.get(f"/api/v1/clues/{reg.clue.pk}")
    assert status == 200 and body["transitions"][0]["actor"] == "debao"
    assert_masked(body, reg)


# --- writes ---------------------------------------------------------------------------------------------------------

def test_register_household_through_the_api(world, reg, api_as):
    debao = api_as("debao")
    status, body = debao.post("/api/v1/households", {
        "village": "451024100201", "household_type": "一般农户", "phone": "0776-3821234", "reason": "新识别",
        "members": [person("黄七", "19880808", "091", "户主"), {**person("黄小妹", "20150505", "082", "之女"),
                                                               "schooling": "小学", "labour_skill": "无劳动力"}]})
    assert status == 201, body
    assert body["size"] == 2 and body["head_name"] == "黄七" and body["household_type"] == "ordinary"
    assert body["phone"] == "077*****1234" and body["members"][1]["sex"] == "female"
    assert_masked(body, reg)
    entry = ChangeLog.objects.get(object_id=str(body["id"]), content_type__model="household")
    assert entry.via == "api" and entry.reason == "新识别"


def assert_refused(client, path, body, field, status=422, method="post"):
    before = (Household.objects.count(), Member.objects.count(), ChangeLog.objects.count(), MemberMove.objects.count())
    got, payload = getattr(client, method)(path, body)
    assert got == status, payload
    assert "message" in payload
    if field:
        assert field in payload["errors"], payload
    after = (Household.objects.count(), Member.objects.count(), ChangeLog.objects.count(), MemberMove.objects.count())
    assert after == before
    return payload


def test_bad_registrations_are_refused_naming_the_field(world, reg, api_as):
    debao = api_as("debao")
    good = {"village": "451024100201", "household_type": "lifted",
            "members": [person("黄七", "19880808", "091", "head")]}
    bad_check = make_id("19880808", "091")[:-1] + ("0" if make_id("19880808", "091")[-1] != "0" else "1")
    assert_refused(debao, "/api/v1/households", {**good, "members": [{**good["members"][0], "id_number": bad_check}]},
                   "members.0.id_number")
    assert_refused(debao, "/api/v1/households", {**good, "members": [{**good["members"][0], "sex": "female"}]},
                   "members.0.sex")
    assert_refused(debao, "/api/v1/households", {**good, "members": [{**good["members"][0], "relation": "child"}]},
                   "members")
    assert_refused(debao, "/api/v1/households", {**good, "members": [person("张三", "19700315", "011", "head")]},
                   "members.0.id_number")  # registered in household a already
    assert_refused(debao, "/api/v1/households", {**good, "village": "441581100201"}, "village")
    assert_refused(debao, "/api/v1/households", {**good, "members": "none"}, "members")
    assert_refused(debao, "/api/v1/households", {**good, "members": [{**good["members"][0], "work_months": "many"}]},
                   "members.0.work_months")
    assert_refused(debao, "/api/v1/households", {k: v for k, v in good.items() if k != "village"}, "village")
    assert_refused(debao, "/api/v1/households", {**good, "land_area": "lots"}, "land_area")
    assert_refused(api_as("nanshan"), "/api/v1/households", good, None, status=403)
    assert_refused(api_as("auditor"), "/api/v1/households", good, None, status=403)


def test_malformed_requests_never_fail_with_500(reg, api_as):
    client = api_as("debao").client
    headers = api_as("debao").headers
    for path in ("/api/v1/households", f"/api/v1/households/{reg.a.pk}/incomes", f"/api/v1/members/{reg.head.pk}/move",
                 f"/api/v1/members/{reg.head.pk}/reveal", "/api/v1/monitoring-lines"):
        for data in ("{not json", "[]", "null", '"text"'):
            response = client.post(path, data=data, content_type="application/json", **headers)
            assert 400 <= response.status_code < 500, (path, data, response.status_code)
    response = client.patch(f"/api/v1/members/{reg.head.pk}", data='{"birth_date": "1970-02-30"}',
                            content_type="application/json", **headers)
    assert response.status_code == 422 and "birth_date" in response.json()["errors"]


def test_update_household_and_member(reg, api_as):
    debao = api_as("debao")
    status, body = debao.patch(f"/api/v1/households/{reg.a.pk}", {"address": "那温屯3号", "reason": "核实"})
    assert status == 200 and body["address"] == "那温屯3号"
    assert_refused(debao, f"/api/v1/households/{reg.a.pk}", {"risk_status": "eliminated"}, "risk_status",
                   method="patch")
    assert_refused(debao, f"/api/v1/households/{reg.a.pk}", {"housing_grade": "Z"}, "housing_grade", method="patch")
    status, body = debao.patch(f"/api/v1/members/{reg.head.pk}", {"work_months": 8,
                                                                  "employment_channel": "省外务工"})
    assert status == 200 and (body["work_months"], body["employment_channel"]) == (8, "out_of_province")
    assert_refused(debao, f"/api/v1/members/{reg.head.pk}", {"work_months": 13}, "work_months", method="patch")
    assert_refused(debao, f"/api/v1/members/{reg.head.pk}", {"relation": "spouse"}, "relation", method="patch")
    assert_refused(api_as("nanshan"), f"/api/v1/members/{reg.head.pk}", {"name": "x"}, None, 403, method="patch")
    status, body = debao.post(f"/api/v1/households/{reg.a.pk}/members", {
        **person("张小红", "20200101", "042", "child"), "education": "preschool", "labour_skill": "none",
        "reason": "出生"})
    assert status == 201 and body["household"] == reg.a.pk
    wife = reg.a.members.get(name="李四妹")
    status, body = debao.post(f"/api/v1/households/{reg.a.pk}/head", {"member": wife.pk,
                                                                      "former_head_relation": "spouse"})
    assert status == 200 and body["head_name"] == "李四妹"


def test_move_member_through_the_api(reg, api_as):
    debao = api_as("debao")
    child = reg.a.members.get(name="张小明")
    on = str(timezone.localdate())
    status, body = debao.post(f"/api/v1/members/{child.pk}/move", {"to_household": reg.b.pk, "on": on,
                                                                    "reason": "投靠亲属", "relation": "grandchild"})
    assert status == 200, body
    assert body["former"]["active"] is False and body["former"]["left_on"] == on
    assert body["new_member"]["household"] == reg.b.pk and body["new_member"]["active"] is True
    assert_masked(body, reg)
    status, detail = debao.get(f"/api/v1/households/{reg.a.pk}")
    assert detail["size"] == 2 and [m["name"] for m in detail["former_members"]] == ["张小明"]
    assert detail["moves"][0]["to_household"] == reg.b.pk
    assert debao.get(f"/api/v1/households/{reg.b.pk}")[1]["moves"][0]["new_member"] == body["new_member"]["id"]
    assert_refused(debao, f"/api/v1/members/{child.pk}/move", {"on": on, "reason": "x"}, "member")
    assert_refused(debao, f"/api/v1/members/{reg.head.pk}/move", {"to_household": reg.sw.pk, "on": on,
                                                                  "reason": "x", "relation": "child"}, "to_household")
    assert_refused(debao, f"/api/v1/members/{reg.head.pk}/move", {"on": on}, "reason")
    # Splitting a household (分户): the wife heads a new household of her own.
    wife = reg.a.members.get(name="李四妹")
    status, body = debao.post("/api/v1/households", {"village": "451024100202", "household_type": "lifted",
                                                     "members": [{"member": wife.pk, "relation": "户主",
                                                                  "reason": "分户"}]})
    assert status == 201, body
    assert body["head_name"] == "李四妹" and body["moves"][0]["from_household"] == reg.a.pk
    assert debao.get(f"/api/v1/households/{reg.a.pk}")[1]["size"] == 1
    assert_refused(debao, "/api/v1/households", {"village": "451024100202", "household_type": "lifted",
                                                 "members": [{"member": wife.pk, "relation": "head"}]},
                   "members.0.member")  # she is no longer a current member of household a


def test_incomes_and_conditions(reg, api_as):
    debao = api_as("debao")
    status, body = debao.post(f"/api/v1/households/{reg.a.pk}/incomes", {
        "year": 2023, "wage": "18000", "production": 3000, "property_income": 0, "transfer": 1500,
        "production_cost": 1500})
    assert status == 201 and body["per_capita"] == "7000.00" and body["members_counted"] == 3
    assert body["net"] == "21000.00"
    status, body = debao.get(f"/api/v1/households/{reg.a.pk}/incomes")
    assert [i["year"] for i in body["items"]] == [2024, 2023]
    assert_refused(debao, f"/api/v1/households/{reg.a.pk}/incomes", {"year": 2022, "wage": -5}, "wage")
    assert_refused(debao, f"/api/v1/households/{reg.a.pk}/incomes", {"year": 1990}, "year")
    assert_refused(api_as("auditor"), f"/api/v1/households/{reg.a.pk}/incomes", {"year": 2022}, None, 403)
    status, body = debao.post(f"/api/v1/households/{reg.a.pk}/conditions", {
        "year": 2023, "housing_grade": "D", "water_convenience": False, "evidence": "联系电话13812345678"})
    assert status == 201 and body["failures"] == ["housing", "water_convenience"]
    assert body["evidence"] == "联系电话138****5678"
    assert [c["year"] for c in debao.get(f"/api/v1/households/{reg.a.pk}/conditions")[1]["items"]] == [2024, 2023]
    assert_refused(debao, f"/api/v1/households/{reg.a.pk}/conditions", {"year": 2023}, "housing_grade")


def test_monitoring_lines(reg, api_as):
    sz = api_as("sz")
    status, body = sz.post("/api/v1/monitoring-lines", {"province_code": "450000", "year": 2024, "amount": 8000})
    assert status == 201 and body["amount"] == "8000.00" and body["publicity_days"] == 5
    line_id = body["id"]
    status, body = sz.patch(f"/api/v1/monitoring-lines/{line_id}", {"amount": "8100", "reason": "调整"})
    assert status == 200 and body["amount"] == "8100.00"
    assert api_as("debao").get("/api/v1/monitoring-lines?province=450000&year=2024")[1]["count"] == 1
    assert api_as("debao").get(f"/api/v1/monitoring-lines/{line_id}")[0] == 200
    status, body = sz.post("/api/v1/monitoring-lines", {"province_code": "450000", "year": 2024, "amount": 1})
    assert status == 422 and "year" in body["errors"]
    status, body = sz.post("/api/v1/monitoring-lines", {"province_code": "450000", "year": 2025, "amount": "x"})
    assert status == 422 and "amount" in body["errors"]
    for user in ("debao", "nanshan", "auditor"):
        assert api_as(user).post("/api/v1/monitoring-lines", {"province_code": "450000", "year": 2025,
                                                              "amount": 8000})[0] == 403
        assert api_as(user).patch(f"/api/v1/monitoring-lines/{line_id}", {"amount": 1})[0] == 403
    assert MonitoringLine.objects.count() == 1


# --- reveal ---------------------------------------------------------------------------------------------------------

def test_reveal_is_logged_and_refused_without_the_permission(reg, api_as):
    status, body = api_as("debao").post(f"/api/v1/members/{reg.head.pk}/reveal", {"field": "id_number",
                                                                                  "reason": "核对"})
    assert status == 200 and body == {"field": "id_number", "value": reg.head.id_number}
    status, body = api_as("debao").post(f"/api/v1/households/{reg.a.pk}/reveal", {"field": "phone"})
    assert status == 200 and body["value"] == "13812345678"
    log = list(AccessLog.objects.order_by("id").values_list("actor__username", "object_id", "field"))
    assert log == [("debao", str(reg.head.pk), "id_number"), ("debao", str(reg.a.pk), "phone")]
    for user in ("nanshan", "auditor"):
        status, body = api_as(user).post(f"/api/v1/members/{reg.head.pk}/reveal", {"field": "id_number"})
        assert status == 403, body
        assert api_as(user).post(f"/api/v1/households/{reg.a.pk}/reveal", {"field": "phone"})[0] == 403
    status, body = api_as("debao").post(f"/api/v1/members/{reg.head.pk}/reveal", {"field": "name"})
    assert status == 422 and "field" in body["errors"]
    assert api_as("debao").post(f"/api/v1/households/{reg.a.pk}/reveal", {"field": "id_number"})[0] == 422
    assert AccessLog.objects.count() == 2


# --- query counts ---------------------------------------------------------------------------------------------------

def test_list_query_counts_are_bounded(world, reg, api_as, django_assert_max_num_queries):
    debao = world.users["debao"]
    for i in range(30):
        services.create_household(debao, world.village2, {"household_type": "lifted"}, [
            person("韦" + chr(0x4E00 + i), "19600101", f"{100 + i * 2 + 1:03d}", "head"),
            person("农" + chr(0x4E00 + i), "19620101", f"{100 + i * 2:03d}", "spouse")])
    client = api_as("debao")
    with django_assert_max_num_queries(8):
        status, body = client.get("/api/v1/households?region=451024&limit=100")
    assert status == 200 and body["count"] == 32 and len(body["items"]) == 32
    with django_assert_max_num_queries(8):
        status, body = client.get("/api/v1/members?region=451024&limit=100")
    assert status == 200 and body["count"] == 64
    with django_assert_max_num_queries(8):
        status, body = client.get("/api/v1/members?q=韦&limit=100")
    assert body["count"] == 30
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/clues?limit=100")[0] == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/v1/households/{reg.a.pk}")[0] == 200


def test_admin_shows_the_registry_masked(world, reg, client):
    client.force_login(world.users["admin"])
    for path in ("/admin/households/household/", f"/admin/households/household/{reg.a.pk}/change/",
                 "/admin/households/member/", f"/admin/households/member/{reg.head.pk}/change/",
                 "/admin/households/clue/", "/admin/households/monitoringline/add/"):
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        assert not FULL_ID_ANYWHERE.search(text) and not FULL_MOBILE.search(text), path
    assert reg.head.id_number[:6] + "********" in client.get("/admin/households/member/").content.decode()
    response = client.post("/admin/households/monitoringline/add/", {
        "province_code": "450000", "county_code": "", "year": 2024, "amount": "8000", "income_fall_share": "0.3",
        "rigid_spending_share": "0.5", "clue_deadline_days": 15, "publicity_days": 3})
    assert response.status_code == 200 and MonitoringLine.objects.count() == 0  # publicity under 5 days
    response = client.post("/admin/households/monitoringline/add/", {
        "province_code": "450000", "county_code": "", "year": 2024, "amount": "8000", "income_fall_share": "0.3",
        "rigid_spending_share": "0.5", "clue_deadline_days": 15, "publicity_days": 5})
    assert response.status_code == 302 and MonitoringLine.objects.count() == 1
    assert ChangeLog.objects.filter(content_type__model="monitoringline", via="admin").count() == 1


def test_out_of_range_numbers_are_refused_not_failing(reg, api_as):
    debao = api_as("debao")
    huge = 10 ** 22
    for path in (f"/api/v1/households/{huge}", f"/api/v1/members/{huge}", f"/api/v1/clues/{huge}",
                 f"/api/v1/monitoring-lines/{huge}"):
        assert debao.get(path)[0] == 404, path
    for path in (f"/api/v1/members?household={huge}", f"/api/v1/clues?household={huge}",
                 f"/api/v1/monitoring-lines?year={huge}", f"/api/v1/households?offset={huge}",
                 f"/api/v1/members?limit={huge}", f"/api/v1/households/{reg.a.pk}/incomes?offset={huge}"):
        status, body = debao.get(path)
        assert status == 422, (path, status)
    assert_refused(debao, f"/api/v1/households/{reg.a.pk}", {"land_area": "1e9"}, "land_area", method="patch")
    assert_refused(debao, f"/api/v1/households/{reg.a.pk}/incomes", {"year": 2023, "wage": "1e16"}, "wage")
    assert_refused(debao, f"/api/v1/members/{reg.head.pk}/move", {"on": "2020-01-01", "reason": "x",
                                                                  "to_household": huge, "relation": "child"},
                   "to_household")
    status, body = debao.post("/api/v1/households", {"village": "451024100202", "household_type": "lifted",
                                                     "members": [{"member": huge, "relation": "head"}]})
    assert status == 422 and "members.0.member" in body["errors"]


GARBAGE = [None, "", " ", "x" * 300, -1, 10 ** 22, 1.5, "NaN", "1e400", [], {}, [1], {"a": 1}, True, "２０２４", "\x00"]


def test_garbage_in_any_field_never_fails_with_500(reg, api_as):
    """Each field of each write replaced by odd values: the answer is 2xx or 4xx, never a server error."""
    debao = api_as("debao")
    new_person = person("黄七", "19880808", "091", "head")
    writes = [
        ("post", "/api/v1/households", {"village": "451024100201", "household_type": "lifted",
                                        "members": [new_person]}, ["members.0"]),
        ("patch", f"/api/v1/households/{reg.a.pk}", {"address": "x", "village": "451024100201"}, []),
        ("post", f"/api/v1/households/{reg.a.pk}/members", {**new_person, "relation": "child"}, []),
        ("patch", f"/api/v1/members/{reg.head.pk}", {"name": "张三丰", "work_months": 3}, []),
        ("post", f"/api/v1/members/{reg.head.pk}/move", {"to_household": reg.b.pk, "on": "2024-01-01",
                                                         "reason": "x", "relation": "child"}, []),
        ("post", f"/api/v1/households/{reg.a.pk}/incomes", {"year": 2023, "wage": 1, "members_counted": 2}, []),
        ("post", f"/api/v1/households/{reg.a.pk}/conditions", {"year": 2023, "housing_grade": "A"}, []),
        ("post", f"/api/v1/members/{reg.head.pk}/reveal", {"field": "phone"}, []),
        ("post", f"/api/v1/households/{reg.a.pk}/head", {"member": reg.head.pk, "former_head_relation": "x"}, []),
    ]
    fields_of = {"members.0": list(new_person)}
    for method, path, body, nested in writes:
        for field in list(body) + [f"{n}.{f}" for n in nested for f in fields_of[n]]:
            for value in GARBAGE:
                data = json.loads(json.dumps(body))
                if "." in field:
                    outer, index, inner = field.split(".")
                    data[outer][int(index)][inner] = value
                else:
                    data[field] = value
                status, answer = getattr(debao, method)(path, data)
                assert status < 500, (method, path, field, value, answer)
    sz = api_as("sz")
    line = {"province_code": "450000", "year": 2024, "amount": 8000, "income_fall_share": 0.3,
            "publicity_days": 5, "county_code": "451024"}
    for field in line:
        for value in GARBAGE:
            assert sz.post("/api/v1/monitoring-lines", {**line, field: value})[0] < 500, (field, value)
    for param in ("region", "type", "category", "risk", "q"):
        for value in ("", "%00", "x" * 500, "'", "%25", "_"):
            assert debao.get(f"/api/v1/households?{param}={value}")[0] < 500, (param, value)
            assert debao.get(f"/api/v1/members?q={value}")[0] < 500
