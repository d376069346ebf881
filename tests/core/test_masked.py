"""Masked means masked: a user who may not unmask (helpers, the coordination office, auditors) cannot put a full ID
number or phone number together from anything the household and labour modules show him — API answers, pages,
exports and the change log — because the birth date (the middle of the ID number) is shown to him as a year only and
free text is scrubbed. Users who may unmask see the full date, and each view of it is in the access log; a search by
a full ID number is theirs only, and logged; the message for an ID number registered outside the user's scope does
not say where."""

import csv
import importlib
import io
import re
from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from bangfu.core import audit, exports
from bangfu.core.identity import check_char, mask_id
from bangfu.core.importing import import_file
from bangfu.core.models import AccessLog, ApiToken, ChangeLog
from bangfu.core.roles import can
from bangfu.households.models import Clue, Household, Member, MonitoringLine, Visit
from bangfu.labor.models import Laborer, Station
from tests.core.test_changelog_privacy import stored

# Birth dates found nowhere else in the data (no visit, income year or registration falls on them).
BIRTHS = [date(1983, 3, 17), date(1991, 11, 5), date(1976, 7, 23), date(2001, 2, 9), date(1968, 9, 14)]


def resident_id(county: str, birth: date, serial: int) -> str:
    first = f"{county}{birth:%Y%m%d}{serial:03d}"
    return first + check_char(first)


def date_forms(day: date) -> list[str]:
    """The ways a page, an answer or a file writes a date."""
    return [f"{day:%Y%m%d}", day.isoformat(), f"{day:%Y/%m/%d}", f"{day:%Y.%m.%d}", f"{day.year}/{day.month}/{day.day}",
            f"{day.year}年{day.month}月{day.day}日", f"{day.year}年{day.month:02d}月{day.day:02d}日"]


def person(name, county, birth, serial, relation, phone):
    return {"name": name, "id_number": resident_id(county, birth, serial), "relation": relation,
            "education": "junior", "labour_skill": "ordinary", "phone": phone}


@pytest.fixture
def people(world, api_as):
    """Households of 德保 and 汕尾 registered through the API by their counties (so the change log has them), free
    text naming an ID and a phone number, laborers with phones, a station with staff."""
    debao, shanwei = api_as("debao"), api_as("shanwei")
    a = [person("黄德明", "451024", BIRTHS[0], 11, "head", "13907761234"),
         person("农秀英", "451024", BIRTHS[1], 22, "spouse", "13907765678")]
    b = [person("韦志强", "451024", BIRTHS[2], 33, "head", "15177761111")]
    c = [person("陈海生", "441581", BIRTHS[3], 44, "head", "13660601234"),
         person("陈小妹", "441581", BIRTHS[4], 55, "child", "13660605678")]
    made = []
    for client, village, members, phone in ((debao, world.village, a, "13807760001"),
                                            (debao, world.village2, b, "13807760002"),
                                            (shanwei, world.sw_village, c, "13807760003")):
        status, body = client.post("/api/v1/households", {
            "village": village.code, "household_type": "lifted", "phone": phone, "address": "某村某组",
            "reason": f"新识别，户主身份证 {members[0]['id_number']}，电话 {phone}", "members": members})
        assert status == 201, body
        made.append(Household.objects.get(pk=body["id"]))
    first = Member.objects.get(id_number=a[0]["id_number"])
    status, body = debao.patch(f"/api/v1/members/{first.pk}", {
        "phone": "13907769999", "reason": f"电话 {a[0]['phone']} 停用；身份证 {a[0]['id_number']}"})
    assert status == 200, body
    clear_text = f"核对身份证 {b[0]['id_number']}，联系电话 {b[0]['phone']}"
    status, body = debao.post(f"/api/v1/households/{made[1].pk}/visits",
                              {"visited_on": "2024-06-03", "visitor": "李干部", "notes": clear_text})
    assert status == 201, body
    status, body = debao.post("/api/v1/clues", {"household": made[1].pk, "reason": clear_text})
    assert status == 201, body
    status, body = debao.patch(f"/api/v1/households/{made[1].pk}",
                               {"address": f"某村 {b[0]['phone']}", "reason": "地址更正"})
    assert status == 200, body
    for member, phone in ((first, "18677760001"), (Member.objects.get(id_number=b[0]["id_number"]), "18677760002")):
        status, body = debao.post("/api/v1/labor/laborers", {"member": member.pk, "phone": phone,
                                                            "on": "2024-03-01"})
        assert status == 201, body
    status, body = debao.post("/api/v1/labor/stations", {"name": "德保县劳务服务站", "region": "451024",
                                                         "phone": "0776-3821234"})
    assert status == 201, body
    status, body = debao.post(f"/api/v1/labor/stations/{body['id']}/staff",
                              {"name": "韦站长", "role": "站长", "phone": "18655556666"})
    assert status == 201, body
    MonitoringLine.objects.create(province_code="450000", year=2024, amount=7000)
    members = list(Member.objects.all())
    phones = [p for p in Household.objects.values_list("phone", flat=True)] + \
        [m.phone for m in members] + list(Laborer.objects.values_list("phone", flat=True)) + \
        ["18655556666", a[0]["phone"]]
    return SimpleNamespace(households=made, members=members, phones=[p for p in phones if p])


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


