"""The funds chain: sources → budget → disbursement to the region → on to projects → expenditure → adjustments, with its
invariants refused (naming the figures, writing nothing) through the services, the API and the database."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bangfu.core.models import ChangeLog
from bangfu.funds import services
from bangfu.funds.models import Budget, Disbursement, Expenditure, FundSource
from bangfu.projects import services as project_services
from bangfu.projects.models import Project
from tests.funds.conftest import walk


def test_summary_adds_up_the_chain(chain, api_as):
    status, body = api_as("nanshan").get("/api/v1/funds/summary?recipient=451024&year=2020")
    assert status == 200, body
    assert body == {"fiscal": "10000000.00", "social": "2500000.00", "budgeted": "12000000.00",
                    "disbursed": "10000000.00", "spent": "1000000.00", "projects": 1, "beneficiary_households": 0}
    status, body = api_as("sz").get("/api/v1/funds/summary?helper=440300")
    assert body["fiscal"] == "10000000.00" and body["spent"] == "1000000.00"
    # 汕尾 sees nothing of 德保's money; a year without records gives zeros.
    status, body = api_as("shanwei").get("/api/v1/funds/summary?recipient=451024")
    assert status == 200 and body["fiscal"] == "0.00" and body["projects"] == 0
    assert api_as("nanshan").get("/api/v1/funds/summary?recipient=451024&year=2019")[1]["fiscal"] == "0.00"
    assert api_as("nanshan").get("/api/v1/funds/summary")[0] == 422


def test_overspending_is_refused_with_the_figures_and_nothing_written(chain, world, api_as):
    project = chain["project"]
    before = (ChangeLog.objects.count(), Expenditure.objects.count())
    status, body = api_as("debao").post("/api/v1/funds/expenditures", {
        "project": project.pk, "amount": "5000000.01", "paid_on": "2020-07-01"})
    assert status == 422, body
    assert "5,000,000.01" in body["message"] and "6,000,000.00" in body["message"] and "1,000,000.00" in \
        body["message"] and "5,000,000.00" in body["message"]
    assert (ChangeLog.objects.count(), Expenditure.objects.count()) == before
    project.refresh_from_db()
    assert project.spent == Decimal("1000000.00")
    # Exactly what is left is fine.
    status, body = api_as("debao").post("/api/v1/funds/expenditures", {
        "project": project.pk, "amount": "5000000.00", "paid_on": "2020-07-01"})
    assert status == 201, body
    project.refresh_from_db()
    assert project.spent == project.disbursed == Decimal("6000000.00")


def test_disbursing_beyond_the_budget_and_budgeting_beyond_the_cash_are_refused(chain, world, api_as):
    budget = chain["budget"]
    status, body = api_as("nanshan").post(f"/api/v1/funds/budgets/{budget.pk}/disburse", {
        "amount": "2000000.01", "paid_on": "2020-08-01"})
    assert status == 422 and "12,000,000.00" in body["message"] and "2,000,000.00" in body["message"]
    status, body = api_as("nanshan").post(f"/api/v1/funds/disbursements/{chain['to_county'].pk}/pass-on", {
        "project": chain["project"].pk, "amount": "4000000.01", "paid_on": "2020-08-01"})
    assert status == 422 and "10,000,000.00" in body["message"]
    # A budget may not exceed the fiscal aid and cash donations of its pairing and year (in kind is not cash).
    services.record_source(world.users["nanshan"], pairing=world.p_debao, kind="fiscal", level="district",
                           year=2021, amount="100", received_on=date(2021, 1, 5))
    status, body = api_as("nanshan").post("/api/v1/funds/budgets", {
        "pairing": world.p_debao.pk, "year": 2021, "amount": "100.01", "approved_on": "2021-01-10"})
    assert status == 422 and "100.00" in body["message"]
    assert not Budget.objects.filter(year=2021).exists()
    assert Budget.objects.get(pk=budget.pk).disbursed == Decimal("10000000.00")


def test_nothing_goes_to_or_is_spent_on_a_project_not_approved(chain, world):
    debao, nanshan = world.users["debao"], world.users["nanshan"]
    applied = project_services.apply(debao, name="大旺村饮水", category="water", year=2020, region=world.village2,
                                     pairing=world.p_debao)
    with pytest.raises(ValidationError, match="审定"):
        services.disburse_to_project(nanshan, parent=chain["to_county"], project=applied, amount="1",
                                     paid_on=date(2020, 6, 1))
    with pytest.raises(ValidationError, match="资金计划"):
        services.spend(debao, project=applied, amount="1", paid_on=date(2020, 6, 1))
    approved = walk(applied, debao, "approved")
    services.disburse_to_project(nanshan, parent=chain["to_county"], project=approved, amount="10",
                                 paid_on=date(2020, 6, 1))
    with pytest.raises(ValidationError, match="资金计划"):  # decided and paid, but its funds not planned yet
        services.spend(debao, project=Project.objects.get(pk=approved.pk), amount="1", paid_on=date(2020, 6, 1))


def test_adjustments_and_refunds_keep_the_chain(chain, world, api_as):
    expenditure = Expenditure.objects.get()
    status, body = api_as("debao").post("/api/v1/funds/adjustments", {
        "target": "expenditure", "id": expenditure.pk, "delta": "-200000", "kind": "refund", "on": "2020-09-01",
        "reason": "多付工程款退回"})
    assert status == 201, body
    assert body["before"] == "1000000.00" and body["after"] == "800000.00"
    project = Project.objects.get(pk=chain["project"].pk)
    assert project.spent == Decimal("800000.00")
    assert Disbursement.objects.get(pk=chain["to_project"].pk).spent == Decimal("800000.00")
    # A budget cannot shrink below what was disbursed from it.
    status, body = api_as("nanshan").post("/api/v1/funds/adjustments", {
        "target": "budget", "id": chain["budget"].pk, "delta": "-2000000.01", "on": "2020-09-01", "reason": "调减"})
    assert status == 422 and "10,000,000.00" in body["message"]
    # Reducing a project's disbursement gives the money back to the county's.
    status, body = api_as("nanshan").post("/api/v1/funds/adjustments", {
        "target": "disbursement", "id": chain["to_project"].pk, "delta": "-1000000", "on": "2020-09-01",
        "reason": "调减"})
    assert status == 201, body
    assert Disbursement.objects.get(pk=chain["to_county"].pk).allocated == Decimal("5000000.00")
    assert Project.objects.get(pk=project.pk).disbursed == Decimal("5000000.00")
    # A refund is a reduction; no reason, no change.
    assert api_as("debao").post("/api/v1/funds/adjustments", {
        "target": "expenditure", "id": expenditure.pk, "delta": "10", "kind": "refund", "on": "2020-09-01",
        "reason": "x"})[0] == 422
    assert api_as("debao").post("/api/v1/funds/adjustments", {
        "target": "expenditure", "id": expenditure.pk, "delta": "-10", "on": "2020-09-01", "reason": " "})[0] == 422


def test_the_database_holds_the_invariants_too(chain):
    project = chain["project"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(spent=project.disbursed + Decimal("0.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.filter(pk=chain["budget"].pk).update(disbursed=Decimal("12000000.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.filter(pk=chain["to_county"].pk).update(allocated=Decimal("10000000.01"))


def test_bad_input_is_422_never_500(chain, world, api_as):
    api = api_as("nanshan")
    for amount in ("abc", "1.001", "-5", "1e30", "NaN"):
        status, body = api.post("/api/v1/funds/sources", {"pairing": world.p_debao.pk, "kind": "fiscal",
                                                           "level": "district", "year": 2020, "amount": amount,
                                                           "received_on": "2020-01-01"})
        assert status == 422, (amount, body)
    assert api.post("/api/v1/funds/sources", {"pairing": world.p_debao.pk, "kind": "fiscal", "year": 2020,
                                              "amount": "5", "received_on": "2020-01-01"})[0] == 422  # no level
    assert api.post("/api/v1/funds/sources", {"pairing": world.p_shanwei.pk, "kind": "social_cash", "year": 2020,
                                              "amount": "5", "received_on": "2020-01-01"})[0] == 422  # not his
    assert FundSource.objects.count() == 3


def test_roles_may_not_write_what_they_may_not(chain, world, api_as):
    assert api_as("auditor").post("/api/v1/funds/budgets", {
        "pairing": world.p_debao.pk, "year": 2019, "amount": "1", "approved_on": "2019-01-01"})[0] in (403, 422)
    assert api_as("debao").post("/api/v1/funds/budgets", {
        "pairing": world.p_debao.pk, "year": 2019, "amount": "1", "approved_on": "2019-01-01"})[0] == 403
    status, _body = api_as("shanwei").get(f"/api/v1/funds/budgets/{chain['budget'].pk}")
    assert status == 404


def test_lists_filter_and_stay_in_scope(chain, api_as):
    status, body = api_as("debao").get("/api/v1/funds/sources?year=2020&kind=fiscal")
    assert status == 200 and body["count"] == 1
    assert api_as("shanwei").get("/api/v1/funds/sources")[1]["count"] == 0
    status, body = api_as("debao").get("/api/v1/funds/disbursements?to=project")
    assert body["count"] == 1 and body["items"][0]["project"] == chain["project"].pk
    status, body = api_as("debao").get(f"/api/v1/funds/expenditures?project={chain['project'].pk}")
    assert body["count"] == 1 and body["items"][0]["amount"] == "1000000.00"
    status, body = api_as("debao").get("/api/v1/funds/by-year?recipient=451024")
    assert body[0]["year"] == 2020 and body[0]["total"] == "12500000.00" and body[0]["in_kind"] == "500000.00"


def test_supervision_lists_unspent_money_and_projects_behind(chain, world, api_as):
    status, body = api_as("debao").get("/api/v1/funds/supervision/unspent?days=30&recipient=451024")
    assert status == 200 and body["count"] == 1 and body["items"][0]["unspent"] == "5000000.00"
    project_services.add_milestone(world.users["debao"], chain["project"], "主体完工", date(2020, 8, 1))
    status, body = api_as("debao").get("/api/v1/funds/supervision/behind?recipient=451024")
    assert body["count"] == 1 and body["items"][0]["overdue_milestones"] == 1


def test_tilt_rules_are_configuration_and_judged_with_figures(chain, world, api_as):
    from bangfu.funds.models import TiltRule

    TiltRule.objects.create(year=2020, kind="industry_share", threshold=Decimal("55"))
    TiltRule.objects.create(year=2020, kind="fiscal_not_decreasing")
    status, body = api_as("nanshan").get("/api/v1/funds/tilt?year=2020&recipient=451024")
    assert status == 200
    rules = {r["rule"]: r for r in body}
    assert rules["industry_share"]["met"] is False and rules["industry_share"]["value"] == "0.00"
    assert rules["fiscal_not_decreasing"]["met"] is True
    assert "10,000,000.00" in rules["fiscal_not_decreasing"]["figures"]


def test_source_totals_follow_the_sources(chain, world):
    from django.db.models import Count, Sum

    from bangfu.funds.models import SourceTotal

    services.record_source(world.users["nanshan"], pairing=world.p_debao, kind="fiscal", level="district", year=2020,
                           amount="0.01", received_on=date(2020, 5, 1))
    by_sources = {(r["pairing_id"], r["year"], r["kind"]): (r["s"], r["n"]) for r in FundSource.objects.order_by()
                  .values("pairing_id", "year", "kind").annotate(s=Sum("amount"), n=Count("id"))}
    by_totals = {(t.pairing_id, t.year, t.kind): (t.amount, t.rows) for t in SourceTotal.objects.all()}
    assert by_totals == by_sources
    assert by_totals[(world.p_debao.pk, 2020, "fiscal")] == (Decimal("10000000.01"), 2)


def test_figures_for_one_pairing(chain, world, api_as):
    api = api_as("nanshan")
    status, body = api.get(f"/api/v1/funds/summary?pairing={world.p_debao.pk}")
    assert status == 200 and body["spent"] == "1000000.00" and body["budgeted"] == "12000000.00"
    for path in (f"/api/v1/funds/by-year?pairing={world.p_debao.pk}",
                 f"/api/v1/funds/tilt?year=2020&pairing={world.p_debao.pk}"):
        assert api.get(path)[0] == 200, path
    assert api.get(f"/api/v1/funds/summary?pairing={world.p_shanwei.pk}")[1]["fiscal"] == "0.00"
