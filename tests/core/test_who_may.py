"""The write walk: every write route of the API and every form of the UI, with every demo account, against a declared
matrix of who may (core.rules and each app's RULES; docs/security.md says it in words).

The world: 南山区 helps 德保县 (its street helps a 德保 village), 深圳市 (the coordination office) helps 汕尾市 and
sits above 南山区. Every object written to lies in 德保 and, where it carries money or a pairing, is 南山's. So:
`admin` may everything; `sz` and `nanshan` own the helper side's rows, `debao` the recipient side's; `shanwei` sees
none of them (404, or 422 for a reference in the body he cannot name); `auditor` sees all and may do nothing (403).

Each call runs in a savepoint rolled back after it, so every account meets the same world. An outcome is
- "o": 2xx (or a redirect from a form) and something written (change log, access log, clues or a queued task);
- "z": 2xx and nothing to write for this account (a roll-over with nothing of his to roll over);
- "f": 403 and nothing written;  "n": 404 and nothing written;  "i": 422 and nothing written.
A write route or a form that is not declared here fails the test.
"""

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult

from bangfu.core.identity import check_char
from bangfu.core.models import AccessLog, ApiToken, ChangeLog
from bangfu.funds import services as funds
from bangfu.households import services as registry
from bangfu.households import workflow
from bangfu.households.models import Clue, Household, MonitoringLine
from bangfu.labor import services as labor
from bangfu.labor.models import Course
from bangfu.portal import services as portal
from bangfu.projects import services as projects
from bangfu.regions.models import Region
from bangfu.talent import services as talent
from tests.conftest import World

ACCOUNTS = ["admin", "sz", "nanshan", "debao", "shanwei", "auditor"]
DONE = date(2025, 1, 10)


def resident_id(birth: str, serial: int) -> str:
    first = f"451024{birth}{serial:03d}"
    return first + check_char(first)


def person(name: str, birth: str, serial: int, relation: str) -> dict:
    return {"name": name, "id_number": resident_id(birth, serial), "relation": relation, "education": "junior",
            "labour_skill": "ordinary"}


def household(debao, village, serial: int, people: int = 2) -> Household:
    relations = ["head", "spouse", "child", "child"]
    births = ["19800101", "19820202", "20000303", "20010404"]
    return registry.create_household(debao, village, {"household_type": "lifted", "phone": "13800138000"}, [
        person("韦黄陆农蓝"[serial] + "春夏秋冬"[i], births[i], serial * 10 + i, relations[i]) for i in range(people)])


