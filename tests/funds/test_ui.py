"""The web pages of funds and projects: scoped lists with filters and totals in 万元/亿元, a constant number of queries,
forms whose refusals name the figures, and the lifecycle from the project page."""

from datetime import date

import pytest
from django.test import Client

from bangfu.funds import services
from bangfu.funds.models import Expenditure
from bangfu.projects import services as project_services
from bangfu.projects.models import Project, State


@pytest.fixture
def web(world):
    def login(username):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(world.users[username])
        return client

    return login


def test_pages_open_for_readers_and_show_amounts_in_units(chain, web):
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


def test_shanwei_sees_none_of_debaos_money(chain, web):
    html = web("shanwei").get("/funds/sources/").content.decode()
    assert "0 条" in html or "0 records" in html
    assert web("shanwei").get(f"/projects/{chain['project'].pk}/").status_code == 404


def test_lists_cost_the_same_few_queries_for_many_rows(chain, world, web, query_baseline):
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
        with query_baseline(url):
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


def test_overspending_through_the_form_names_the_figures(chain, web):
    project = chain["project"]
    response = web("debao").post(f"/projects/{project.pk}/pay/", {"amount": "5000001", "paid_on": "2020-07-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "5,000,001.00" in html and "6,000,000.00" in html
    assert Expenditure.objects.count() == 1


def test_budget_and_source_forms(chain, world, web):
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


def test_pass_money_on_to_a_project_through_the_form(chain, web):
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


# --- The forms of the project page: milestones, beneficiaries, notices, dividends; assets; the year's roll-over. ---


def make_households(world, n):
    from bangfu.households.models import Household

    return [Household.objects.create(number=f"UI{i:04d}", village=world.village, household_type="lifted",
                                     county_code="451024", region_path=world.village.path, size=3)
            for i in range(n)]


def test_add_a_milestone_and_mark_it_done_from_the_project_page(chain, web):
    from bangfu.projects.models import Milestone

    project = chain["project"]
    client = web("debao")
    assert f"/projects/{project.pk}/milestones/new/" in client.get(f"/projects/{project.pk}/").content.decode()
    response = client.post(f"/projects/{project.pk}/milestones/new/", {"name": " ", "due": "2020-08-01"})
    assert response.status_code == 200 and "此项为必填项" in response.content.decode()
    assert not Milestone.objects.exists()
    response = client.post(f"/projects/{project.pk}/milestones/new/", {"name": "路基完工", "due": "2020-08-01"})
    assert response.status_code == 302, response.content.decode()[:2000]
    milestone = Milestone.objects.get(project=project, name="路基完工")
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert "路基完工" in html and f"/milestones/{milestone.pk}/done/" in html
    url = f"/projects/{project.pk}/milestones/{milestone.pk}/done/"
    response = client.post(url, {"done_on": "2020-08-03", "progress": "150"})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.done_on is None
    assert client.post(url, {"done_on": "2020-08-03", "progress": "40"}).status_code == 302
    milestone.refresh_from_db()
    project.refresh_from_db()
    assert milestone.done_on == date(2020, 8, 3) and project.progress == 40
    assert web("auditor").get(url).status_code == 403
    assert web("shanwei").get(f"/projects/{project.pk}/milestones/new/").status_code == 404


def test_link_beneficiary_households_from_the_project_page(chain, world, web):
    from bangfu.projects.models import Beneficiary

    project = chain["project"]
    households = make_households(world, 2)
    client = web("debao")
    url = f"/projects/{project.pk}/beneficiaries/new/"
    assert url in client.get(f"/projects/{project.pk}/").content.decode()
    response = client.post(url, {"year": 2020, "gain": "wages", "households": "UI0000\nNOPE9", "amount": "6000"})
    assert response.status_code == 200 and "NOPE9" in response.content.decode()
    assert not Beneficiary.objects.exists()
    response = client.post(url, {"year": 2020, "gain": "wages", "households": "UI0000, UI0001", "amount": "6000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(Beneficiary.objects.filter(project=project).values_list("household_id", flat=True)) == {
        h.pk for h in households}
    # Linking them again is refused by the service, in Chinese, and nothing more is written.
    response = client.post(url, {"year": 2020, "gain": "wages", "households": "UI0000", "amount": "6000"})
    assert response.status_code == 200 and "年度已关联" in response.content.decode()
    assert Beneficiary.objects.count() == 2
    assert web("nanshan").get(url).status_code == 403  # a helper may not link households
    assert web("shanwei").get(url).status_code == 404


def test_publish_a_notice_from_the_project_page(chain, world, web):
    from bangfu.portal.models import Notice

    project = chain["project"]
    client = web("debao")
    url = f"/projects/{project.pk}/notices/new/"
    assert url in client.get(f"/projects/{project.pk}/").content.decode()
    data = {"kind": "project", "level": "village", "region": world.village.code, "title": "那温村产业路公示",
            "body": "项目内容与资金", "published_on": "2020-05-01", "period_days": "5"}
    response = client.post(url, data)
    assert response.status_code == 200 and "至少 10 天" in response.content.decode()
    assert not Notice.objects.exists()
    response = client.post(url, {**data, "period_days": "10"})
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = Notice.objects.get(title="那温村产业路公示")
    assert notice.project == project and notice.region == world.village and notice.period_days == 10
    assert web("shanwei").get(url).status_code == 404


def test_register_and_edit_an_asset_from_the_assets_list(chain, world, web):
    from bangfu.projects.models import Asset

    project = chain["project"]
    client = web("debao")
    assert "/assets/new/" in client.get("/assets/").content.decode()
    data = {"name": "产业路", "kind": "public", "region": world.sw_village.code, "project": project.number,
            "value": "5000000", "owner": "那温村村民委员会", "upkeep": "那温村", "handed_over_on": "2020-12-01"}
    response = client.post("/assets/new/", data)
    assert response.status_code == 200 and "未知的地区代码" in response.content.decode()
    assert not Asset.objects.exists()
    response = client.post("/assets/new/", {**data, "region": world.village.code})
    assert response.status_code == 302, response.content.decode()[:2000]
    asset = Asset.objects.get(name="产业路")
    assert asset.project == project and str(asset.value) == "5000000.00"
    url = f"/assets/{asset.pk}/edit/"
    assert url in client.get("/assets/").content.decode()
    edit = {"name": "产业路", "kind": "public", "value": "5000000", "owner": "那温村村民委员会", "upkeep": "那温村",
            "income": "12000", "handed_over_on": "2020-12-01", "disposed_on": "2024-01-01", "disposal": ""}
    response = client.post(url, edit)
    assert response.status_code == 200 and "请说明资产处置方式" in response.content.decode()
    asset.refresh_from_db()
    assert asset.income == 0 and asset.disposed_on is None
    assert client.post(url, {**edit, "disposed_on": ""}).status_code == 302
    asset.refresh_from_db()
    assert str(asset.income) == "12000.00"
    assert web("nanshan").get("/assets/new/").status_code == 403  # a helper does not keep the ledger


def test_distribute_a_dividend_from_the_project_page(chain, world, web):
    from bangfu.projects.models import Beneficiary, Dividend

    project = project_services.transition(world.users["debao"], chain["project"], "completed", on=date(2020, 11, 1))
    make_households(world, 3)
    client = web("debao")
    url = f"/projects/{project.pk}/dividends/new/"
    assert url in client.get(f"/projects/{project.pk}/").content.decode()
    data = {"year": 2020, "amount": "0.02", "distributed_on": "2020-12-10", "households": "UI0000 UI0001 UI0002"}
    response = client.post(url, data)
    assert response.status_code == 200 and "不足以分给 3 户" in response.content.decode()
    assert not Dividend.objects.exists() and not Beneficiary.objects.exists()
    response = client.post(url, {**data, "amount": "100"})
    assert response.status_code == 302, response.content.decode()[:2000]
    dividend = Dividend.objects.get(project=project)
    assert str(dividend.amount) == "100.00"
    assert sorted(str(b.amount) for b in Beneficiary.objects.filter(dividend=dividend)) == ["33.33", "33.33", "33.34"]


def test_roll_over_a_years_unfunded_projects(world, web):
    debao = world.users["debao"]
    project = project_services.apply(debao, name="多敬村水池", category="water", year=2021, region=world.village2,
                                     pairing=world.p_debao)
    for state in ("township_reviewed", "approved"):
        project = project_services.transition(debao, project, state)
    client = web("debao")
    assert "/projects/roll-over/" in client.get("/projects/").content.decode()
    response = client.post("/projects/roll-over/", {"year": "二〇二一", "on": "2021-12-31"})
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.year == 2021
    response = client.post("/projects/roll-over/", {"year": "2021", "on": "2021-12-31"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.year == 2022 and project.rolled_from_year == 2021
    assert web("auditor").get("/projects/roll-over/").status_code == 403
