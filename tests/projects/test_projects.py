"""The project library: the lifecycle one step at a time, roll-over, milestones, beneficiaries, enclave dividends and
assets."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bangfu.core.models import ChangeLog
from bangfu.households.models import Household
from bangfu.projects import services
from bangfu.projects.models import Beneficiary, Project, State, Step


@pytest.fixture
def project(world):
    return services.apply(world.users["debao"], name="那温村饮水工程", category="water", year=2020,
                          region=world.village, pairing=world.p_debao, planned_amount="300000",
                          implementer="城关镇人民政府", responsible="李四", on=date(2020, 3, 1))


def households(world, n):
    return [Household.objects.create(number=f"T{i:04d}", village=world.village, household_type="lifted",
                                     county_code="451024", region_path=world.village.path, size=3).pk
            for i in range(n)]


def test_apply_gives_a_numbered_project_in_the_library(project, world):
    assert project.state == State.APPLIED and project.number == "451024-2020-0001"
    assert project.org_path == world.nanshan.path and project.county_code == "451024"
    assert Step.objects.filter(project=project, to_state=State.APPLIED).count() == 1


def test_skipping_a_step_is_refused_and_nothing_changes(project, api_as):
    before = ChangeLog.objects.count()
    status, body = api_as("debao").post(f"/api/v1/projects/{project.pk}/transition", {"state": "approved"})
    assert status == 422, body
    assert "Reviewed by the township" in body["message"] or "乡" in body["message"]
    assert Project.objects.get(pk=project.pk).state == State.APPLIED
    assert ChangeLog.objects.count() == before
    # Back or sideways too.
    assert api_as("debao").post(f"/api/v1/projects/{project.pk}/transition", {"state": "handed_over"})[0] == 422
    assert api_as("debao").post(f"/api/v1/projects/{project.pk}/transition", {"state": "nonsense"})[0] == 422


def test_the_whole_course_one_step_at_a_time(project, world, api_as):
    api = api_as("debao")
    for state in ("township_reviewed", "approved", "funded", "implementing", "completed", "accepted",
                  "handed_over"):
        status, body = api.post(f"/api/v1/projects/{project.pk}/transition", {"state": state, "on": "2020-06-01"})
        assert status == 200, (state, body)
        assert body["state"] == state
    assert [s["to_state"] for s in body["steps"]] == ["applied", "township_reviewed", "approved", "funded",
                                                      "implementing", "completed", "accepted", "handed_over"]
    assert body["published_on"] == "2020-06-01" and body["progress"] == 100 and body["next_states"] == []


def test_a_helper_may_not_decide_for_the_county(project, world):
    services.transition(world.users["debao"], project, State.TOWNSHIP_REVIEWED)
    with pytest.raises(PermissionDenied):
        services.transition(world.users["nanshan"], Project.objects.get(pk=project.pk), State.APPROVED)


def test_rejected_before_the_decision_only(project, world):
    debao = world.users["debao"]
    services.transition(debao, project, State.REJECTED, note="不符合条件")
    with pytest.raises(ValidationError):
        services.transition(debao, Project.objects.get(pk=project.pk), State.TOWNSHIP_REVIEWED)


def test_unfunded_projects_roll_over_to_next_year(project, world, api_as):
    debao = world.users["debao"]
    services.transition(debao, project, State.TOWNSHIP_REVIEWED)
    services.transition(debao, Project.objects.get(pk=project.pk), State.APPROVED)
    status, body = api_as("debao").post("/api/v1/projects/roll-over", {"year": 2020})
    assert status == 200 and body == {"linked": 1}
    project.refresh_from_db()
    assert project.year == 2021 and project.rolled_from_year == 2020 and project.state == State.APPROVED
    assert project.steps.filter(to_state=State.ROLLED_OVER).exists()


def test_milestones_and_progress(project, world, api_as):
    api = api_as("debao")
    status, body = api.post(f"/api/v1/projects/{project.pk}/milestones", {"name": "开工", "due": "2020-07-01"})
    assert status == 201
    status, body = api.post(f"/api/v1/projects/{project.pk}/milestones/{body['id']}/done",
                            {"done_on": "2020-07-03", "progress": 30})
    assert status == 200 and body["done_on"] == "2020-07-03"
    assert Project.objects.get(pk=project.pk).progress == 30
    assert api.patch(f"/api/v1/projects/{project.pk}", {"progress": 101})[0] == 422


def test_beneficiaries_and_an_enclave_dividend_add_up_exactly(project, world, api_as):
    ids = households(world, 3)
    api = api_as("debao")
    status, body = api.post(f"/api/v1/projects/{project.pk}/beneficiaries",
                            {"year": 2020, "gain": "wages", "households": ids[:2], "amount": "6000"})
    assert status == 201 and body == {"linked": 2}
    assert api.post(f"/api/v1/projects/{project.pk}/beneficiaries",
                    {"year": 2020, "gain": "wages", "households": ids[:1]})[0] == 422  # linked already
    # A dividend comes from a project that is built.
    assert api.post(f"/api/v1/projects/{project.pk}/dividends", {
        "year": 2020, "amount": "100", "distributed_on": "2020-12-10", "households": ids})[0] == 422
    for state in ("township_reviewed", "approved", "funded", "implementing", "completed"):
        services.transition(world.users["debao"], Project.objects.get(pk=project.pk), state)
    status, body = api.post(f"/api/v1/projects/{project.pk}/dividends", {
        "year": 2020, "amount": "100.00", "distributed_on": "2020-12-10", "households": ids})
    assert status == 201 and body["households"] == 3
    shares = sorted(Beneficiary.objects.filter(gain="dividend").values_list("amount", flat=True))
    assert shares == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")] and sum(shares) == Decimal("100.00")
    status, body = api.get(f"/api/v1/projects/{project.pk}")
    assert body["beneficiary_households"] == 3 and body["gains"] == {"wages": "12000.00", "dividend": "100.00"}
    status, body = api_as("sz").get("/api/v1/funds/summary?helper=440300")
    assert body["beneficiary_households"] == 3


def test_households_outside_the_county_are_refused(project, world):
    other = Household.objects.create(number="SW1", village=world.sw_village, household_type="lifted",
                                     county_code="441581", region_path=world.sw_village.path, size=2)
    with pytest.raises(ValidationError):
        services.link_beneficiaries(world.users["admin"], project, year=2020, gain="wages", household_ids=[other.pk])


def test_assets_ledger(project, world, api_as):
    api = api_as("debao")
    status, body = api.post("/api/v1/assets", {"name": "那温村蓄水池", "kind": "public", "region": world.village.code,
                                               "project": project.pk, "value": "300000", "owner": "那温村村民委员会"})
    assert status == 201, body
    assert body["number"] == "451024-A00001"
    status, body = api.patch(f"/api/v1/assets/{body['id']}", {"disposed_on": "2024-01-01"})
    assert status == 422  # how it was disposed of
    assert api_as("shanwei").get("/api/v1/assets")[1]["count"] == 0
    assert api_as("nanshan").post("/api/v1/assets", {"name": "x", "kind": "public", "region": world.village.code,
                                                     "value": "1", "owner": "x"})[0] == 403


def test_project_lists_filter(project, world, api_as):
    api = api_as("nanshan")
    assert api.get("/api/v1/projects?recipient=451024&year=2020&category=water&state=applied")[1]["count"] == 1
    assert api.get("/api/v1/projects?category=industry")[1]["count"] == 0
    assert api_as("shanwei").get("/api/v1/projects")[1]["count"] == 0
    assert api_as("shanwei").get(f"/api/v1/projects/{project.pk}")[0] == 404


def test_export_of_projects_and_funds_is_scoped(project, world, tmp_path):
    from bangfu.core.exports import export

    n = export("projects", tmp_path / "p.csv", world.users["debao"])
    assert n == 1
    text = (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    assert "项目编号" in text and "那温村饮水工程" in text and "饮水" in text
    assert export("projects", tmp_path / "q.csv", world.users["shanwei"]) == 0
    for entity in ("fund-sources", "budgets", "disbursements", "expenditures", "beneficiaries", "assets"):
        assert export(entity, tmp_path / f"{entity}.xlsx", world.users["debao"]) == 0


def test_out_of_range_numbers_are_422_not_500(project, world, api_as):
    api = api_as("debao")
    assert api.post(f"/api/v1/projects/{project.pk}/dividends", {
        "year": 70000, "amount": "1", "distributed_on": "2020-01-01", "households": [1]})[0] == 422
    assert api.post(f"/api/v1/projects/{project.pk}/beneficiaries", {
        "year": 2020, "gain": "wages", "households": [2**64]})[0] == 422
    assert api.post("/api/v1/funds/expenditures", {"project": 2**64, "amount": "1", "paid_on": "2020-01-01"})[0] == 422
    assert api.post("/api/v1/projects", {"name": "x", "category": "water", "year": 1, "region": "451024"})[0] == 422