class Targets:
    """What the routes write to: 德保's rows, 南山's money and pairings."""

    def __init__(self, world: World):
        u = world.users
        admin, nanshan, debao = u["admin"], u["nanshan"], u["debao"]
        self.world = world
        # Households: one plain, one with an open case, one monitored with a measure, one of laborers.
        self.hh = household(debao, world.village, 1)
        self.spouse = self.hh.members.get(relation="spouse")
        self.head = self.hh.members.get(relation="head")
        self.hh_case = household(debao, world.village, 2)
        self.clue = workflow.open_case(debao, self.hh_case, reason="走访发现")
        self.monitored = household(debao, world.village2, 3)
        Household.objects.filter(pk=self.monitored.pk).update(risk_status="monitored",
                                                              monitoring_category="unstable")
        self.monitored.refresh_from_db()
        self.measure = registry.add_measure(debao, self.monitored, kind="industry", description="种植",
                                            responsible_unit="镇农业站", responsible_person="李干部", start=DONE)
        self.line = MonitoringLine.objects.create(province_code="450000", year=2025, amount=7000)
        # Funds and projects: 南山's budget for 德保, a project it pays for, each step of the chain once.
        for year in (2020, 2021):
            funds.record_source(nanshan, pairing=world.p_debao, kind="fiscal", level="district", year=year,
                                amount="1000000", received_on=date(year, 1, 5))
        self.budget = funds.create_budget(nanshan, pairing=world.p_debao, year=2020, amount="800000",
                                          approved_on=date(2020, 1, 10))
        self.to_county = funds.disburse_to_region(nanshan, budget=self.budget, amount="500000",
                                                  paid_on=date(2020, 2, 1))
        self.project = self.walk(debao, "产业路", ["township_reviewed", "approved"])
        funds.disburse_to_project(nanshan, parent=self.to_county, project=self.project, amount="100000",
                                  paid_on=date(2020, 3, 1))
        self.project = self.walk(debao, None, ["funded", "implementing"], self.project)
        self.expenditure = funds.spend(debao, project=self.project, amount="1000", paid_on=date(2020, 4, 1))
        self.applied = self.walk(debao, "新申报", [])
        self.built = self.walk(debao, "已建成", ["township_reviewed", "approved", "funded", "implementing",
                                                 "completed"])
        self.undecided = self.walk(debao, "待资金", ["township_reviewed", "approved"], year=2021)
        self.milestone = projects.add_milestone(debao, self.project, "路基", date(2025, 6, 1))
        self.asset = projects.register_asset(debao, project=self.project, region=world.village, name="产业路",
                                             kind="public", value="100000", owner="那温村")
        # Labour: laborers along the loop, a posting and its recommendation, a station, a workshop, a course, a claim.
        workers = household(debao, world.village2, 4, people=4)
        members = list(workers.members.order_by("pk"))
        self.unregistered = self.head
        self.laborer = labor.register(debao, members[0], on=date(2024, 1, 2))
        self.employed = labor.register(debao, members[1], on=date(2024, 1, 2))
        self.employment = labor.record_employment(debao, self.employed, start=date(2024, 1, 3),
                                                  monthly_wage="3000", channel="self", employer_name="某厂",
                                                  place="helper_city")
        self.left = labor.register(debao, members[2], on=date(2024, 1, 2))
        done = labor.record_employment(debao, self.left, start=date(2024, 1, 3), monthly_wage="3000",
                                       channel="self", employer_name="某厂")
        labor.end_employment(debao, done, date(2024, 6, 1))
        recommended = labor.register(debao, members[3], on=date(2024, 1, 2))
        self.posting = labor.create_posting(nanshan, employer=world.enterprise, title="普工", region=world.village,
                                            wage_min="3000", wage_max="5000", openings=5, posted_on=date(2024, 1, 1))
        self.recommendation = labor.recommend(debao, recommended, self.posting, on=date(2024, 2, 1))
        self.station = labor.create_station(debao, name="德保劳务站", region=world.village)
        self.workshop = labor.create_workshop(debao, name="那温帮扶车间", region=world.village)
        self.course = labor.create_course(debao, name="粤菜师傅", kind=Course.Kind.values[0], region=world.village,
                                          start=date(2024, 3, 1), end=date(2024, 3, 10))
        self.claim = labor.create_claim(debao, kind="transport", items=[(self.employed, date(2024, 2, 1))],
                                        submitted_on=date(2024, 3, 1))
        # People sent, pairings and organisations.
        self.sent = talent.record_sent(nanshan, name="王老师", kind="teacher", from_org=world.nanshan_school,
                                       to_region=Region.objects.get(code="451024"), start=date(2024, 9, 1))
        self.pairing = world.p_village
        self.org = world.nanshan_school
        portal.publish(admin, region=Region.objects.get(code="451024"), kind="fund_plan", level="county",
                       title="资金计划", body="…", published_on=DONE)

    def walk(self, debao, name, states, project=None, year=2020):
        project = project or projects.apply(debao, name=name, category="industry", year=year,
                                            region=self.world.village, pairing=self.world.p_debao,
                                            planned_amount="100000")
        for state in states:
            project = projects.transition(debao, project, state, on=date(year, 2, 15))
        return project


@pytest.fixture(scope="module")
def targets(django_db_setup, django_db_blocker):
    """The world and its rows, built once for the module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield Targets(World())
        transaction.set_rollback(True)


@dataclass(frozen=True)
class Write:
    expect: str  # one outcome letter per account of ACCOUNTS
    body: object = None  # a dict, or a function of the targets giving one
    at: object = None  # a function of the targets giving the path's ids, in order


def ids(*names):
    """The ids of the path, by the targets' attribute names (an organisation by its code)."""
    return lambda t: [getattr(getattr(t, n), "code", None) if n == "org" else getattr(t, n).pk for n in names]


MEMBER = {"name": "新成员", "id_number": resident_id("20200505", 991), "relation": "child", "education": "preschool",
          "labour_skill": "none", "schooling": "preschool"}