# What each parameter of a route of the two modules is filled with: every object of its kind.
PARAMS = {
    "household_id": lambda: Household.objects.values_list("pk", flat=True),
    "member_id": lambda: Member.objects.values_list("pk", flat=True),
    "clue_id": lambda: Clue.objects.values_list("pk", flat=True),
    "line_id": lambda: MonitoringLine.objects.values_list("pk", flat=True),
    "laborer_id": lambda: Laborer.objects.values_list("pk", flat=True),
    "station_id": lambda: Station.objects.values_list("pk", flat=True),
    "village": lambda: Household.objects.values_list("village_id", flat=True),
    "code": lambda: Household.objects.values_list("village_id", flat=True),
}
# `pk` of a page: the kind of object by the page's path.
PAGE_PK = {"households/": Household, "members/": Member, "clues/": Clue, "monitoring-lines/": MonitoringLine,
           "labor/laborers/": Laborer, "labor/stations/": Station, "changelog/": ChangeLog,
           # Objects the fixture does not make: no person data beyond the lists'.
           "labor/postings/": None, "labor/claims/": None, "labor/courses/": None, "labor/employments/": None,
           "labor/recommendations/": None}
ROUTE_PREFIXES = ("api/v1/households", "api/v1/members", "api/v1/clues", "api/v1/monitoring-lines", "api/v1/labor",
                  "households/", "members/", "clues/", "queue/", "publicity/", "monitoring-lines/", "labor/",
                  "changelog/", "imports/")
# Routes with keys of objects the fixture does not make (their pages show no household or labour person data
# beyond what the lists above show), and task ids.
NOT_FILLED = {"measure_id", "posting_id", "course_id", "claim_id", "employment_id", "recommendation_id",
              "workshop_id", "task_id", "entity", "key"}


def urls() -> list[str]:
    """Every GET-able URL of the household and labour modules (and the change log) for the fixture's objects."""
    found = []
    for route in sorted(set(walk(get_resolver().url_patterns))):
        if not route.startswith(ROUTE_PREFIXES):
            continue
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if set(params) & NOT_FILLED:
            continue
        filled = ["/" + route]
        for name in params:
            if name == "pk":
                model = next(m for prefix, m in PAGE_PK.items() if route.startswith(prefix))
                values = model.objects.values_list("pk", flat=True) if model else []
            else:
                values = PARAMS[name]()
            filled = [re.sub(rf"<(?:\w+:)?{name}>", str(v), url, count=1) for url in filled for v in values]
        found += filled
    return found


def xlsx_text(content: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join("\t".join("" if v is None else str(v) for v in row)
                     for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True))


def everything_seen_by(user, tmp_path) -> list[tuple[str, str]]:
    """(where, text) of every API answer, page and export of the two modules the user can get."""
    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.objects.issue(user)}")
    web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    web.force_login(user)
    seen = []
    for url in urls():
        client = api if url.startswith("/api/") else web
        query = "?limit=1000" if url.startswith("/api/") else ""
        response = client.get(url + query)
        seen.append((url, response.content.decode("utf-8", "replace")))
    for url in ("/households/", "/labor/laborers/", "/labor/alerts/"):
        for kind in ("csv", "xlsx"):
            response = web.get(f"{url}?export={kind}")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            seen.append((f"{url}?export={kind}", xlsx_text(body) if body[:2] == b"PK" else body.decode("utf-8-sig")))
    for name, spec in exports.entities().items():
        if spec.model._meta.app_label not in ("households", "labor"):
            continue
        for suffix in (".csv", ".xlsx"):
            path = tmp_path / f"{user.username}-{name}{suffix}"
            exports.export(name, path, user=user)
            seen.append((f"export {name}{suffix}", xlsx_text(path.read_bytes()) if suffix == ".xlsx"
                         else path.read_text(encoding="utf-8-sig")))
    return seen


