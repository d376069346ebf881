"""The scope walk: every URL and API route, with every demo account, returns nothing outside the account's scope.

Each route is declared below with what it shows; an undeclared route fails the test, so no route goes unchecked.
For every account:
- list pages and API lists contain only rows of `visible_to(user)` (web pages: every link to an object's page
  names an object the account may see);
- detail routes answer 404 for an object outside the scope and 200 (or 403 where the role may not) for one inside;
- write routes answer 403 to roles that may not write and 404 for objects outside the scope, and write nothing.
"""

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from bangfu.core import audit
from bangfu.core.identity import check_char
from bangfu.core.models import ApiToken, ChangeLog
from bangfu.core.roles import can
from bangfu.demo.build import build_demo
from bangfu.funds.models import Adjustment, Budget, Disbursement, Expenditure, FundSource
from bangfu.households.models import Clue, Household, Member, MonitoringLine
from bangfu.labor.models import (
    Claim,
    Course,
    Employment,
    JobFair,
    Laborer,
    Posting,
    PublicWelfarePost,
    Recommendation,
    Station,
    Workshop,
)
from bangfu.pairing.models import Pairing
from bangfu.portal.models import Notice
from bangfu.projects.models import Asset, Project
from bangfu.regions.models import Organisation, Region
from bangfu.talent.models import PersonSent, PersonTrained

ACCOUNTS = ["admin", "sz", "nanshan", "debao", "shanwei", "auditor"]


@dataclass(frozen=True)
class Route:
    kind: str  # public, page, list, detail, write, form; elsewhere: a test of its own walks it
    model: type | None = None


def code_of(obj):
    return obj.code


def pk_of(obj):
    return obj.pk


KEYS = {Region: code_of, Organisation: code_of}