API = {
    "POST /api/v1/regions": Write("offoif", {"code": "451024100299", "name": "新村", "parent": "451024100000",
                                             "level": "village"}),
    "POST /api/v1/organisations": Write("ooofif", lambda t: {
        "name": "南山某社区", "kind": "community", "side": "helper", "region": "440305", "parent": t.org.code}),
    "PATCH /api/v1/organisations/{code}": Write("ooofnf", {"notes": "改"}, ids("org")),
    "POST /api/v1/pairings": Write("ooofif", lambda t: {
        "kind": "hand_in_hand", "helper": t.world.street.code, "recipient": "451024100202", "start": "2020-01-01"}),
    "PATCH /api/v1/pairings/{pairing_id}": Write("ooofnf", {"notes": "改"}, ids("pairing")),
    "POST /api/v1/pairings/{pairing_id}/end": Write("ooofnf", {"end": "2025-01-01"}, ids("pairing")),
    "POST /api/v1/households": Write("offoif", {"village": "451024100202", "household_type": "ordinary",
                                                "members": [person("新户主", "19900101", 990, "head")]}),
    "PATCH /api/v1/households/{household_id}": Write("offonf", {"address": "那温屯1号"}, ids("hh")),
    "POST /api/v1/households/{household_id}/head": Write("offonf", lambda t: {
        "member": t.spouse.pk, "former_head_relation": "spouse"}, ids("hh")),
    "POST /api/v1/households/{household_id}/members": Write("offonf", MEMBER, ids("hh")),
    "POST /api/v1/households/{household_id}/reveal": Write("offonf", {"field": "phone"}, ids("hh")),
    "POST /api/v1/households/{household_id}/incomes": Write("offonf", {"year": 2024, "wage": "10000"}, ids("hh")),
    "POST /api/v1/households/{household_id}/conditions": Write("offonf", {"year": 2024, "housing_grade": "B"},
                                                               ids("hh")),
    "POST /api/v1/households/{household_id}/measures": Write("offonf", {
        "kind": "industry", "description": "养殖", "responsible_unit": "镇农业站", "responsible_person": "李干部",
        "start": "2025-01-01"}, ids("monitored")),
    "PATCH /api/v1/households/{household_id}/measures/{measure_id}": Write("offonf", {"outcome": "增收"},
                                                                           ids("monitored", "measure")),
    "POST /api/v1/households/{household_id}/visits": Write("offonf", {
        "visited_on": "2025-01-01", "visitor": "李干部", "notes": "走访"}, ids("hh")),
    "PATCH /api/v1/members/{member_id}": Write("offonf", {"work_months": 6}, ids("spouse")),
    "POST /api/v1/members/{member_id}/move": Write("offonf", {"on": "2025-01-01", "reason": "出嫁"}, ids("spouse")),
    "POST /api/v1/members/{member_id}/reveal": Write("offonf", {"field": "id_number"}, ids("spouse")),
    "POST /api/v1/monitoring-lines": Write("ooffff", {"province_code": "450000", "year": 2026, "amount": "7500"}),
    "PATCH /api/v1/monitoring-lines/{line_id}": Write("ooffff", {"amount": "7100"}, ids("line")),
    "POST /api/v1/clues": Write("offonf", lambda t: {"household": t.hh.pk}),
    "POST /api/v1/clues/{clue_id}/advance": Write("offonf", {"stage": "verified"}, ids("clue")),
    "POST /api/v1/clues/screen": Write("offonf", {"region": "451024"}),
    "POST /api/v1/clues/feed": Write("offozf", "feed"),
    "POST /api/v1/projects": Write("ooooif", lambda t: {
        "name": "新项目", "category": "industry", "year": 2025, "region": "451024100201",
        "pairing": t.world.p_debao.pk, "planned_amount": "1000"}),
    "PATCH /api/v1/projects/{project_id}": Write("oooonf", {"content": "改"}, ids("project")),
    "POST /api/v1/projects/{project_id}/transition": Write("offonf", {"state": "township_reviewed"}, ids("applied")),
    "POST /api/v1/projects/roll-over": Write("offozf", {"year": 2021}),
    "POST /api/v1/projects/{project_id}/milestones": Write("oooonf", {"name": "完工", "due": "2025-09-01"},
                                                           ids("project")),
    "POST /api/v1/projects/{project_id}/milestones/{milestone_id}/done": Write("oooonf", {"done_on": "2025-01-01"},
                                                                               ids("project", "milestone")),
    "POST /api/v1/projects/{project_id}/beneficiaries": Write("offonf", lambda t: {
        "year": 2025, "gain": "wages", "households": [t.hh.pk]}, ids("project")),
    "POST /api/v1/projects/{project_id}/dividends": Write("offonf", lambda t: {
        "year": 2025, "amount": "100", "distributed_on": "2025-01-01", "households": [t.hh.pk]}, ids("built")),
    "POST /api/v1/assets": Write("offoif", lambda t: {
        "name": "冷库", "kind": "operating", "region": "451024100201", "value": "1000", "owner": "那温村"}),
    "PATCH /api/v1/assets/{asset_id}": Write("offonf", {"upkeep": "村委会"}, ids("asset")),
    "POST /api/v1/funds/sources": Write("ooofif", lambda t: {
        "pairing": t.world.p_debao.pk, "kind": "fiscal", "level": "district", "year": 2022, "amount": "1000",
        "received_on": "2022-01-05"}),
    "POST /api/v1/funds/budgets": Write("ooofif", lambda t: {
        "pairing": t.world.p_debao.pk, "year": 2021, "amount": "500", "approved_on": "2021-01-10"}),
    "POST /api/v1/funds/budgets/{budget_id}/disburse": Write("ooofnf", {"amount": "100", "paid_on": "2020-05-01"},
                                                             ids("budget")),
    "POST /api/v1/funds/disbursements/{disbursement_id}/pass-on": Write("oooonf", lambda t: {
        "project": t.project.pk, "amount": "100", "paid_on": "2020-05-01"}, ids("to_county")),
    "POST /api/v1/funds/expenditures": Write("offoif", lambda t: {
        "project": t.project.pk, "amount": "10", "paid_on": "2020-06-01"}),
    "POST /api/v1/funds/adjustments": Write("ooofnf", lambda t: {
        "target": "budget", "id": t.budget.pk, "delta": "1", "on": "2020-06-01", "reason": "追加"}),
    "POST /api/v1/notices": Write("ooooif", {"region": "451024", "kind": "fund_plan", "level": "county",
                                             "title": "公告", "body": "…", "published_on": "2025-01-01"}),
    "POST /api/v1/labor/laborers": Write("ooooif", lambda t: {"member": t.unregistered.pk}),
    "POST /api/v1/labor/laborers/bulk": Write("ooooif", {"region": "451024"}),
    "PATCH /api/v1/labor/laborers/{laborer_id}": Write("oooonf", {"intention": "helper_city"}, ids("laborer")),
    "POST /api/v1/labor/laborers/{laborer_id}/recommend": Write("oooonf", lambda t: {"posting": t.posting.pk},
                                                                ids("laborer")),
    "POST /api/v1/labor/laborers/{laborer_id}/employments": Write("oooonf", {
        "channel": "self", "start": "2025-01-01", "monthly_wage": "3000", "employer_name": "某厂"}, ids("laborer")),
    "POST /api/v1/labor/laborers/{laborer_id}/return": Write("oooonf", {"on": "2025-01-01"}, ids("left")),
    "POST /api/v1/labor/laborers/{laborer_id}/stable": Write("oooonf", {"on": "2025-01-01"}, ids("employed")),
    "POST /api/v1/labor/laborers/{laborer_id}/follow-ups": Write("oooonf", {"on": "2025-01-01", "notes": "电话回访"},
                                                                 ids("laborer")),
    "POST /api/v1/labor/employments/{employment_id}/end": Write("oooonf", {"end": "2025-01-01"}, ids("employment")),
    "POST /api/v1/labor/postings": Write("oooiif", lambda t: {
        "employer": t.world.enterprise.code, "title": "普工", "region": "451024100201", "wage_min": "3000",
        "wage_max": "4000", "openings": 2}),
    "POST /api/v1/labor/postings/{posting_id}/close": Write("ooooff", {}, ids("posting")),
    "POST /api/v1/labor/recommendations/{recommendation_id}/outcome": Write("oooonf", {"on": "2024-03-01"},
                                                                            ids("recommendation")),
    "POST /api/v1/labor/job-fairs": Write("ooooif", {"name": "招聘会", "held_on": "2025-01-01",
                                                     "region": "451024"}),
    "POST /api/v1/labor/stations": Write("ooooif", {"name": "新劳务站", "region": "451024100201"}),
    "POST /api/v1/labor/stations/{station_id}/staff": Write("offonf", {"name": "张站长", "role": "站长"},
                                                            ids("station")),
    "POST /api/v1/labor/workshops": Write("ooooif", {"name": "新车间", "region": "451024100201"}),
    "POST /api/v1/labor/workshops/{workshop_id}/recognise": Write("offonf", {"on": "2025-01-01"}, ids("workshop")),
    "POST /api/v1/labor/public-welfare-posts": Write("offoif", {"name": "护林员", "region": "451024100201",
                                                                "monthly_pay": "800"}),
    "POST /api/v1/labor/courses": Write("ooooif", {"name": "家政", "kind": "housekeeping", "region": "451024",
                                                   "start": "2025-01-01", "end": "2025-01-05"}),
    "POST /api/v1/labor/courses/{course_id}/attendance": Write("oooonf", lambda t: {"laborer": t.laborer.pk},
                                                               ids("course")),
    "POST /api/v1/labor/claims": Write("ooooif", lambda t: {
        "kind": "transport", "lines": [{"laborer": t.employed.pk, "month": "2024-03"}]}),
    "POST /api/v1/labor/claims/{claim_id}/advance": Write("offonf", {"status": "reviewed"}, ids("claim")),
    "POST /api/v1/talent/sent": Write("ooooif", lambda t: {
        "name": "李医生", "kind": "doctor", "from_org": t.org.code, "to_region": "451024", "start": "2025-01-01"}),
    "POST /api/v1/talent/sent/{sent_id}/end": Write("oooonf", {"end": "2025-01-01"}, ids("sent")),
    "POST /api/v1/talent/trained": Write("ooooif", lambda t: {
        "name": "黄学员", "kind": "cadre", "from_region": "451024", "host": t.org.code, "programme": "乡村振兴",
        "start": "2025-01-01", "end": "2025-01-05"}),
}