def roles_without_unmask(world) -> list[str]:
    return [name for name, user in world.users.items() if not can(user, "personal.unmask")]


def test_the_roles_that_may_not_unmask(world):
    assert set(roles_without_unmask(world)) == {"sz", "nanshan", "auditor", "public"}


@pytest.mark.parametrize("username", ["sz", "nanshan", "auditor", "public"])
def test_no_full_id_or_phone_can_be_put_together_without_unmask(world, people, username, tmp_path):
    user = world.users[username]
    assert not can(user, "personal.unmask")
    seen = everything_seen_by(user, tmp_path)
    assert len(seen) > 40
    leaks = []
    for where, text in seen:
        for member in people.members:
            if member.id_number in text:
                leaks.append((where, "ID", member.name))
            leaks += [(where, f"birth date {form}", member.name) for form in date_forms(member.birth_date)
                      if form in text]
        leaks += [(where, "phone", phone) for phone in people.phones if phone in text]
    assert not leaks, leaks[:20]
    # Not vacuous: the people are there, masked, with their birth year.
    visible = Member.objects.visible_to(user)
    everything = "\n".join(text for _where, text in seen)
    for member in visible:
        assert mask_id(member.id_number) in everything, member.name
        assert f'"birth_year": {member.birth_date.year}' in everything, member.name
    if username == "auditor":
        assert visible.count() == len(people.members)
        assert ChangeLog.objects.filter(content_type__model="member").exists()
    assert not AccessLog.objects.filter(actor=user).exists()


def test_users_who_may_unmask_see_the_full_birth_date_and_each_view_is_logged(world, people, api_as):
    debao = api_as("debao")
    member = Member.objects.filter(county_code="451024").order_by("pk").first()
    logged = AccessLog.objects.filter(actor=world.users["debao"], field="birth_date")
    before = logged.count()  # the answers to the fixture's writes showed the people written
    status, body = debao.get(f"/api/v1/members/{member.pk}")
    assert status == 200 and body["birth_date"] == member.birth_date.isoformat(), body
    assert body["birth_year"] == member.birth_date.year and body["id_number"] == mask_id(member.id_number)
    assert [row.object_id for row in logged[:logged.count() - before]] == [str(member.pk)]
    status, body = debao.get("/api/v1/members?limit=100")
    assert status == 200 and all(item["birth_date"] for item in body["items"])
    assert logged.count() == before + 1 + body["count"]
    web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    web.force_login(world.users["debao"])
    page = web.get(f"/households/{member.household_id}/").content.decode()
    assert member.birth_date.isoformat() in page
    assert logged.count() == before + 1 + body["count"] + member.household.members.count()
    status, body = debao.get(f"/api/v1/labor/laborers/{member.laborer.pk}")
    assert status == 200 and body["birth_date"] == member.birth_date.isoformat(), body
    assert logged.filter(content_type__model="laborer", object_id=str(member.laborer.pk)).exists()


def test_a_search_by_a_full_id_number_needs_the_unmask_permission_and_is_logged(world, people, api_as):
    member = Member.objects.filter(county_code="451024").order_by("pk").first()
    for username in ("nanshan", "sz", "auditor"):
        client = api_as(username)
        for route in ("members", "households"):
            status, body = client.get(f"/api/v1/{route}?q={member.id_number}")
            assert status == 422 and "q" in body["errors"], (username, route, body)
        # The last 4 characters are what the mask shows; more of them would tell the day of birth.
        status, body = client.get(f"/api/v1/members?q={member.id_number[-6:]}")
        assert status == 422 and "q" in body["errors"], (username, body)
        status, body = client.get(f"/api/v1/members?q={member.id_number[-4:]}")
        assert status == 200 and member.pk in [m["id"] for m in body["items"]]
        web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        web.force_login(world.users[username])
        page = web.get(f"/households/?q={member.id_number}").content.decode()
        assert "完整身份证号" in page and f'data-household="{member.household_id}"' not in page, username
    assert not AccessLog.objects.filter(field="id_number").exists()
    debao = api_as("debao")
    status, body = debao.get(f"/api/v1/members?q={member.id_number}")
    assert status == 200 and [m["id"] for m in body["items"]] == [member.pk]
    searched = AccessLog.objects.filter(actor=world.users["debao"], field="id_number")
    assert [(s.object_id, s.reason) for s in searched.all()] == [
        (str(member.pk), f"search by full ID number {mask_id(member.id_number)}")]
    assert member.id_number not in searched.get().reason
    status, body = debao.get(f"/api/v1/households?q={member.id_number}")
    assert status == 200 and [h["id"] for h in body["items"]] == [member.household_id]
    assert searched.filter(content_type__model="household", object_id=str(member.household_id)).count() == 1


