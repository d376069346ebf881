"""Fixtures of the funds tests: a small funds chain on the shared world."""

from datetime import date

import pytest

from bangfu.funds import services
from bangfu.projects import services as project_services


@pytest.fixture
def chain(world):
    """南山 → 德保: 1,000万 fiscal + 200万 cash in 2020, a budget of 1,200万, 1,000万 disbursed to the county and
    600万 of it passed on to a village project, 100万 spent."""
    u = world.users
    nanshan, admin = u["nanshan"], u["admin"]
    services.record_source(nanshan, pairing=world.p_debao, kind="fiscal", level="district", year=2020,
                           amount="10000000", received_on=date(2020, 3, 1))
    services.record_source(nanshan, pairing=world.p_debao, kind="social_cash", year=2020, amount="2000000",
                           received_on=date(2020, 4, 1), donor="某基金会")
    services.record_source(nanshan, pairing=world.p_debao, kind="in_kind", year=2020, amount="500000",
                           received_on=date(2020, 4, 1), donor="某企业")
    budget = services.create_budget(nanshan, pairing=world.p_debao, year=2020, amount="12000000",
                                    approved_on=date(2020, 2, 1))
    to_county = services.disburse_to_region(nanshan, budget=budget, amount="10000000", paid_on=date(2020, 4, 10))
    project = project_services.apply(u["debao"], name="那温村产业路", category="infrastructure", year=2020,
                                     region=world.village, pairing=world.p_debao, planned_amount="6000000")
    project = walk(project, u["debao"], "approved")
    to_project = services.disburse_to_project(nanshan, parent=to_county, project=project, amount="6000000",
                                              paid_on=date(2020, 5, 10))
    project = walk_from(project, u["debao"], ["funded", "implementing"])
    services.spend(u["debao"], project=project, amount="1000000", paid_on=date(2020, 6, 1), payee="施工单位")
    return {"budget": budget, "to_county": to_county, "to_project": to_project, "project": project, "admin": admin}


def walk(project, actor, to: str):
    """Move a project along the lifecycle up to `to`, one step at a time."""
    order = ["township_reviewed", "approved", "funded", "implementing", "completed", "accepted", "handed_over"]
    for state in order[:order.index(to) + 1]:
        project = project_services.transition(actor, project, state, on=date(2020, 5, 1))
    return project


def walk_from(project, actor, states):
    for state in states:
        project = project_services.transition(actor, project, state, on=date(2020, 5, 20))
    return project