# Writes to a user's own records, not to the rows of a side, walked by their own tests.
ELSEWHERE = {"DELETE /api/v1/tokens/{token_id}": "tests/core/test_tokens.py"}


def api_writes() -> set[str]:
    """Every non-GET operation of the API's OpenAPI document."""
    from bangfu.api import api

    paths = api.get_openapi_schema()["paths"]
    return {f"{method.upper()} {path}" for path, ops in paths.items() for method in ops if method != "get"}


def written() -> tuple[int, ...]:
    return (ChangeLog.objects.count(), AccessLog.objects.count(), Clue.objects.count(),
            DBTaskResult.objects.count())


def feed_file(t) -> SimpleUploadedFile:
    text = f"证件号码,事项,金额,日期\n{t.head.id_number},住院,20000,2025-01-05\n"
    return SimpleUploadedFile("feed.csv", text.encode("utf-8-sig"), content_type="text/csv")


def outcome(status: int, changed: bool) -> str:
    if status in (403, 404, 422):
        return "fni"[(403, 404, 422).index(status)] if not changed else f"{status}+written"
    if 200 <= status < 400:
        return "o" if changed else "z"
    return str(status)


def call_api(client: Client, route: str, spec: Write, t) -> str:
    method, path = route.split(" ", 1)
    for value in (spec.at(t) if spec.at else []):
        path = re.sub(r"\{[^}]+\}", str(value), path, count=1)
    before = written()
    with transaction.atomic():
        if spec.body == "feed":
            response = client.post(path, {"kind": "medical", "file": feed_file(t)})
        else:
            body = spec.body(t) if callable(spec.body) else spec.body or {}
            response = getattr(client, method.lower())(path, body, content_type="application/json")
        changed = written() != before
        transaction.set_rollback(True)
    return outcome(response.status_code, changed)


