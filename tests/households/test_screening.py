"""Screening (筛查预警) and department feeds: each reason opens a clue of the right category with its figures; re-runs
open nothing new; monitored households are skipped; a county's line overrides its province's; the number of queries
does not grow with the number of households."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.bench.screening import naive_screen
from bangfu.core.identity import check_char
from bangfu.households.models import (
    Clue,
    Conditions,
    Household,
    Income,
    Member,
    MonitoringLine,
    Transition,
)
from bangfu.households.screening import import_department_feed, screen
from bangfu.regions.models import Region, place_under

TODAY = date(2026, 11, 21)


def region(code, name, parent, level, poor=False):
    r = Region(code=code, name=name, level=level, is_poor_village=poor, synthetic=True)
    place_under(r, Region.objects.get(code=parent))
    r.save()
    return r


@pytest.fixture
def places(db):
    region("451024160000", "测试镇", "451024", "township")
    region("441521160000", "测试镇", "441521", "township")
    MonitoringLine.objects.create(province_code="450000", year=2020, amount=Decimal("4000"))
    MonitoringLine.objects.create(province_code="440000", year=2020, amount=Decimal("4000"), clue_deadline_days=10)
    return {
        "debao": region("451024160201", "甲村", "451024160000", "village", True),
        "debao2": region("451024160202", "乙村", "451024160000", "village", True),
        "haifeng": region("441521160201", "丙村", "441521160000", "village", True),
    }


_seq = iter(range(1, 10**6))


def household(village, *, kind="lifted", pc="9000", previous=None, rigid=("0", "0"), size=2, failures=(),
              grade="B", risk="none", year=2020):
    number = f"{village.code}{next(_seq):05d}"
    h = Household.objects.create(number=number, village=village, county_code=village.county_code,
                                 region_path=village.path, household_type=kind, risk_status=risk, size=size,
                                 head_name="测试户主", monitoring_category="unstable" if risk == "monitored" else "")
    for y, value in ((year, pc), (year - 1, previous)):
        if value is None:
            continue
        income = Income(household=h, county_code=h.county_code, region_path=h.region_path, year=y,
                        wage=Decimal(value) * size, members_counted=size, rigid_medical=Decimal(rigid[0]),
                        rigid_education=Decimal(rigid[1]) if y == year else 0)
        if y != year:
            income.rigid_medical = 0
        income.compute_per_capita()
        income.save()
    c = Conditions(household=h, county_code=h.county_code, region_path=h.region_path, year=year, housing_grade=grade)
    for item in failures:
        setattr(c, item, False)
    c.save()
    return h


def resident_id(county, birth: date, seq: int) -> str:
    first17 = f"{county}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)


def member(h, id_number, name="测试", relation="head"):
    return Member.objects.create(household=h, county_code=h.county_code, region_path=h.region_path, name=name,
                                 name_initials="cs", id_number=id_number, relation=relation, sex="male",
                                 birth_date=date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])),
                                 education="junior", labour_skill="ordinary")


def clue_of(h):
    return Clue.objects.get(household=h)


def test_each_reason_opens_a_clue_of_its_category(places):
    v = places["debao"]
    unstable = household(v, pc="3812.50")
    marginal = household(places["haifeng"], kind="ordinary", pc="2000")
    fall = household(v, pc="6200", previous="10500")
    rigid = household(v, pc="8000", rigid=("7000", "2000"))
    unsecured = household(v, pc="9000", grade="C", failures=("water_quality",))
    at_line = household(v, pc="4000")
    fine = household(v, pc="9000", previous="9500", rigid=("1000", "0"))

    result = screen(today=TODAY)

    assert result["year"] == 2020
    assert result["households"] == 7
    assert result["clues_opened"] == 6
    assert not Clue.objects.filter(household=fine).exists()

    c = clue_of(unstable)
    assert (c.candidate_category, c.source, c.purpose, c.stage, c.is_open) == (
        "unstable", "screening", "identify", "clue", True)
    assert c.reasons == [{"code": "low_income", "text": "人均纯收入 3,812.50 元，低于监测线 4,000 元"}]
    assert c.opened_on == TODAY and c.deadline == TODAY + timedelta(days=15)
    assert clue_of(at_line).reasons[0]["text"] == "人均纯收入 4,000.00 元，等于监测线 4,000 元"

    c = clue_of(marginal)
    assert c.candidate_category == "marginal"
    assert c.deadline == TODAY + timedelta(days=10)  # 广东's line says 10 days

    c = clue_of(fall)
    assert c.candidate_category == "sudden"
    assert c.reasons == [{"code": "income_fall",
                          "text": "人均纯收入 6,200.00 元，比上年 10,500.00 元下降 40.95%，超过 30%"}]

    c = clue_of(rigid)
    assert c.candidate_category == "sudden"
    assert c.reasons == [{"code": "rigid_spending",
                          "text": "刚性支出 9,000.00 元（医疗 7,000.00 元、教育 2,000.00 元），"
                                  "占家庭纯收入 16,000.00 元的 56.25%，超过 50%"}]

    c = clue_of(unsecured)
    assert c.candidate_category == ""  # the home visit judges the category
    assert [r["code"] for r in c.reasons] == ["unsecured_housing", "unsecured_water_quality"]
    assert c.reasons[0]["text"] == "住房安全未保障：住房安全等级为 C 级"

    assert result["by_category"] == {"unstable": 2, "marginal": 1, "sudden": 2, "undecided": 1}
    transitions = Transition.objects.filter(clue__source="screening")
    assert transitions.count() == 6
    assert set(transitions.values_list("from_stage", "to_stage", "reason")) == {("", "clue", "筛查")}


def test_rerun_opens_no_duplicate_and_monitored_households_are_skipped(places):
    v = places["debao"]
    for _ in range(3):
        household(v, pc="3000")
    monitored = household(v, pc="3000", risk="monitored")
    first = screen(today=TODAY)
    assert (first["clues_opened"], first["skipped_monitored"], first["skipped_open"]) == (3, 1, 0)
    assert not Clue.objects.filter(household=monitored).exists()
    second = screen(today=TODAY + timedelta(days=1))
    assert (second["clues_opened"], second["skipped_open"], second["skipped_monitored"]) == (0, 3, 1)
    assert Clue.objects.count() == 3
    # Once a case is closed, a new screening may open another.
    Clue.objects.filter(household__in=Household.objects.all()[:1]).update(is_open=False, stage="rejected")
    assert screen(today=TODAY)["clues_opened"] == 1


def test_county_line_overrides_province_line(places):
    MonitoringLine.objects.create(province_code="450000", county_code="451024", year=2020, amount=Decimal("5000.50"),
                                  income_fall_share=Decimal("0.20"), clue_deadline_days=7)
    in_debao = household(places["debao"], pc="4500")
    fell_20 = household(places["debao"], pc="8000", previous="10500")  # -23.8%: over 广西德保's 20%
    in_haifeng = household(places["haifeng"], pc="4500")
    household(places["haifeng"], pc="8000", previous="10500")  # under 广东's 30%

    result = screen(today=TODAY)

    assert result["clues_opened"] == 2
    c = clue_of(in_debao)
    assert c.reasons[0]["text"] == "人均纯收入 4,500.00 元，低于监测线 5,000.50 元"
    assert c.deadline == TODAY + timedelta(days=7)
    assert clue_of(fell_20).candidate_category == "sudden"
    assert not Clue.objects.filter(household=in_haifeng).exists()


def test_region_scope_and_missing_line(places):
    household(places["debao"], pc="3000")
    household(places["haifeng"], pc="3000")
    result = screen(region="441500", today=TODAY)
    assert (result["households"], result["clues_opened"]) == (1, 1)
    assert Clue.objects.get().county_code == "441521"
    with pytest.raises(ValidationError):
        screen(region="999999")
    # No line for 2021: households are counted as unjudged on income, conditions still checked.
    household(places["debao2"], pc="3000", year=2021, grade="D")
    result = screen(region="451024", year=2021, today=TODAY)
    assert (result["no_line"], result["clues_opened"]) == (1, 1)
    assert [r["code"] for r in Clue.objects.get(region_path__startswith=places["debao2"].path).reasons] == [
        "unsecured_housing"]


def test_actor_scope(world, places):
    household(places["debao"], pc="3000")
    household(places["haifeng"], pc="3000")
    result = screen(actor=world.users["shanwei"], today=TODAY)  # all regions, as far as his scope goes
    assert (result["households"], result["clues_opened"]) == (1, 1)
    transition = Transition.objects.get()
    assert transition.actor == world.users["shanwei"]
    with pytest.raises(PermissionDenied):
        screen(region="451024", actor=world.users["shanwei"])
    with pytest.raises(PermissionDenied):
        screen(actor=world.users["nanshan"])  # a helper may not open clues


def _queries(n, places):
    for i in range(n):
        household(places["debao"], pc="3000" if i % 2 else "9000", previous="20000", grade="C" if i % 3 else "A")
    with CaptureQueriesContext(connection) as ctx:
        result = screen(today=TODAY)
    return len(ctx.captured_queries), result


def test_query_count_does_not_grow_with_households(places, django_assert_max_num_queries):
    few, result = _queries(6, places)
    assert result["clues_opened"] == 6
    Transition.objects.all().delete()
    Clue.objects.all().delete()
    many, result = _queries(300, places)
    assert result["households"] == 306 and result["clues_opened"] == 306
    assert many == few
    with django_assert_max_num_queries(10):
        screen(today=TODAY)


def test_naive_loop_finds_the_same(places):
    v, w = places["debao"], places["haifeng"]
    for h in (dict(pc="3000"), dict(pc="6200", previous="10500"), dict(pc="8000", rigid=("7000", "2000")),
              dict(pc="9000", failures=("basic_medical",)), dict(pc="9000"), dict(kind="ordinary", pc="100")):
        household(v, **h)
        household(w, **h)
    naive_opened = naive_screen(list(Household.objects.all()), 2020, today=TODAY)
    naive = {c.household_id: (c.candidate_category, c.reasons) for c in Clue.objects.all()}
    Transition.objects.all().delete()
    Clue.objects.all().delete()
    result = screen(today=TODAY)
    assert result["clues_opened"] == naive_opened == 10
    assert {c.household_id: (c.candidate_category, c.reasons) for c in Clue.objects.all()} == naive


def feed_file(tmp_path, rows, encoding="utf-8-sig", name="feed.csv"):
    text = "证件号码,事项,金额,日期\n" + "\n".join(",".join(r) for r in rows) + "\n"
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_department_feed(places, tmp_path):
    a = household(places["debao"])
    b = household(places["haifeng"], kind="ordinary")
    monitored = household(places["debao"], risk="monitored")
    id_a = resident_id("451024", date(1970, 5, 6), 13)
    id_a2 = resident_id("451024", date(1995, 1, 2), 24)
    id_b = resident_id("441521", date(1960, 3, 4), 11)
    id_m = resident_id("451024", date(1980, 7, 8), 35)
    member(a, id_a)
    member(a, id_a2, "测试二", "child")
    member(b, id_b)
    member(monitored, id_m)
    unknown = resident_id("451024", date(1999, 9, 9), 17)
    bad = id_a[:17] + ("0" if id_a[17] != "0" else "1")
    path = feed_file(tmp_path, [
        (id_a, "医疗支出", "35000", "2026-05-02"),
        (id_a2.lower(), "医疗支出", '"1,200.5"', "2026/6/1"),
        (id_b, "医疗支出", "", "20260701"),
        (id_m, "医疗支出", "8000", "2026-07-02"),
        (unknown, "医疗支出", "100", "2026-07-03"),
        (bad, "医疗支出", "100", "2026-07-03"),
    ])
    result = import_department_feed(path, "medical", today=TODAY)
    assert result["rows"] == 6 and result["matched_rows"] == 4 and result["households"] == 3
    assert (result["clues_opened"], result["skipped_monitored"], result["skipped_open"]) == (2, 1, 0)
    assert result["unknown"] == [{"row": 6, "id_number": unknown[:6] + "********" + unknown[-4:]}]
    assert [r["row"] for r in result["invalid"]] == [7]
    c = clue_of(a)
    assert (c.source, c.candidate_category, c.stage) == ("department", "sudden", "clue")
    assert c.reasons == [
        {"code": "dept_medical", "text": "医保部门预警：医疗支出 35,000.00 元（2026-05-02）"},
        {"code": "dept_medical", "text": "医保部门预警：医疗支出 1,200.50 元（2026-06-01）"},
    ]
    assert clue_of(b).reasons == [{"code": "dept_medical", "text": "医保部门预警：医疗支出（2026-07-01）"}]
    assert clue_of(b).deadline == TODAY + timedelta(days=15)
    assert Transition.objects.filter(clue__source="department", from_stage="", to_stage="clue").count() == 2
    # Again: nothing new; a GB18030 file from the disaster office is read the same way.
    path = feed_file(tmp_path, [(id_a, "房屋倒损", "", "2026-08-01")], encoding="gb18030", name="gbk.csv")
    again = import_department_feed(path, "disaster", today=TODAY)
    assert (again["clues_opened"], again["skipped_open"]) == (0, 1)


def test_department_feed_refuses_bad_files(places, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("身份证,金额\n1,2\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="证件号码"):
        import_department_feed(path, "medical")
    with pytest.raises(ValidationError):
        import_department_feed(path, "nonsense")


def test_screen_command(places):
    household(places["debao"], pc="3000")
    household(places["debao"], pc="9000", grade="D")
    out = io.StringIO()
    call_command("screen", "--region", "451024", stdout=out)
    text = out.getvalue()
    assert "Screened 2 households in 451024 for 2020" in text
    assert "clues opened:                2" in text
    out = io.StringIO()
    call_command("screen", "--region", "451024", stdout=out)
    assert "clues opened:                0" in out.getvalue()
    assert "skipped, case already open:  2" in out.getvalue()


def test_screen_command_feed(places, tmp_path):
    h = household(places["debao"])
    number = resident_id("451024", date(1970, 5, 6), 13)
    member(h, number)
    path = feed_file(tmp_path, [(number, "残疾", "", "2026-05-02"), (resident_id("451024", date(1971, 1, 1), 1),
                                                                     "残疾", "", "")])
    out = io.StringIO()
    call_command("screen", "--feed", str(path), "--kind", "disability", stdout=out)
    assert "clues opened:                1" in out.getvalue()
    assert "row 3: unknown ID number 451024********" in out.getvalue()


def test_bench_command(places):
    for i in range(8):
        household(places["debao"], pc="3000" if i % 2 else "9000")
    out = io.StringIO()
    call_command("bench", "screen", "--sample", "5", stdout=out)
    text = out.getvalue()
    assert "households in scope: 8" in text
    assert "naive ORM loop" in text and "ratio" in text
    assert Clue.objects.count() == 0  # the benchmark rolls its writes back


def test_department_feed_from_a_real_xlsx_file(places, tmp_path):
    import xlsxwriter

    hh = household(places["debao"])
    id_number = resident_id("451024", date(1970, 5, 6), 13)
    member(hh, id_number)
    path = tmp_path / "残联数据.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("数据")
    for col, header in enumerate(("证件号码", "事项", "金额", "日期")):
        sheet.write(0, col, header)
    for col, value in enumerate((id_number, "残疾", "", "2026-03-01")):
        sheet.write_string(1, col, value)
    book.close()
    result = import_department_feed(path, "disability", today=TODAY)
    assert (result["rows"], result["matched_rows"], result["clues_opened"]) == (1, 1, 1)
    assert clue_of(hh).source == "department"


def test_a_corrupt_xlsx_feed_is_refused_and_writes_nothing(places, tmp_path):
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ValidationError, match="spreadsheet could not be read"):
        import_department_feed(path, "medical", today=TODAY)
    assert not Clue.objects.exists()