ROUTES = {
    # Public: no data behind them.
    "accounts/login/": Route("public"), "accounts/logout/": Route("public"), "i18n/setlang/": Route("public"),
    "api/v1/openapi.json": Route("public"), "api/v1/docs": Route("public"), "api/v1/": Route("public"),
    # API tokens: a user's own (every account sees the page); every user's for superusers only, revoking the owner's
    # or a superuser's only, 404 to anyone else (tests/core/test_tokens.py).
    "account/tokens/": Route("page"), "api/v1/tokens": Route("list", ApiToken),
    "account/tokens/all/": Route("elsewhere"), "account/tokens/<int:pk>/revoke/": Route("elsewhere"),
    "api/v1/tokens/<token_id>": Route("elsewhere"),
    # Funds and projects pages.
    "funds/": Route("page", FundSource), "funds/sources/": Route("page", FundSource),
    "funds/budgets/": Route("page", Budget), "funds/disbursements/": Route("page", Disbursement),
    "funds/expenditures/": Route("page", Expenditure), "funds/supervision/": Route("page", Disbursement),
    "projects/": Route("page", Project), "assets/": Route("page", Asset),
    "projects/<int:pk>/": Route("detail", Project),
    "funds/sources/new/": Route("form", FundSource), "funds/budgets/new/": Route("form", Budget),
    "projects/new/": Route("form", Project),
    "funds/budgets/<int:pk>/disburse/": Route("form", Budget),
    "funds/budgets/<int:pk>/adjust/": Route("form", Budget),
    "funds/expenditures/<int:pk>/adjust/": Route("form", Expenditure),
    "projects/<int:pk>/step/": Route("form", Project), "projects/<int:pk>/pay/": Route("form", Project),
    "projects/<int:pk>/fund/": Route("form", Project),
    "projects/<int:pk>/milestones/new/": Route("form", Project),
    "projects/<int:pk>/milestones/<int:milestone_id>/done/": Route("form", Project),
    "projects/<int:pk>/beneficiaries/new/": Route("form", Project),
    "projects/<int:pk>/notices/new/": Route("form", Project),
    "projects/<int:pk>/dividends/new/": Route("form", Project), "projects/roll-over/": Route("form", Project),
    "assets/new/": Route("form", Asset), "assets/<int:pk>/edit/": Route("form", Asset),
    # The disclosure portal: no login, public fields only (tests/test_funds_demo.py proves no personal data).
    "portal/": Route("public"), "portal/<str:code>/": Route("public"),
    "portal/<str:code>/projects/<int:pk>/": Route("public"), "portal/<str:code>/notices/<int:pk>/": Route("public"),
    # Web pages whose every link to an object must name one in scope.
    "": Route("page"), "modules/<slug:key>/": Route("page"), "coverage/": Route("page"), "regions/": Route("page"),
    "lookup/regions/": Route("page"), "lookup/organisations/": Route("page"), "lookup/recipients/": Route("page"),
    "pairings/": Route("page", Pairing), "organisations/": Route("page", Organisation),
    "changelog/": Route("page", ChangeLog),
    "pairings/<int:pk>/": Route("detail", Pairing), "organisations/<str:code>/": Route("detail", Organisation),
    "regions/<str:pk>/": Route("detail", Region), "regions/<str:pk>/children/": Route("detail", Region),
    "changelog/<int:pk>/": Route("detail", ChangeLog),
    "pairings/new/": Route("form", Pairing), "organisations/new/": Route("form", Organisation),
    "pairings/<int:pk>/edit/": Route("form", Pairing), "pairings/<int:pk>/end/": Route("form", Pairing),
    "organisations/<str:code>/edit/": Route("form", Organisation), "regions/<str:pk>/add/": Route("form", Region),
    # Households and monitoring.
    "households/": Route("page", Household), "queue/": Route("page", Clue), "publicity/": Route("page", Clue),
    "monitoring-lines/": Route("page", MonitoringLine),
    "households/<int:pk>/": Route("detail", Household), "clues/<int:pk>/": Route("detail", Clue),
    "publicity/<str:code>/": Route("detail", Region),
    "households/<int:pk>/open-case/": Route("form", Household), "households/<int:pk>/reveal/": Route("form", Household),
    "members/<int:pk>/reveal/": Route("form", Member), "clues/<int:pk>/advance/": Route("form", Clue),
    "queue/screen/": Route("form", Clue), "monitoring-lines/new/": Route("form", MonitoringLine),
    "monitoring-lines/<int:pk>/edit/": Route("form", MonitoringLine),
    "households/<int:pk>/measures/new/": Route("form", Household),
    "households/<int:pk>/measures/<int:measure_id>/edit/": Route("form", Household),
    "households/<int:pk>/visits/new/": Route("form", Household),
    "households/<int:pk>/income/new/": Route("form", Household),
    "households/<int:pk>/conditions/new/": Route("form", Household),
    # Labour cooperation, people sent and trained.
    "labor/": Route("page"), "labor/alerts/": Route("page", Laborer), "labor/laborers/": Route("page", Laborer),
    "labor/postings/": Route("page", Posting), "labor/job-fairs/": Route("page", JobFair),
    "labor/stations/": Route("page", Station), "labor/workshops/": Route("page", Workshop),
    "labor/posts/": Route("page", PublicWelfarePost), "labor/courses/": Route("page", Course),
    "labor/claims/": Route("page", Claim), "talent/": Route("page"), "talent/sent/": Route("page", PersonSent),
    "talent/trained/": Route("page", PersonTrained),
    "labor/laborers/<int:pk>/": Route("detail", Laborer), "labor/postings/<int:pk>/": Route("detail", Posting),
    "labor/claims/<int:pk>/": Route("detail", Claim), "labor/courses/<int:pk>/": Route("detail", Course),
    "labor/courses/<int:pk>/attendance/": Route("form", Course),
    "labor/laborers/new/": Route("form", Laborer), "labor/laborers/bulk/": Route("form", Laborer),
    "labor/laborers/<int:pk>/employment/": Route("form", Laborer),
    "labor/laborers/<int:pk>/return/": Route("form", Laborer),
    "labor/laborers/<int:pk>/stable/": Route("form", Laborer),
    "labor/laborers/<int:pk>/edit/": Route("form", Laborer),
    "labor/laborers/<int:pk>/follow-up/": Route("form", Laborer),
    "labor/employments/<int:pk>/end/": Route("form", Employment),
    "labor/recommendations/<int:pk>/outcome/": Route("form", Recommendation),
    "labor/postings/new/": Route("form", Posting), "labor/postings/<int:pk>/recommend/": Route("form", Posting),
    "labor/job-fairs/new/": Route("form", JobFair), "labor/stations/new/": Route("form", Station),
    "labor/stations/<int:pk>/staff/": Route("form", Station),
    "labor/workshops/new/": Route("form", Workshop), "labor/posts/new/": Route("form", PublicWelfarePost),
    "labor/courses/new/": Route("form", Course), "labor/claims/new/": Route("form", Claim),
    "labor/claims/<int:pk>/advance/": Route("form", Claim),
    "talent/sent/new/": Route("form", PersonSent), "talent/trained/new/": Route("form", PersonTrained),
    "talent/sent/<int:pk>/end/": Route("form", PersonSent),
    # The API.
    "api/v1/regions": Route("list", Region), "api/v1/regions/<code>": Route("detail", Region),
    "api/v1/regions/<code>/coverage": Route("detail", Region),
    "api/v1/organisations": Route("list", Organisation), "api/v1/organisations/<code>": Route("detail", Organisation),
    "api/v1/pairings": Route("list", Pairing), "api/v1/pairings/summary": Route("page", Pairing),
    "api/v1/pairings/<int:pairing_id>": Route("detail", Pairing),
    "api/v1/pairings/<int:pairing_id>/end": Route("write", Pairing),
    "api/v1/households": Route("list", Household), "api/v1/households/<int:household_id>": Route("detail", Household),
    "api/v1/households/<int:household_id>/conditions": Route("detail", Household),
    "api/v1/households/<int:household_id>/incomes": Route("detail", Household),
    "api/v1/households/<int:household_id>/elimination-criteria": Route("detail", Household),
    "api/v1/households/<int:household_id>/members": Route("write", Household),
    "api/v1/households/<int:household_id>/head": Route("write", Household),
    "api/v1/households/<int:household_id>/reveal": Route("write", Household),
    "api/v1/households/<int:household_id>/measures": Route("write", Household),
    "api/v1/households/<int:household_id>/visits": Route("write", Household),
    # PATCH only, keyed by the household and the measure (tests/test_households_measures.py).
    "api/v1/households/<int:household_id>/measures/<int:measure_id>": Route("elsewhere"),
    "api/v1/members": Route("list", Member), "api/v1/members/<int:member_id>": Route("detail", Member),
    "api/v1/members/<int:member_id>/move": Route("write", Member),
    "api/v1/members/<int:member_id>/reveal": Route("write", Member),
    "api/v1/monitoring-lines": Route("list", MonitoringLine),
    "api/v1/monitoring-lines/<int:line_id>": Route("detail", MonitoringLine),
    "api/v1/clues": Route("list", Clue), "api/v1/clues/<int:clue_id>": Route("detail", Clue),
    "api/v1/clues/<int:clue_id>/transitions": Route("detail", Clue),
    "api/v1/clues/<int:clue_id>/advance": Route("write", Clue),
    "api/v1/clues/queue/mine": Route("page", Clue),
    # Background tasks: refused outside scope, seen only by their owner (tests/test_screening_task.py).
    "api/v1/clues/screen": Route("elsewhere"), "api/v1/tasks/<task_id>": Route("elsewhere"),
    "queue/screen/<str:task_id>/": Route("elsewhere"), "api/v1/clues/feed": Route("elsewhere"),
    "api/v1/clues/publicity/<village>": Route("detail", Region),
    # Spreadsheet import: entities the user may change, his own batches; tasks seen only by their owner
    # (tests/test_import_web.py).
    "imports/": Route("page"), "imports/<slug:entity>/": Route("elsewhere"),
    "imports/<slug:entity>/template/": Route("elsewhere"), "imports/task/<str:task_id>/": Route("elsewhere"),
    "imports/task/<str:task_id>/report/": Route("elsewhere"),
    # Funds and projects (figures over scope: tests/test_funds_scope.py).
    "api/v1/funds/summary": Route("elsewhere"), "api/v1/funds/by-year": Route("elsewhere"),
    "api/v1/funds/tilt": Route("elsewhere"), "api/v1/funds/supervision/unspent": Route("elsewhere"),
    "api/v1/funds/supervision/behind": Route("elsewhere"),
    "api/v1/funds/sources": Route("list", FundSource), "api/v1/funds/budgets": Route("list", Budget),
    "api/v1/funds/budgets/<int:budget_id>": Route("detail", Budget),
    "api/v1/funds/budgets/<int:budget_id>/disburse": Route("write", Budget),
    "api/v1/funds/disbursements": Route("list", Disbursement),
    "api/v1/funds/disbursements/<int:disbursement_id>": Route("detail", Disbursement),
    "api/v1/funds/disbursements/<int:disbursement_id>/pass-on": Route("write", Disbursement),
    "api/v1/funds/expenditures": Route("list", Expenditure),
    "api/v1/funds/expenditures/<int:expenditure_id>": Route("detail", Expenditure),
    "api/v1/funds/adjustments": Route("list", Adjustment),
    "api/v1/projects": Route("list", Project), "api/v1/projects/<int:project_id>": Route("detail", Project),
    "api/v1/projects/<int:project_id>/beneficiaries": Route("detail", Project),
    "api/v1/projects/<int:project_id>/transition": Route("write", Project),
    "api/v1/projects/<int:project_id>/milestones": Route("write", Project),
    "api/v1/projects/<int:project_id>/dividends": Route("write", Project),
    # POST only (tests/test_projects.py).
    "api/v1/projects/roll-over": Route("elsewhere"),
    "api/v1/projects/<int:project_id>/milestones/<int:milestone_id>/done": Route("elsewhere"),
    "api/v1/notices": Route("list", Notice),
    "api/v1/assets": Route("list", Asset), "api/v1/assets/<int:asset_id>": Route("detail", Asset),

    # Labour cooperation and people sent and trained.
    "api/v1/labor/summary": Route("page"), "api/v1/labor/laborers": Route("list", Laborer),
    "api/v1/labor/laborers/bulk": Route("elsewhere"),  # tests/test_labor.py
    "api/v1/labor/laborers/<int:laborer_id>": Route("detail", Laborer),
    "api/v1/labor/laborers/<int:laborer_id>/timeline": Route("detail", Laborer),
    "api/v1/labor/laborers/<int:laborer_id>/postings": Route("detail", Laborer),
    "api/v1/labor/laborers/<int:laborer_id>/recommend": Route("write", Laborer),
    "api/v1/labor/laborers/<int:laborer_id>/employments": Route("write", Laborer),
    "api/v1/labor/laborers/<int:laborer_id>/return": Route("write", Laborer),
    "api/v1/labor/laborers/<int:laborer_id>/stable": Route("write", Laborer),
    "api/v1/labor/laborers/<int:laborer_id>/follow-ups": Route("write", Laborer),
    "api/v1/labor/alerts": Route("list", Laborer), "api/v1/labor/employments": Route("list", Employment),
    "api/v1/labor/employments/<int:employment_id>/end": Route("write", Employment),
    "api/v1/labor/postings": Route("list", Posting), "api/v1/labor/postings/<int:posting_id>": Route("detail", Posting),
    "api/v1/labor/postings/<int:posting_id>/laborers": Route("detail", Posting),
    "api/v1/labor/postings/<int:posting_id>/close": Route("write", Posting),
    "api/v1/labor/recommendations/<int:recommendation_id>/outcome": Route("write", Recommendation),
    "api/v1/labor/job-fairs": Route("list", JobFair), "api/v1/labor/stations": Route("list", Station),
    "api/v1/labor/stations/<int:station_id>/staff": Route("write", Station),
    "api/v1/labor/workshops": Route("list", Workshop),
    "api/v1/labor/workshops/<int:workshop_id>/recognise": Route("write", Workshop),
    "api/v1/labor/public-welfare-posts": Route("list", PublicWelfarePost),
    "api/v1/labor/courses": Route("list", Course),
    "api/v1/labor/courses/<int:course_id>/attendance": Route("detail", Course),
    "api/v1/labor/claims": Route("list", Claim), "api/v1/labor/claims/<int:claim_id>": Route("detail", Claim),
    "api/v1/labor/claims/<int:claim_id>/advance": Route("elsewhere"),  # tests/test_labor.py
    "api/v1/talent/sent": Route("list", PersonSent), "api/v1/talent/sent/<int:sent_id>": Route("detail", PersonSent),
    "api/v1/talent/sent/<int:sent_id>/end": Route("write", PersonSent),
    "api/v1/talent/trained": Route("list", PersonTrained), "api/v1/talent/counts": Route("page"),
    # Indicators and dashboards: a region out of scope answers 404 (tests/dashboards/test_pages.py).
    "dashboards/": Route("page"), "dashboards/<str:code>/": Route("elsewhere"),
    "dashboards/export.xlsx": Route("elsewhere"), "dashboards/<str:code>/export.xlsx": Route("elsewhere"),
    "api/v1/indicators": Route("elsewhere"), "api/v1/indicators/values": Route("elsewhere"),
}