def test_every_api_write_is_declared():
    walked = api_writes() - set(ELSEWHERE)
    assert walked == set(API), ("undeclared:", sorted(walked - set(API)), "gone:", sorted(set(API) - walked))


def test_every_api_write_answers_as_declared(targets, db, settings):
    settings.LABOR_WORKSHOP_MIN_POOR = 0  # the workshop may be recognised by whoever may
    users = {name: get_user_model().objects.get(username=name) for name in ACCOUNTS}
    clients = {name: Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.objects.issue(user)}")
               for name, user in users.items()}
    wrong = []
    for route, spec in API.items():
        got = [call_api(clients[name], route, spec, targets) for name in ACCOUNTS]
        if "".join(got) != spec.expect:
            wrong.append(f"{route}: declared {spec.expect}, got {' '.join(got)}")
    assert not wrong, "\n".join(wrong)



def test_monitoring_lines_only_for_the_provinces_the_office_works_in(targets, db):
    """深圳's coordination office helps places in 广西 (450000) and 广东: it sets their lines, and a county's line only
    for a county it helps; 云南's (530000) line is not its to set, nor 都安's (a 广西 county no pairing of it helps).
    The administrator sets any."""
    clients = {name: Client(HTTP_AUTHORIZATION="Bearer " + ApiToken.objects.issue(
        get_user_model().objects.get(username=name))) for name in ("sz", "admin")}
    yunnan = MonitoringLine.objects.create(province_code="530000", year=2025, amount=8700)

    def post(name, body, path="/api/v1/monitoring-lines", method="post"):
        before = written()
        with transaction.atomic():
            response = getattr(clients[name], method)(path, body, content_type="application/json",
                                                      HTTP_ACCEPT_LANGUAGE="zh-hans")
            assert (response.status_code >= 400) == (written() == before), response.content
            transaction.set_rollback(True)
        return response.status_code, response.json()["message"] if response.status_code >= 400 else ""

    assert post("sz", {"province_code": "450000", "county_code": "451024", "year": 2026, "amount": "7600"})[0] == 201
    for body in ({"province_code": "530000", "year": 2026, "amount": "8800"},
                 {"province_code": "450000", "county_code": "451228", "year": 2026, "amount": "7600"}):
        status, message = post("sz", body)
        assert status == 403 and "设置监测线" in message and "协作办" in message, message
        assert post("admin", body)[0] == 201
    assert post("sz", {"amount": "9000"}, f"/api/v1/monitoring-lines/{yunnan.pk}", "patch")[0] == 403
    assert post("admin", {"amount": "9000"}, f"/api/v1/monitoring-lines/{yunnan.pk}", "patch")[0] == 200


