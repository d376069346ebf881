"""The household pages: search and list, the household page, reveals, the workflow forms, the work queue, screening,
the publicity list and the monitoring-line table."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bangfu.core.models import AccessLog
from bangfu.households.models import (
    Clue,
    Household,
    MonitoringLine,
    Transition,
)
from tests.households.conftest import TODAY, household, id_number, text

FULL_ID = re.compile(r"\b\d{17}[\dXx]\b")
MOBILE = re.compile(r"\b1[3-9]\d{9}\b")












def assert_no_clear_numbers(page: str):
    assert not FULL_ID.search(page), FULL_ID.search(page).group()
    assert not MOBILE.search(page), MOBILE.search(page).group()


# --- search and list ----------------------------------------------------------------------------------------------


def test_the_list_shows_households_in_scope_masked(web, hw):
    response = web("debao").get("/households/")
    assert response.status_code == 200
    page = text(response)
    assert "户籍查询" in page and "黄德明" in page and "韦志强" in page
    assert "陈海生" not in page  # 汕尾
    assert "139****1234" in page
    assert_no_clear_numbers(page)
    shanwei = text(web("shanwei").get("/households/"))
    assert "陈海生" in shanwei and "黄德明" not in shanwei


@pytest.mark.parametrize("query, found, missing", [
    ("q=hdm", "黄德明", "韦志强"),  # pinyin initials of a member
    ("q=黄德", "黄德明", "韦志强"),
    (f"q={id_number(20)[-4:]}", "韦志强", "黄德明"),  # ID suffix
    ("q=4510241002010002", "韦志强", "黄德明"),  # household number
    ("risk_status=monitored", "韦志强", "黄德明"),
    ("monitoring_category=unstable", "韦志强", "黄德明"),
    ("region=451024100201", "黄德明", "陈海生"),
])
def test_list_filters(web, hw, query, found, missing):
    page = text(web("admin").get(f"/households/?{query}"))
    assert found in page and missing not in page, query


def test_a_region_out_of_scope_finds_nothing(web, hw):
    page = text(web("debao").get("/households/?region=441500"))
    assert "黄德明" not in page and "陈海生" not in page


def test_csv_export_is_masked_and_filtered(web, hw):
    response = web("debao").get("/households/?export=csv&risk_status=monitored")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "户编号"  # core.exports' households: one row per current member
    assert len(rows) > 1 and {r[rows[0].index("户主姓名")] for r in rows[1:]} == {"韦志强"}
    assert "139****1234" in body
    assert_no_clear_numbers(body)


def test_the_list_costs_a_few_queries_however_many_rows(web, world, hw, query_baseline):
    for i in range(40):
        household(f"45102410020110{i:02d}", world.village, name=f"测试{i}", serial=10 + i)
    client = web("debao")
    with query_baseline("/households/"):
        response = client.get("/households/")
    assert len(response.context["object_list"]) == 42
    with query_baseline("/households/?export=csv"):
        b"".join(client.get("/households/?export=csv").streaming_content)


# --- the household page --------------------------------------------------------------------------------------------


def test_the_household_page(web, hw):
    response = web("debao").get(f"/households/{hw['hh'].pk}/")
    assert response.status_code == 200
    page = text(response)
    for expected in ("黄德明", "农秀英", "那温村", "城关镇", "脱贫户", "收入", "6,500.00", "7,000", "危房鉴定",
                     "监测时间线", "显示"):
        assert expected in page, expected
    assert 'data-item="water_quality"' in page and "bg-red-lt text-red" in page  # a failed item highlighted
    assert_no_clear_numbers(page)
    assert "451024********" in page


def test_a_monitored_household_shows_the_elimination_criteria(web, hw):
    page = text(web("debao").get(f"/households/{hw['monitored'].pk}/"))
    assert 'id="criteria"' in page
    assert 'data-criterion="income" data-met="1"' in page  # 9,000 above the line of 7,000
    assert 'data-criterion="secured" data-met="0"' in page  # housing C and water quality fail
    assert "发展砂糖橘种植" in page and "入户走访" in page


def test_helpers_read_without_reveal_or_case_buttons(web, hw):
    page = text(web("nanshan").get(f"/households/{hw['hh'].pk}/"))
    assert "黄德明" in page and "hx-post" not in page and "open-case" not in page


def test_shanwei_gets_404_for_debao(web, hw):
    client = web("shanwei")
    hh, clue = hw["hh"], hw["clue"]
    member = hh.members.first()
    for url in (f"/households/{hh.pk}/", f"/clues/{clue.pk}/", f"/clues/{clue.pk}/advance/",
                f"/households/{hh.pk}/open-case/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/members/{member.pk}/reveal/", {"field": "id_number"}).status_code == 404
    assert client.post(f"/clues/{clue.pk}/advance/", {"stage": "verified"}).status_code == 404
    assert AccessLog.objects.count() == 0
    assert Clue.objects.get(pk=clue.pk).stage == "clue"


# --- reveal --------------------------------------------------------------------------------------------------------


def test_reveal_shows_the_number_once_and_logs_it(web, hw):
    member = hw["hh"].members.get(relation="head")
    response = web("debao").post(f"/members/{member.pk}/reveal/", {"field": "id_number"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert member.id_number in text(response)
    log = AccessLog.objects.get()
    assert (log.actor.username, log.object_id, log.field) == ("debao", str(member.pk), "id_number")
    response = web("debao").post(f"/households/{hw['hh'].pk}/reveal/", {"field": "phone"})
    assert "13907761234" in text(response) and AccessLog.objects.count() == 2
    assert web("debao").post(f"/households/{hw['hh'].pk}/reveal/", {"field": "address"}).status_code == 400


@pytest.mark.parametrize("username", ["nanshan", "auditor"])
def test_reveal_is_403_for_roles_without_unmask(web, hw, username):
    member = hw["hh"].members.first()
    response = web(username).post(f"/members/{member.pk}/reveal/", {"field": "id_number"})
    assert response.status_code == 403
    assert member.id_number not in text(response)
    assert AccessLog.objects.count() == 0


# --- the workflow forms --------------------------------------------------------------------------------------------


def test_a_case_goes_along_the_chain_through_the_forms(web, hw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    clue = hw["clue"]
    url = f"/clues/{clue.pk}/advance/"
    county, village, township = web("debao"), web("village"), web("township")
    page = text(county.get(f"/clues/{clue.pk}/"))
    assert "下一步" in page and 'value="verified"' in page and 'value="rejected"' in page
    assert 'value="publicised"' not in page  # the village's step
    upload = SimpleUploadedFile("核实记录.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = village.post(url, {"stage": "verified", "reason": "入户核实，情况属实", "attachment": upload})
    assert response.status_code == 302 and response["Location"] == f"/clues/{clue.pk}/"
    step = Transition.objects.get(clue=clue, to_stage="verified")
    assert step.attachment.name.endswith(".pdf") and step.actor.username == "cunganbu"
    assert village.post(url, {"stage": "crosschecked", "reason": "比对无异常"}).status_code == 302
    assert village.post(url, {"stage": "publicised", "reason": "村民代表会议评议"}).status_code == 302
    clue.refresh_from_db()
    assert clue.stage == "publicised" and clue.publicity_end >= TODAY + timedelta(days=4)
    # The township may not review while the publicity runs: refused with the Chinese message, nothing moves.
    response = township.post(url, {"stage": "township_reviewed", "reason": "审核"})
    assert response.status_code == 200
    assert "村级公示至" in text(response) and "之后由乡镇审核" in text(response)
    Clue.objects.filter(pk=clue.pk).update(publicity_start=TODAY - timedelta(days=7),
                                           publicity_end=TODAY - timedelta(days=2))
    assert township.post(url, {"stage": "township_reviewed", "reason": "同意"}).status_code == 302
    assert county.post(url, {"stage": "approved", "reason": "批准", "category": "marginal"}).status_code == 302
    hh = Household.objects.get(pk=hw["hh"].pk)
    assert (hh.risk_status, hh.monitoring_category) == ("monitored", "marginal")
    page = text(county.get(f"/households/{hh.pk}/"))
    assert "cunganbu" in page and "入户核实，情况属实" in page  # the timeline: who and why


def test_a_step_out_of_order_is_refused_in_chinese(web, hw):
    clue = hw["clue"]
    response = web("debao").post(f"/clues/{clue.pk}/advance/", {"stage": "approved", "reason": "x"})
    assert response.status_code == 200
    page = text(response)
    assert "不能进入" in page and "下一环节应为" in page
    assert Clue.objects.get(pk=clue.pk).stage == "clue"


def test_a_rejection_needs_a_reason(web, hw):
    clue = hw["clue"]
    response = web("debao").post(f"/clues/{clue.pk}/advance/", {"stage": "rejected"})
    assert response.status_code == 200 and Clue.objects.get(pk=clue.pk).is_open
    response = web("debao").post(f"/clues/{clue.pk}/advance/", {"stage": "rejected", "reason": "收入核实高于监测线"})
    assert response.status_code == 302 and Clue.objects.get(pk=clue.pk).stage == "rejected"


def test_a_role_outside_the_step_gets_403(web, hw):
    clue = hw["clue"]
    assert web("township").post(f"/clues/{clue.pk}/advance/", {"stage": "verified"}).status_code == 302
    Clue.objects.filter(pk=clue.pk).update(stage="crosschecked")
    assert web("debao").post(f"/clues/{clue.pk}/advance/", {"stage": "publicised"}).status_code == 403
    assert web("nanshan").post(f"/clues/{clue.pk}/advance/", {"stage": "verified"}).status_code == 403
    assert web("auditor").get(f"/clues/{clue.pk}/advance/").status_code == 403


def test_open_a_case_from_the_household_page(web, hw):
    hh = hw["monitored"]
    client = web("village")
    page = text(client.get(f"/households/{hh.pk}/"))
    assert f"/households/{hh.pk}/open-case/?purpose=eliminate" in page
    response = client.post(f"/households/{hh.pk}/open-case/", {"purpose": "identify", "source": "self_report",
                                                               "reason": "农户申报"})
    assert response.status_code == 200 and "已是监测对象" in text(response)
    response = client.post(f"/households/{hh.pk}/open-case/", {"purpose": "eliminate", "source": "cadre_visit",
                                                               "reason": "收入稳定"})
    clue = Clue.objects.get(household=hh, purpose="eliminate")
    assert response.status_code == 302 and response["Location"] == f"/clues/{clue.pk}/"
    page = text(client.get(f"/clues/{clue.pk}/"))
    assert 'id="criteria"' in page and "风险消除" in page


def test_helpers_may_not_open_cases(web, hw):
    assert web("nanshan").get(f"/households/{hw['hh'].pk}/open-case/").status_code == 403


# --- the work queue and screening ----------------------------------------------------------------------------------


def test_the_work_queue(web, hw):
    Clue.objects.filter(pk=hw["clue"].pk).update(deadline=TODAY - timedelta(days=1))
    response = web("debao").get("/queue/")
    assert response.status_code == 200
    page = text(response)
    assert "我的待办" in page
    counts = {item["key"]: item["count"] for item in response.context["lists"]}
    assert counts["overdue"] == 1 and counts["without_measure"] == 0
    assert f'href="/clues/{hw["clue"].pk}/"' in page
    assert counts["ready_to_eliminate"] == 1 and f'href="/households/{hw["monitored"].pk}/"' in page
    assert "筛查" in page  # the county's screening button
    shanwei = web("shanwei").get("/queue/")
    assert shanwei.context["lists"][0]["count"] == 0 and "黄德明" not in text(shanwei)


def test_county_users_queue_a_screening_of_their_county(web, hw):
    before = Clue.objects.count()
    response = web("debao").post("/queue/screen/")
    assert response.status_code == 302 and response["Location"].startswith("/queue/?task=")
    task_id = response["Location"].split("=", 1)[1]
    page = text(web("debao").get(response["Location"]))
    assert f'hx-get="/queue/screen/{task_id}/"' in page
    note = text(web("debao").get(f"/queue/screen/{task_id}/"))
    assert 'data-task-status="READY"' in note and 'hx-trigger="every 2s"' in note  # polls until the worker is done
    assert Clue.objects.count() == before  # the worker screens, not the request (tests/test_screening_task.py)
    assert web("shanwei").get(f"/queue/screen/{task_id}/").status_code == 404  # not his task
    assert web("nanshan").post("/queue/screen/").status_code == 403
    assert web("village").post("/queue/screen/").status_code == 403
    assert "queue/screen" not in text(web("nanshan").get("/queue/"))


# --- publicity -----------------------------------------------------------------------------------------------------


def test_the_publicity_list_has_no_personal_numbers(web, hw):
    clue = hw["clue"]
    Clue.objects.filter(pk=clue.pk).update(
        stage="publicised", publicity_start=TODAY, publicity_end=TODAY + timedelta(days=4),
        reasons=[{"code": "low_income", "text": "人均纯收入低于监测线"},
                 {"code": "rigid_spending", "text": "医疗支出 30,000 元，慢性病"},
                 {"code": "cadre_visit", "text": f"患尿毒症，身份证 {id_number(10)}"}])
    index = text(web("debao").get("/publicity/"))
    assert "/publicity/451024100201/" in index
    response = web("debao").get("/publicity/451024100201/")
    assert response.status_code == 200
    page = text(response)
    assert "黄德明" in page and "那温村" in page and "人均纯收入低于监测线" in page
    assert "慢性病" not in page and "尿毒症" not in page and "医疗" not in page
    assert_no_clear_numbers(page)
    assert "451024********" not in page
    assert "@media print" in page or 'media="print"' in page
    assert web("shanwei").get("/publicity/451024100201/").status_code == 404
    assert "那温村" in text(web("debao").get("/publicity/451024/"))  # a county lists its villages


# --- monitoring lines ----------------------------------------------------------------------------------------------


def test_the_monitoring_line_table(web, hw):
    response = web("debao").get("/monitoring-lines/")
    assert response.status_code == 200
    page = text(response)
    assert "监测" in page and "7,000" in page and "广西壮族自治区" in page
    assert "/monitoring-lines/new/" not in page
    assert web("debao").get("/monitoring-lines/new/").status_code == 403
    assert "7,200" not in text(web("debao").get(f"/monitoring-lines/?year={TODAY.year - 1}"))


def test_the_coordination_office_edits_lines(web, hw):
    client = web("sz")
    data = {"province_code": "450000", "county_code": "451024", "year": TODAY.year, "amount": "7500",
            "income_fall_share": "0.30", "rigid_spending_share": "0.50", "clue_deadline_days": 20,
            "publicity_days": 5, "reason": "县级标准"}
    response = client.post("/monitoring-lines/new/", data)
    assert response.status_code == 302, text(response)
    line = MonitoringLine.objects.get(county_code="451024")
    assert line.amount == Decimal("7500") and line.clue_deadline_days == 20
    response = client.post("/monitoring-lines/new/", data)
    assert response.status_code == 200 and "已有" in text(response)  # one line per place and year
    response = client.post(f"/monitoring-lines/{line.pk}/edit/", {**data, "amount": "7600"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal("7600")
    assert web("debao").post(f"/monitoring-lines/{line.pk}/edit/", data).status_code == 403


def test_the_menu_opens_the_households_module(web, hw):
    page = text(web("debao").get("/"))
    assert 'href="/households/"' in page
    assert web("debao").get("/modules/households/").status_code == 404