# Web pages that show one object: the URL name and how its key names the object.
OBJECT_PAGES = {"pairing_detail": Pairing, "organisation_detail": Organisation, "region_detail": Region,
                "changelog_detail": ChangeLog, "household_detail": Household, "clue_detail": Clue,
                "publicity_village": Region, "project_detail": Project, "laborer_detail": Laborer,
                "posting_detail": Posting, "claim_detail": Claim, "course_detail": Course}


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def all_routes():
    return sorted({r for r in walk(get_resolver().url_patterns) if not r.startswith(("admin/", "static/"))})


def resident_id(serial: int, county: str) -> str:
    first = f"{county}19800101{serial:03d}"
    return first + check_char(first)


def add_households():
    """A household in a 德保 village and one in a 汕尾 village, each with a head and an open clue."""
    for serial, county_prefix in enumerate(("450000/451000/451024/", "440000/441500/")):
        village = Region.objects.filter(path__startswith=county_prefix, level="village").order_by("code").first()
        hh = Household.objects.create(number=f"SCOPE{serial}", village=village, household_type="lifted",
                                      county_code=village.county_code, region_path=village.path, head_name="测试",
                                      size=1, phone="13800138000")
        Member.objects.create(household=hh, county_code=hh.county_code, region_path=hh.region_path, name="测试",
                              id_number=resident_id(serial, village.county_code), relation="head", sex="male",
                              birth_date=date(1980, 1, 1), education="junior", labour_skill="ordinary")
        Clue.objects.create(household=hh, county_code=hh.county_code, region_path=hh.region_path,
                            source="screening", deadline=date(2030, 1, 1))
    MonitoringLine.objects.create(province_code="450000", year=2025, amount=7000)
    for recipient in ("451024", "441500", "522700"):  # change-log entries in and out of each account's scope
        pairing = Pairing.objects.filter(recipient_region__path__contains=f"/{recipient}/").first()
        audit.record(None, "update", pairing, before={"notes": ""}, after={"notes": "scope walk"})


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The seed demo's regions, pairings and accounts, plus a few households, built once and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(password="Scope-walk-2026-pass", households=False)
        add_households()
        yield {name: get_user_model().objects.get(username=name) for name in ACCOUNTS}
        transaction.set_rollback(True)