LINE = {"province_code": "450000", "year": 2026, "amount": "7500", "income_fall_share": "0.30",
        "rigid_spending_share": "0.50", "clue_deadline_days": 15, "publicity_days": 5}
FORMS = {
    "regions/<str:pk>/add/": Write("offonf", {"code": "451024100299", "name": "新村"}, lambda t: ["451024100000"]),
    "organisations/new/": Write("ooofif", lambda t: {
        "name": "南山某社区", "kind": "community", "side": "helper", "region": "440305", "parent": t.org.code}),
    "organisations/<str:code>/edit/": Write("ooofnf", lambda t: {
        "name": t.org.name, "kind": "school", "side": "helper", "region": "440305", "parent": t.world.nanshan.code,
        "notes": "改"}, ids("org")),
    "pairings/new/": Write("ooofff", lambda t: {
        "kind": "hand_in_hand", "helper": t.world.street.code, "recipient": "451024100202", "start": "2020-01-01"}),
    "pairings/<int:pk>/edit/": Write("ooofff", lambda t: {
        "kind": "hand_in_hand", "helper": t.world.street.code, "recipient": "451024100201", "start": "2017-03-01",
        "notes": "改"}, ids("pairing")),
    "pairings/<int:pk>/end/": Write("ooofff", {"end": "2025-01-01"}, ids("pairing")),
    "households/<int:pk>/reveal/": Write("offonf", {"field": "phone"}, ids("hh")),
    "households/<int:pk>/open-case/": Write("offonf", {"purpose": "identify", "source": "cadre_visit",
                                                       "reason": "走访发现"}, ids("hh")),
    "households/<int:pk>/measures/new/": Write("offonf", {
        "kind": "industry", "description": "养殖", "responsible_unit": "镇农业站", "responsible_person": "李干部",
        "start": "2025-01-01"}, ids("monitored")),
    "households/<int:pk>/measures/<int:measure_id>/edit/": Write("offonf", {"outcome": "增收"},
                                                                 ids("monitored", "measure")),
    "households/<int:pk>/visits/new/": Write("offonf", {"visited_on": "2025-01-01", "visitor": "李干部",
                                                        "notes": "走访"}, ids("hh")),
    "households/<int:pk>/income/new/": Write("offonf", {"year": 2024, "wage": "10000"}, ids("hh")),
    "households/<int:pk>/conditions/new/": Write("offonf", {"year": 2024, "housing_grade": "B"}, ids("hh")),
    "members/<int:pk>/reveal/": Write("offonf", {"field": "id_number"}, ids("spouse")),
    "clues/<int:pk>/advance/": Write("offonf", {"stage": "verified", "reason": "核实"}, ids("clue")),
    "queue/screen/": Write("fffoof", {"region": "451024"}),
    "monitoring-lines/new/": Write("ooffff", LINE),
    "monitoring-lines/<int:pk>/edit/": Write("ooffff", {**LINE, "year": 2025, "amount": "7100"}, ids("line")),
    "projects/new/": Write("ooooif", lambda t: {
        "name": "新项目", "category": "industry", "year": 2025, "region": "451024100201",
        "pairing": t.world.p_debao.pk, "planned_amount": "1000"}),
    "projects/<int:pk>/step/": Write("offonf", {"state": "township_reviewed", "on": "2025-01-01"}, ids("applied")),
    "projects/<int:pk>/milestones/new/": Write("oooonf", {"name": "完工", "due": "2025-09-01"}, ids("project")),
    "projects/<int:pk>/milestones/<int:milestone_id>/done/": Write("oooonf", {"done_on": "2025-01-01"},
                                                                   ids("project", "milestone")),
    "projects/<int:pk>/beneficiaries/new/": Write("offonf", lambda t: {
        "year": 2025, "gain": "wages", "households": t.hh.number, "amount": "0"}, ids("project")),
    "projects/<int:pk>/dividends/new/": Write("offonf", lambda t: {
        "year": 2025, "amount": "100", "distributed_on": "2025-01-01", "households": t.hh.number}, ids("built")),
    "projects/<int:pk>/notices/new/": Write("oooonf", {
        "kind": "project", "level": "county", "region": "451024", "title": "项目公示", "body": "…",
        "published_on": "2025-01-01"}, ids("project")),
    "projects/roll-over/": Write("offozf", {"year": 2021, "on": "2025-01-01"}),
    "assets/new/": Write("offoif", {"name": "冷库", "kind": "operating", "region": "451024100201", "value": "1000",
                                    "owner": "那温村"}),
    "assets/<int:pk>/edit/": Write("offonf", lambda t: {
        "name": t.asset.name, "kind": t.asset.kind, "value": "100000", "owner": t.asset.owner, "income": "0",
        "upkeep": "村委会"}, ids("asset")),
    "funds/sources/new/": Write("ooofff", lambda t: {
        "pairing": t.world.p_debao.pk, "kind": "fiscal", "level": "district", "year": 2022, "amount": "1000",
        "received_on": "2022-01-05"}),
    "funds/budgets/new/": Write("ooofff", lambda t: {
        "pairing": t.world.p_debao.pk, "year": 2021, "amount": "500", "approved_on": "2021-01-10"}),
    "funds/budgets/<int:pk>/disburse/": Write("ooofff", {"amount": "100", "paid_on": "2020-05-01"}, ids("budget")),
    "funds/budgets/<int:pk>/adjust/": Write("ooofff", {"delta": "1", "kind": "adjustment", "on": "2020-06-01",
                                                       "reason": "追加"}, ids("budget")),
    "funds/expenditures/<int:pk>/adjust/": Write("offonf", {"delta": "-1", "kind": "refund", "on": "2020-06-01",
                                                            "reason": "退回"}, ids("expenditure")),
    "projects/<int:pk>/pay/": Write("offonf", {"amount": "10", "paid_on": "2020-06-01"}, ids("project")),
    "projects/<int:pk>/fund/": Write("oooonf", lambda t: {"parent": t.to_county.pk, "amount": "100",
                                                          "paid_on": "2020-05-01"}, ids("project")),
    "labor/laborers/new/": Write("ooooif", lambda t: {"member": t.unregistered.pk, "intention": "local"}),
    "labor/laborers/bulk/": Write("ooooif", {"region": "451024"}),
    "labor/laborers/<int:pk>/edit/": Write("oooonf", {"intention": "helper_city"}, ids("laborer")),
    "labor/laborers/<int:pk>/employment/": Write("oooonf", {
        "channel": "self", "employer_name": "某厂", "start": "2025-01-01", "monthly_wage": "3000"}, ids("laborer")),
    "labor/laborers/<int:pk>/return/": Write("oooonf", {"on": "2025-01-01"}, ids("left")),
    "labor/laborers/<int:pk>/stable/": Write("oooonf", {"on": "2025-01-01"}, ids("employed")),
    "labor/laborers/<int:pk>/follow-up/": Write("oooonf", {"on": "2025-01-01", "notes": "电话回访"}, ids("laborer")),
    "labor/employments/<int:pk>/end/": Write("oooonf", {"on": "2025-01-01"}, ids("employment")),
    "labor/recommendations/<int:pk>/outcome/": Write("oooonf", {"outcome": "interviewed", "on": "2024-03-01"},
                                                     ids("recommendation")),
    "labor/postings/new/": Write("oooiif", lambda t: {
        "employer": t.world.enterprise.code, "title": "普工", "region": "451024100201", "wage_min": "3000",
        "wage_max": "4000", "openings": 2, "min_age": 16, "max_age": 60}),
    "labor/postings/<int:pk>/recommend/": Write("oooonf", lambda t: {"laborer": t.laborer.pk}, ids("posting")),
    "labor/job-fairs/new/": Write("ooooif", {"name": "招聘会", "held_on": "2025-01-01", "region": "451024",
                                             "attendees": 0, "employers": 0, "agreements": 0}),
    "labor/stations/new/": Write("ooooif", {"name": "新劳务站", "region": "451024100201"}),
    "labor/stations/<int:pk>/staff/": Write("offonf", {"name": "张站长", "role": "站长"}, ids("station")),
    "labor/workshops/new/": Write("ooooif", {"name": "新车间", "kind": "workshop", "region": "451024100201"}),
    "labor/posts/new/": Write("offoif", {"name": "护林员", "region": "451024100201", "monthly_pay": "800"}),
    "labor/courses/new/": Write("ooooif", {"name": "家政", "kind": "housekeeping", "region": "451024",
                                           "start": "2025-01-01", "end": "2025-01-05", "hours": 8}),
    "labor/courses/<int:pk>/attendance/": Write("oooonf", lambda t: {"laborer": t.laborer.pk}, ids("course")),
    "labor/claims/new/": Write("ooooif", lambda t: {"kind": "transport", "lines": f"{t.employed.pk} 2024-03"}),
    "labor/claims/<int:pk>/advance/": Write("offonf", {"status": "reviewed"}, ids("claim")),
    "talent/sent/new/": Write("ooooif", lambda t: {
        "name": "李医生", "kind": "doctor", "from_org": t.org.code, "to_region": "451024", "start": "2025-01-01"}),
    "talent/sent/<int:pk>/end/": Write("oooonf", {"on": "2025-01-01"}, ids("sent")),
    "talent/trained/new/": Write("ooooif", lambda t: {
        "name": "黄学员", "kind": "cadre", "from_region": "451024", "host": t.org.code, "programme": "乡村振兴",
        "start": "2025-01-01", "end": "2025-01-05"}),
}


