"""The web pages of funds and projects: scoped lists with filters and totals in 万元/亿元, a constant number of queries,
forms whose refusals name the figures, and the lifecycle from the project page."""

from datetime import date

import pytest
from django.test import Client

from bangfu.funds import services
from bangfu.funds.models import Expenditure
from bangfu.projects import services as project_services
from bangfu.projects.models import Project, State
from tests.test_funds import chain  # noqa: F401  (the fixture)


@pytest.fixture
def web(world):
    def login(username):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(world.users[username])
        return client

    return login


def test_pages_open_for_readers_and_show_amounts_in_units(chain, web):  # noqa: F811
    for username in ("debao", "nanshan", "sz", "auditor", "admin"):
        client = web(username)
        for url in ("/funds/", "/funds/sources/", "/funds/budgets/", "/funds/disbursements/",
                    "/funds/expenditures/", "/funds/supervision/", "/projects/", "/assets/",
                    f"/projects/{chain['project'].pk}/"):
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
    html = web("nanshan").get("/funds/?recipient=451024").content.decode()
    assert "1,000.00" in html and "万元" in html  # 10,000,000 fiscal aid shown as 1,000.00 万元
    html = web("debao").get("/projects/?year=2020&category=infrastructure").content.decode()
    assert "那温村产业路" in html and "600.00" in html


def test_shanwei_sees_none_of_debaos_money(chain, web):  # noqa: F811
    html = web("shanwei").get("/funds/sources/").content.decode()
    assert "0 条" in html or "0 records" in html
    assert web("shanwei").get(f"/projects/{chain['project'].pk}/").status_code == 404


def test_lists_cost_the_same_few_queries_for_many_rows(chain, world, web, django_assert_max_num_queries):  # noqa: F811
    debao, nanshan = world.users["debao"], world.users["nanshan"]
    for i in range(25):
        p = project_services.apply(debao, name=f"项目{i}", category="water", year=2020, region=world.village2,
                                   pairing=world.p_debao)
        for state in ("township_reviewed", "approved"):
            p = project_services.transition(debao, p, state)
        services.disburse_to_project(nanshan, parent=chain["to_county"], project=p, amount="100",
                                     paid_on=date(2020, 6, 1))
        p = project_services.transition(debao, Project.objects.get(pk=p.pk), "funded")
        services.spend(debao, project=Project.objects.get(pk=p.pk), amount="10", paid_on=date(2020, 6, 2))
    client = web("debao")
    for url in ("/projects/", "/funds/disbursements/", "/funds/expenditures/", "/funds/sources/", "/funds/budgets/",
                "/assets/", "/funds/"):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200, url
    assert Expenditure.objects.count() == 26


def test_apply_and_move_a_project_through_the_forms(world, web):
    client = web("debao")
    response = client.post("/projects/new/", {"name": "大旺村村道", "category": "infrastructure", "year": 2021,
                                              "region": world.village2.code, "pairing": world.p_debao.pk,
                                              "planned_amount": "500000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(name="大旺村村道")
    # Skipping a step is refused on the form, in Chinese, and nothing moves.
    response = client.post(f"/projects/{project.pk}/step/", {"state": "approved", "on": "2021-03-01"})
    assert response.status_code == 200 and "乡镇审核" in response.content.decode() or "不能" in \
        response.content.decode()
    assert Project.objects.get(pk=project.pk).state == State.APPLIED
    response = client.post(f"/projects/{project.pk}/step/", {"state": "township_reviewed", "on": "2021-03-01"})
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).state == State.TOWNSHIP_REVIEWED
    assert web("auditor").get(f"/projects/{project.pk}/step/").status_code == 403


def test_overspending_through_the_form_names_the_figures(chain, web):  # noqa: F811
    project = chain["project"]
    response = web("debao").post(f"/projects/{project.pk}/pay/", {"amount": "5000001", "paid_on": "2020-07-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "5,000,001.00" in html and "6,000,000.00" in html
    assert Expenditure.objects.count() == 1


def test_budget_and_source_forms(chain, world, web):  # noqa: F811
    client = web("nanshan")
    response = client.post("/funds/sources/new/", {"pairing": world.p_debao.pk, "kind": "fiscal", "level": "district",
                                                   "year": 2021, "amount": "300000", "received_on": "2021-02-01"})
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post("/funds/budgets/new/", {"pairing": world.p_debao.pk, "year": 2021, "amount": "300000.01",
                                                   "approved_on": "2021-02-02"})
    assert response.status_code == 200 and "300,000.00" in response.content.decode()
    response = client.post("/funds/budgets/new/", {"pairing": world.p_debao.pk, "year": 2021, "amount": "300000",
                                                   "approved_on": "2021-02-02"})
    assert response.status_code == 302
    assert web("debao").get("/funds/sources/new/").status_code == 403


def test_pass_money_on_to_a_project_through_the_form(chain, web):  # noqa: F811
    project = chain["project"]
    client = web("nanshan")
    html = client.get(f"/projects/{project.pk}/fund/").content.decode()
    assert "4,000,000.00" in html  # what is left of the county's disbursement
    response = client.post(f"/projects/{project.pk}/fund/", {"parent": chain["to_county"].pk, "amount": "4000000.01",
                                                             "paid_on": "2020-07-01"})
    assert response.status_code == 200 and "4,000,000.00" in response.content.decode()
    response = client.post(f"/projects/{project.pk}/fund/", {"parent": chain["to_county"].pk, "amount": "1000000",
                                                             "paid_on": "2020-07-01"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert str(project.disbursed) == "7000000.00"