@pytest.fixture
def clients(demo, db):
    made = {}
    for name, user in demo.items():
        api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.objects.issue(user)}")
        web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        web.force_login(user)
        made[name] = (user, api, web)
    return made


def key_of(model, obj):
    return KEYS.get(model, pk_of)(obj)


def fill(route: str, model, obj) -> str:
    return "/" + re.sub(r"<[^>]+>", str(key_of(model, obj)), route)


def outside_and_inside(user, model):
    visible = model.objects.visible_to(user)
    inside = visible.order_by("pk").first()
    outside = model.objects.exclude(pk__in=visible.values("pk")).order_by("pk").first()
    return outside, inside


def links_out_of_scope(user, html: str) -> list[str]:
    """Links on a page to the page of an object the user may not see."""
    bad = []
    for href in set(re.findall(r'href="(/[^"?#]*)', html)):
        try:
            match = resolve(href)
        except Resolver404:
            continue
        model = OBJECT_PAGES.get(match.url_name)
        if model is None:
            continue
        key = next(iter(match.kwargs.values()))
        visible = model.objects.visible_to(user)
        found = (visible.filter(code=key) if model is Region else
                 visible.filter(pk__in=[o.pk for o in visible if o.code == key]) if model is Organisation else
                 visible.filter(pk=key))
        if not found.exists():
            bad.append(href)
    return bad