def call_form(client: Client, route: str, spec: Write, t) -> tuple[str, str]:
    url = "/" + route
    for value in (spec.at(t) if spec.at else []):
        url = re.sub(r"<[^>]+>", str(value), url, count=1)
    before = written()
    with transaction.atomic():
        response = client.post(url, spec.body(t) if callable(spec.body) else spec.body)
        changed = written() != before
        transaction.set_rollback(True)
    errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]+)|alert-danger[^>]*>\s*([^<]+)',
                        response.content.decode()) if response.status_code == 200 else ""
    if response.status_code == 200 and not changed:  # the form again, with its errors: the page's 422
        return "i", f"{url} {errors}"
    return outcome(response.status_code, changed), f"{url} {errors}"


def test_every_form_is_declared():
    from tests.core.test_scope import ROUTES

    forms = {route for route, spec in ROUTES.items() if spec.kind == "form"}
    assert forms == set(FORMS), ("undeclared:", sorted(forms - set(FORMS)), "gone:", sorted(set(FORMS) - forms))


def test_every_form_answers_as_declared(targets, db, settings):
    settings.LABOR_WORKSHOP_MIN_POOR = 0
    clients = {}
    for name in ACCOUNTS:
        clients[name] = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        clients[name].force_login(get_user_model().objects.get(username=name))
    wrong = []
    for route, spec in FORMS.items():
        got = [call_form(clients[name], route, spec, targets) for name in ACCOUNTS]
        if "".join(g[0] for g in got) != spec.expect:
            wrong.append(f"{route}: declared {spec.expect}, got {' '.join(g[0] for g in got)} "
                         f"{[g[1] for g in got if g[0] == 'z']}")
    assert not wrong, "\n".join(wrong)