def test_an_id_number_registered_outside_the_scope_is_refused_without_saying_where(world, people, api_as, sheet):
    member = Member.objects.filter(county_code="451024").order_by("pk").first()
    household = member.household
    status, body = api_as("shanwei").post("/api/v1/households", {
        "village": world.sw_village.code, "household_type": "lifted",
        "members": [{"name": "某人", "id_number": member.id_number, "relation": "head", "education": "junior",
                     "labour_skill": "ordinary"}]})
    assert status == 422 and "members.0.id_number" in body["errors"], body
    text = str(body)
    for where in (household.number, household.village_id, household.village.name, member.name, "德保"):
        assert where not in text, where
    # An import naming a household number and a person of 德保 from 汕尾's file.
    path = sheet("农户.xlsx", ["户编号", "村代码", "户类型", "姓名", "证件号码", "与户主关系", "文化程度", "劳动技能"],
                 [[household.number, world.sw_village.code, "脱贫户", "某人", member.id_number, "户主", "初中",
                   "普通劳动力"]])
    result = import_file("households", path, user=world.users["shanwei"])
    assert result.status == "problems"
    messages = " ".join(p.message for p in result.problems)
    for where in (household.village_id, household.village.name, member.name):
        assert where not in messages, (where, messages)


def test_free_text_in_the_change_log_is_scrubbed(world, people):
    for entry in ChangeLog.objects.all():
        text = f"{entry.before} {entry.after} {entry.object_repr} {entry.reason}"
        for member in people.members:
            assert member.id_number not in text, (entry.pk, entry.content_type.model)
            assert member.birth_date.isoformat() not in text, (entry.pk, entry.content_type.model)
        for phone in people.phones:
            assert phone not in text, (entry.pk, entry.content_type.model, phone)
    assert Visit.objects.get().notes.count("*") == 0  # the record itself keeps what the cadre wrote


def test_the_change_log_scrubs_free_text_but_not_amounts():
    values = {"notes": "电话13912345678", "reasons": [{"id_number": resident_id("451024", BIRTHS[0], 1)}],
              "amount": "13912345678.00", "birth_date": "1983-03-17"}
    assert audit.mask({"birth_date": "birth_date"}, values) == {
        "notes": "电话139****5678", "reasons": [{"id_number": "451024********0018"}], "amount": "13912345678.00",
        "birth_date": "1983"}


def test_the_export_of_a_user_who_may_unmask_has_full_birth_dates_and_is_logged(world, people, tmp_path):
    path = tmp_path / "h.csv"
    exports.export("households", path, user=world.users["debao"])
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    member = Member.objects.filter(county_code="451024").order_by("pk").first()
    assert member.id_number in path.read_text(encoding="utf-8-sig")
    assert any(member.birth_date.isoformat() in row for row in rows)
    logged = AccessLog.objects.get(actor=world.users["debao"], object_id="export:households")
    assert "birth_date" in logged.field and "id_number" in logged.field


def test_the_data_migrations_mask_the_birth_dates_and_free_text_stored_before(world, people):
    member = Member.objects.filter(laborer__isnull=False).order_by("pk").first()
    birth, number = member.birth_date.isoformat(), member.id_number
    old_member = stored(member, {"birth_date": birth, "name": member.name}, {"birth_date": birth, "name": "改名"},
                        member.name, f"出生日期 {birth} 更正")
    old_laborer = stored(member.laborer, None, {"birth_date": birth, "phone": "186****0001"}, member.name, "")
    old_visit = stored(Visit.objects.get(), None, {"notes": f"身份证 {number} 电话 13912345678", "visitor": "李"},
                       "visit", "")
    for name in ("bangfu.households.migrations.0006_mask_birth_dates_in_change_log",
                 "bangfu.labor.migrations.0003_mask_birth_dates_in_change_log"):
        importlib.import_module(name).forwards(apps, SimpleNamespace(connection=connection))
    for entry in (old_member, old_laborer, old_visit):
        entry.refresh_from_db()
    year = str(member.birth_date.year)
    assert (old_member.before, old_member.after) == ({"birth_date": year, "name": member.name},
                                                     {"birth_date": year, "name": "改名"})
    assert old_member.reason == f"出生日期 {year} 更正"
    assert old_laborer.after == {"birth_date": year, "phone": "186****0001"}
    assert old_visit.after == {"notes": f"身份证 {mask_id(number)} 电话 139****5678", "visitor": "李"}