def test_every_route_is_declared():
    undeclared = [r for r in all_routes() if r not in ROUTES]
    assert not undeclared, f"routes missing from the scope walk: {undeclared}"


def test_web_pages_link_only_to_objects_in_scope(clients):
    checked = 0
    for name, (user, _api, web) in clients.items():
        for route, spec in ROUTES.items():
            if spec.kind != "page" or route.startswith("api/"):
                continue
            url = "/" + route.replace("<slug:key>", "supervision")
            response = web.get(url)
            if spec.model is ChangeLog and not can(user, "changelog.view"):
                assert response.status_code == 403, (name, url)
                continue
            assert response.status_code == 200, (name, url, response.status_code)
            bad = links_out_of_scope(user, response.content.decode())
            assert not bad, (name, url, bad[:5])
            checked += 1
    assert checked > 30


def test_web_details_answer_404_outside_scope(clients):
    checked = 0
    for name, (user, _api, web) in clients.items():
        for route, spec in ROUTES.items():
            if spec.kind not in ("detail", "form") or route.startswith("api/") or "<" not in route:
                continue
            if spec.model is ChangeLog and not can(user, "changelog.view"):
                assert web.get(fill(route, ChangeLog, ChangeLog.objects.first())).status_code == 403
                continue
            outside, inside = outside_and_inside(user, spec.model)
            forbidden = spec.kind == "form" and not can(user, f"{spec.model.permission_name}.change")
            if outside is not None:
                response = web.get(fill(route, spec.model, outside))
                assert response.status_code == (403 if forbidden else 404), (name, route, response.status_code)
                checked += 1
            if inside is not None and spec.kind == "detail":
                response = web.get(fill(route, spec.model, inside))
                assert response.status_code == 200, (name, route, response.status_code)
    assert checked > 10