def test_a_refusal_says_in_chinese_what_and_who_may(targets, db):
    """The issue's case: 德保 (a recipient county) sees 南山's budget but may not disburse from it; 南山 may not pay
    out of the county's project. The API and the page say why, in Chinese, and nothing is written."""
    debao, nanshan = (get_user_model().objects.get(username=name) for name in ("debao", "nanshan"))
    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.objects.issue(debao)}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    web.force_login(nanshan)
    before = written()
    response = api_client.post(f"/api/v1/funds/budgets/{targets.budget.pk}/disburse",
                               {"amount": "100", "paid_on": "2020-05-01"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["message"] == "您无权从预算中拨付资金：只有拥有它的帮扶方（协作办、帮扶单位）可以。"
    response = web.post(f"/projects/{targets.project.pk}/pay/", {"amount": "10", "paid_on": "2020-06-01"})
    assert response.status_code == 403
    assert "您无权登记项目支出：只有它所在地的受援方（受援县、受援乡镇）可以。" in response.content.decode()
    assert written() == before


def test_pages_offer_only_the_actions_the_rules_allow(targets, db):
    """A button that leads to a refusal is a defect too: 南山 sees the county's project without its pay, link and
    asset buttons, and 德保 sees 南山's budget without the disburse and adjust links; their owners see them."""
    users = {name: get_user_model().objects.get(username=name) for name in ("debao", "nanshan")}

    def page(name, url):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(users[name])
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    project = f"/projects/{targets.project.pk}/"
    pay, link = f"/projects/{targets.project.pk}/pay/", f"/projects/{targets.project.pk}/beneficiaries/new/"
    disburse = f"/funds/budgets/{targets.budget.pk}/disburse/"
    county, helper = page("debao", project), page("nanshan", project)
    assert pay in county and link in county
    assert pay not in helper and link not in helper
    assert disburse in page("nanshan", "/funds/budgets/")
    assert disburse not in page("debao", "/funds/budgets/")
