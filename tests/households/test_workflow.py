"""The monitoring workflow: the review chain in order, who may do each step, publicity, approval, elimination."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bangfu.core.models import ChangeLog
from bangfu.households import workflow
from bangfu.households.models import (
    Clue,
    Household,
    Measure,
    MonitoringLine,
    Purpose,
    RiskStatus,
)
from tests.households.conftest import WORKFLOW_TODAY as TODAY


def walk_to(clue, cadres, stage, today=TODAY):
    steps = [("verified", "village"), ("crosschecked", "village"), ("publicised", "village"),
             ("township_reviewed", "township"), ("approved", "county")]
    day = today
    for to_stage, who in steps:
        if to_stage == "township_reviewed":
            day = clue.publicity_end + timedelta(days=1)
        clue = workflow.advance(cadres[who], clue, to_stage, reason=f"{to_stage} 完成", category="unstable",
                                today=day)
        if to_stage == stage:
            return clue
    return clue


def test_the_chain_in_order_registers_a_monitoring_object(cadres):
    clue = workflow.open_case(cadres["village"], cadres["household"], reason="农户自主申报", today=TODAY,
                              source="self_report")
    assert clue.deadline == TODAY + timedelta(days=15)
    clue = walk_to(clue, cadres, "approved")
    hh = Household.objects.get(pk=cadres["household"].pk)
    assert (clue.stage, clue.is_open, hh.risk_status, hh.monitoring_category) == (
        "approved", False, "monitored", "unstable")
    assert [t.to_stage for t in clue.transitions.all()] == [
        "clue", "verified", "crosschecked", "publicised", "township_reviewed", "approved"]
    assert all(t.actor_id for t in clue.transitions.all())
    assert ChangeLog.objects.filter(object_id=str(clue.pk), content_type__model="clue").count() == 6
    assert ChangeLog.objects.get(object_id=str(hh.pk), content_type__model="household").actor_name == "debao"


def test_out_of_order_steps_are_refused(cadres):
    clue = workflow.open_case(cadres["village"], cadres["household"], today=TODAY)
    with pytest.raises(ValidationError, match="home verification|入户核实"):
        workflow.advance(cadres["county"], clue, "approved", today=TODAY)
    assert Clue.objects.get(pk=clue.pk).stage == "clue"


def test_each_step_belongs_to_its_level(cadres):
    clue = workflow.open_case(cadres["village"], cadres["household"], today=TODAY)
    clue = walk_to(clue, cadres, "publicised")
    with pytest.raises(PermissionDenied):  # the village proposes, the township reviews
        workflow.advance(cadres["village"], clue, "township_reviewed", today=clue.publicity_end + timedelta(1))
    with pytest.raises(PermissionDenied):  # a helper unit sees the case but takes no step in it
        workflow.advance(cadres["helper"], clue, "rejected", reason="x", today=TODAY)


def test_publicity_lasts_five_days_and_happens_once(cadres):
    clue = workflow.open_case(cadres["village"], cadres["household"], today=TODAY)
    clue = walk_to(clue, cadres, "publicised")
    assert (clue.publicity_end - clue.publicity_start).days + 1 == 5
    with pytest.raises(ValidationError, match="publicity|公示"):
        workflow.advance(cadres["township"], clue, "township_reviewed", today=clue.publicity_end)
    listing = workflow.publicity_list(cadres["county"], cadres["household"].village_id, today=TODAY)
    assert [row["household"] for row in listing] == ["4510240001"]
    assert set(listing[0]) == {"household", "name", "village", "purpose", "category", "reason", "from", "until"}


def test_rejection_needs_a_reason_and_closes_the_case(cadres):
    clue = workflow.open_case(cadres["village"], cadres["household"], today=TODAY)
    with pytest.raises(ValidationError):
        workflow.advance(cadres["township"], clue, "rejected", today=TODAY)
    clue = workflow.advance(cadres["township"], clue, "rejected", reason="收入核实后高于监测线", today=TODAY)
    assert not clue.is_open
    with pytest.raises(ValidationError):
        workflow.advance(cadres["county"], clue, "approved", today=TODAY)


def test_one_open_case_per_household(cadres):
    workflow.open_case(cadres["village"], cadres["household"], today=TODAY)
    with pytest.raises(ValidationError):
        workflow.open_case(cadres["village"], cadres["household"], today=TODAY)


def test_no_labour_household_cannot_be_eliminated(cadres):
    hh = cadres["nolabour"]
    walk_to(workflow.open_case(cadres["village"], hh, today=TODAY), cadres, "approved")
    with pytest.raises(ValidationError, match="labour|劳动"):
        workflow.open_case(cadres["village"], Household.objects.get(pk=hh.pk), purpose=Purpose.ELIMINATE,
                           today=TODAY)


def test_elimination_checks_every_criterion(cadres):
    hh = cadres["household"]
    walk_to(workflow.open_case(cadres["village"], hh, today=TODAY), cadres, "approved")
    hh.refresh_from_db()
    case = workflow.open_case(cadres["village"], hh, purpose=Purpose.ELIMINATE, today=TODAY, reason="收入稳定")
    case = walk_to(case, cadres, "township_reviewed")
    too_soon = case.publicity_end + timedelta(days=1)
    with pytest.raises(ValidationError, match="183"):  # monitored for days, not half a year
        workflow.advance(cadres["county"], case, "approved", today=too_soon)
    later = timezone.localdate() + timedelta(days=200)
    criteria = workflow.elimination_criteria(hh, today=later)
    assert {c.code: c.met for c in criteria} == {"stable": True, "income": True, "rigid": True, "secured": True,
                                                 "labour": True}
    workflow.advance(cadres["county"], case, "approved", today=later)
    assert Household.objects.get(pk=hh.pk).risk_status == RiskStatus.ELIMINATED


def test_work_queue(cadres):
    hh = cadres["household"]
    clue = workflow.open_case(cadres["village"], hh, today=TODAY - timedelta(days=20))
    queue = workflow.work_queue(cadres["county"], today=TODAY)
    assert list(queue["overdue"]) == [clue]
    walk_to(clue, cadres, "approved")
    queue = workflow.work_queue(cadres["county"], today=TODAY)
    assert list(queue["without_measure"]) == [Household.objects.get(pk=hh.pk)]
    assert list(queue["ready_to_eliminate"]) == [Household.objects.get(pk=hh.pk)]
    Measure.objects.create(household=hh, county_code=hh.county_code, region_path=hh.region_path, kind="employment",
                           description="推荐至帮扶车间", responsible_unit="城关镇", responsible_person="李某",
                           start=TODAY)
    assert list(workflow.work_queue(cadres["county"], today=TODAY)["without_measure"]) == []


def test_each_user_sees_the_queue_of_his_scope(cadres, world):
    workflow.open_case(cadres["village"], cadres["household"], today=TODAY - timedelta(days=20))
    assert workflow.work_queue(cadres["county"], today=TODAY)["overdue"].count() == 1
    assert workflow.work_queue(world.users["shanwei"], today=TODAY)["overdue"].count() == 0


def test_workflow_through_the_api(cadres):
    from tests.conftest import ApiClient

    village, county = ApiClient(cadres["village"]), ApiClient(cadres["county"])
    hh = cadres["household"]
    status, clue = village.post("/api/v1/clues", {"household": hh.pk, "source": "self_report", "reason": "因病申报"})
    assert status == 201, clue
    status, body = county.post(f"/api/v1/clues/{clue['id']}/advance", {"stage": "approved"})
    assert status == 422 and "stage" in body["errors"]  # approving a clue never verified
    status, body = ApiClient(cadres["helper"]).post(f"/api/v1/clues/{clue['id']}/advance", {"stage": "verified"})
    assert status == 403
    for stage in ("verified", "crosschecked", "publicised"):
        status, body = village.post(f"/api/v1/clues/{clue['id']}/advance", {"stage": stage, "reason": "已核实"})
        assert status == 200, body
    status, rows = county.get(f"/api/v1/clues/publicity/{hh.village_id}")
    assert status == 200 and rows[0]["household"] == hh.number
    assert not re.search(r"\b\d{17}[\dXx]\b", str(rows)) and not re.search(r"\b1[3-9]\d{9}\b", str(rows))
    status, steps = county.get(f"/api/v1/clues/{clue['id']}/transitions")
    assert [s["to_stage"] for s in steps] == ["clue", "verified", "crosschecked", "publicised"]
    status, queue = county.get("/api/v1/clues/queue/mine")
    assert status == 200 and set(queue["counts"]) == {"overdue", "publicity_ending", "without_measure",
                                                      "ready_to_eliminate"}
    assert ApiClient(cadres["village"]).get(f"/api/v1/households/{hh.pk}/elimination-criteria")[0] == 200


def test_publicity_never_shows_health_or_free_text(cadres):
    hh = cadres["household"]
    clue = workflow.open_case(cadres["village"], hh, source="cadre_visit", reason="户主患尿毒症，透析费用高",
                              today=TODAY)
    clue.reasons = [*clue.reasons, {"code": "rigid_spending", "text": "合规自付医疗支出 30,000.00 元"},
                    {"code": "low_income", "text": "人均纯收入 3,812.50 元，低于监测线 7,000 元"}]
    clue.save()
    walk_to(clue, cadres, "publicised")
    reason = workflow.publicity_list(cadres["county"], hh.village_id, today=TODAY)[0]["reason"]
    assert "人均纯收入 3,812.50 元" in reason
    assert "医疗" not in reason and "尿毒症" not in reason and "透析" not in reason


def test_the_elimination_queue_uses_the_county_line_first(cadres):
    hh = cadres["household"]  # per-capita 9,000 last year; the province line is 7,000
    walk_to(workflow.open_case(cadres["village"], hh, today=TODAY), cadres, "approved")
    assert list(workflow.work_queue(cadres["county"], today=TODAY)["ready_to_eliminate"]) == [hh]
    MonitoringLine.objects.create(province_code="450000", county_code="451024", year=TODAY.year - 1,
                                  amount=Decimal("9500"))
    assert list(workflow.work_queue(cadres["county"], today=TODAY)["ready_to_eliminate"]) == []
    assert not {c.code: c.met for c in workflow.elimination_criteria(hh, today=TODAY)}["income"]