def test_web_forms_refuse_roles_that_may_not_write(clients):
    before = ChangeLog.objects.count()
    for name in ("debao", "shanwei", "auditor"):
        user, _api, web = clients[name]
        pairing = Pairing.objects.visible_to(user).first()
        for url in ("/pairings/new/", f"/pairings/{pairing.pk}/edit/", f"/pairings/{pairing.pk}/end/"):
            assert web.get(url).status_code == 403, (name, url)
            assert web.post(url, {"end": "2030-01-01", "notes": "x"}).status_code == 403, (name, url)
    assert ChangeLog.objects.count() == before


def test_api_lists_return_only_rows_in_scope(clients):
    for name, (user, api, _web) in clients.items():
        for route, spec in ROUTES.items():
            if spec.kind != "list":
                continue
            response = api.get(f"/{route}?limit=100000")
            assert response.status_code == 200, (name, route, response.content[:200])
            body = response.json()
            got = {item["code"] if spec.model is Region else item["id"] for item in body["items"]}
            allowed = {o.code if spec.model is Region else o.pk for o in spec.model.objects.visible_to(user)}
            assert got <= allowed, (name, route, sorted(got - allowed)[:5])
            assert len(got) == body["count"], (name, route)


def test_api_details_answer_404_outside_scope(clients):
    checked = 0
    for name, (user, api, _web) in clients.items():
        for route, spec in ROUTES.items():
            if spec.kind != "detail" or not route.startswith("api/"):
                continue
            model = Region if route.endswith("<village>") else spec.model
            outside, inside = outside_and_inside(user, model)
            if outside is not None:
                response = api.get(fill(route, model, outside))
                assert response.status_code == 404, (name, route, response.content[:200])
                checked += 1
            if inside is not None:
                response = api.get(fill(route, model, inside))
                assert response.status_code == 200, (name, route, response.content[:200])
    assert checked > 20


def test_api_writes_refuse_forbidden_and_out_of_scope(clients):
    bodies = {"end": {"end": "2030-01-01"}, "members": {"name": "x"},
              "head": {"member": 1, "former_head_relation": "spouse"}, "reveal": {"field": "phone"},
              "move": {"to_household": None, "on": "2030-01-01", "reason": "x"}, "advance": {"stage": "verified"},
              "measures": {"kind": "industry", "description": "x", "responsible_unit": "x",
                           "responsible_person": "x", "start": "2025-01-01"},
              "visits": {"visited_on": "2025-01-01", "visitor": "x", "notes": "x"},
              "disburse": {"amount": "1.00", "paid_on": "2025-01-01"},
              "pass-on": {"project": 1, "amount": "1.00", "paid_on": "2025-01-01"},
              "transition": {"state": "township_reviewed"}, "milestones": {"name": "x", "due": "2025-01-01"},
              "dividends": {"year": 2025, "amount": "1.00", "distributed_on": "2025-01-01", "households": [1]},
              "recommend": {"posting": 1}, "return": {"on": "2025-01-01"}, "stable": {"on": "2025-01-01"},
              "employments": {"channel": "self", "start": "2025-01-01", "monthly_wage": "3000",
                              "employer_name": "x"},
              "follow-ups": {"on": "2025-01-01", "notes": "x"}, "close": {}, "outcome": {"on": "2025-01-01"},
              "staff": {"name": "x", "role": "x"}, "recognise": {"on": "2025-01-01"}}
    for name, (user, api, _web) in clients.items():
        before = ChangeLog.objects.count()
        for route, spec in ROUTES.items():
            if spec.kind != "write":
                continue
            body = bodies[route.rsplit("/", 1)[1]]
            outside, inside = outside_and_inside(user, spec.model)
            if outside is not None:
                response = api.post(fill(route, spec.model, outside), body, content_type="application/json")
                assert response.status_code == 404, (name, route, response.content[:200])
            if name in ("auditor",) and inside is not None:
                response = api.post(fill(route, spec.model, inside), body, content_type="application/json")
                assert response.status_code in (403, 422), (name, route, response.content[:200])
        assert ChangeLog.objects.count() == before, name


def test_summary_counts_only_pairings_in_scope(clients):
    for name, (user, api, _web) in clients.items():
        for query in ("helper=440300", "recipient=451024", "recipient=441500", "recipient=520000"):
            response = api.get(f"/api/v1/pairings/summary?{query}")
            assert response.status_code == 200, (name, query)
            code = query.split("=")[1]
            visible = Pairing.objects.visible_to(user)
            if query.startswith("helper"):
                org = Organisation.objects.visible_to(user).filter(region_id=code, represents_region=True).first()
                expected = visible.filter(helper__path__startswith=org.path).count() if org else 0
            else:
                region = Region.objects.visible_to(user).filter(code=code).first()
                expected = visible.filter(recipient_region__path__startswith=region.path).count() if region else 0
            assert response.json()["pairings"] == expected, (name, query)
