"""The import engine on households: a deliberately messy workbook, every problem at its row and column, atomic by
default, whole households with --skip-invalid, batches that undo, and files that cannot be read."""

import subprocess
import sys
from datetime import date

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from bangfu.core.identity import check_char
from bangfu.core.importing import import_file, undo, write_report
from bangfu.core.models import ChangeLog, ImportBatch
from bangfu.households import services
from bangfu.households.models import Household, Income, Member
from bangfu.regions.models import Region

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
EXCEL_EPOCH = date(1899, 12, 30)


def make_id(birth: str, seq: str, division: str = "451024") -> str:
    first17 = division + birth + seq
    return first17 + check_char(first17)


def serial(day: date) -> int:
    return (day - EXCEL_EPOCH).days


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


HEADERS = ["户编号", "村代码", "户类型", "耕地面积", "姓名", "身份证号码", "与户主的关系", "出生日期", "文化程度",
           "劳动技能", "健康状况"]


def row(number, village, name, id_number, relation, birth=None, land="2.5", education="初中", skill="普通劳动力"):
    return [number, village, "脱贫户", land, name, id_number, relation, birth, education, skill, "健康"]


def messy_rows(world):
    """(rows, expected problems as {(row, header)}); the spreadsheet rows start at 5 (titles above, header at 4)."""
    v1 = world.village.code
    good_a = make_id("19700315", "011")
    ok = [
        # A: a good household of two, with a full-width ID number, an Excel date serial and '1.2万' mu.
        row("A001", v1, "王大", good_a.translate(FULLWIDTH), "户主", serial(date(1970, 3, 15)), land="0.012万"),
        row("A001", v1, "李二", make_id("19720410", "022"), "配偶", "1972年4月10日", land="0.012万"),
        # B: a good household, its village code typed with spaces and full-width digits.
        row("B001", " ４５１０２４１００２０２ ", "赵三", make_id("19800101", "031"), "户主", "1980/1/1"),
    ]
    bad = [
        # C: a bad check digit.
        row("C001", v1, "钱四", make_id("19650101", "041")[:-1] + "0", "户主"),
        # D: the same person as A's head.
        row("D001", v1, "孙五", good_a, "户主"),
        # E: two heads.
        row("E001", v1, "周六", make_id("19600101", "051"), "户主"),
        row("E001", v1, "吴七", make_id("19620101", "062"), "户主"),
        # F: no head.
        row("F001", v1, "郑八", make_id("19900101", "071"), "子"),
        # G: an unknown village code.
        row("G001", "451024999999", "冯九", make_id("19550101", "081"), "户主"),
        # H: a birth date the ID number contradicts.
        row("H001", v1, "陈十", make_id("19750505", "091"), "户主", "1975-05-06"),
        # I: a village outside 德保县 (the importing user's scope).
        row("I001", "441581100201", "褚一", make_id("19660101", "101", "441581"), "户主"),
        # J: an empty required cell (name).
        row("J001", v1, None, make_id("19770101", "111"), "户主"),
    ]
    # 1-based spreadsheet rows: title 1 (merged), subtitle 2, blank 3, header 4, data from 5.
    start = 5 + len(ok)
    expected = {
        (start, "身份证号码"), (start + 1, "身份证号码"), (start + 2, "与户主的关系"), (start + 3, "与户主的关系"),
        (start + 4, "与户主的关系"), (start + 5, "村代码"), (start + 6, "出生日期"), (start + 7, "村代码"),
        (start + 8, "姓名"),
    }
    # A's head (row 5) is named too: the same ID number is in the file twice.
    expected.add((5, "身份证号码"))
    return ok + bad, expected


def write_messy(path, rows):
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("户籍")
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, "德保县脱贫户家庭成员信息表（2024年）")
    sheet.write(1, 0, "填报单位：城关镇")
    for c, header in enumerate(HEADERS):
        sheet.write_string(3, c, header)
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, int):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    workbook.close()


def test_messy_workbook_reports_every_problem_and_writes_nothing(world, tmp_path):
    rows, expected = messy_rows(world)
    path = tmp_path / "messy.xlsx"
    write_messy(path, rows)
    result = import_file("households", path, user=world.users["debao"])
    found = {(p.row, p.column) for p in result.problems}
    assert expected <= found, sorted(expected - found)
    assert found <= expected, sorted(found - expected)
    assert result.status == "problems" and result.exit_code == 1 and result.batch_id is None
    assert not Household.objects.exists() and not Member.objects.exists() and not ImportBatch.objects.exists()
    messages = {(p.row, p.column): p.message for p in result.problems}
    assert "check digit" in messages[(8, "身份证号码")]
    assert "rows 5, 9" in messages[(9, "身份证号码")]
    assert "exactly one head" in messages[(10, "与户主的关系")] and "has 2" in messages[(10, "与户主的关系")]
    assert "has 0" in messages[(12, "与户主的关系")]
    assert "1975-05-05" in messages[(14, "出生日期")]
    assert "outside your scope" in messages[(15, "村代码")]
    assert "required" in messages[(16, "姓名")]
    # The report names the rows and never an ID number in the clear.
    report = tmp_path / "report.csv"
    write_report(result, report)
    text = report.read_text(encoding="utf-8-sig")
    assert text.startswith("行号,列,值,错误")
    assert make_id("19650101", "041")[:-1] + "0" not in text and "451024*" in text


def test_skip_invalid_writes_the_valid_households_whole(world, tmp_path):
    rows, _expected = messy_rows(world)
    path = tmp_path / "messy.xlsx"
    write_messy(path, rows)
    result = import_file("households", path, user=world.users["debao"], skip_invalid=True)
    # A is left out too: its head's ID number is repeated in D, so the file does not say which one is right.
    assert result.written == {"households created": 1, "members created": 1}
    assert result.skipped_rows == len(rows) - 1 and result.exit_code == 1
    household = Household.objects.get()
    assert household.number == "B001" and household.village_id == world.village2.code
    assert household.size == 1 and household.head_name == "赵三" and household.import_batch_id == result.batch_id
    member = Member.objects.get()
    assert member.birth_date == date(1980, 1, 1) and member.sex == "male" and member.ethnicity == "汉族"


def test_normalised_values_go_in(world, tmp_path):
    rows, _expected = messy_rows(world)
    path = tmp_path / "good.xlsx"
    write_messy(path, rows[:3])
    result = import_file("households", path, user=world.users["debao"])
    assert result.exit_code == 0, result.problems
    assert result.written == {"households created": 2, "members created": 3}
    a = Household.objects.get(number="A001")
    assert a.land_area == 120 and a.size == 2 and a.head_name == "王大" and a.county_code == "451024"
    wang = Member.objects.get(name="王大")
    assert wang.birth_date == date(1970, 3, 15) and wang.id_number == make_id("19700315", "011")
    assert Member.objects.get(name="李二").birth_date == date(1972, 4, 10)
    batch = ImportBatch.objects.get(pk=result.batch_id)
    assert batch.region_path == world.township.path and batch.actor == world.users["debao"]
    assert ChangeLog.objects.filter(object_id=str(batch.pk), action="create").exists()


def test_the_same_file_twice_changes_nothing_and_a_change_is_an_update(world, tmp_path):
    rows, _expected = messy_rows(world)
    path = tmp_path / "good.xlsx"
    write_messy(path, rows[:3])
    first = import_file("households", path, user=world.users["debao"])
    second = import_file("households", path, user=world.users["debao"])
    assert second.exit_code == 0 and second.written == {}
    assert Household.objects.count() == 2 and Member.objects.count() == 3
    changed = [list(r) for r in rows[:3]]
    changed[2][3] = "7"  # B's land area
    write_messy(path, changed + [row("B001", world.village2.code, "赵小", make_id("20050101", "121"), "子",
                                     land="7", education="高中", skill="普通劳动力")])
    third = import_file("households", path, user=world.users["debao"])
    assert third.written == {"households updated": 1, "members created": 1}, third.problems
    b = Household.objects.get(number="B001")
    assert b.land_area == 7 and b.size == 2
    # Undo the update: B is back as it was; then the first batch goes.
    undo(third.batch_id, user=world.users["debao"])
    b.refresh_from_db()
    assert b.land_area == 2.5 and b.size == 1 and not Member.objects.filter(name="赵小").exists()
    removed = undo(first.batch_id, user=world.users["debao"])
    assert removed == {"members removed": 3, "households removed": 2}
    assert not Household.objects.exists()
    with pytest.raises(ValidationError, match="undone already"):
        undo(first.batch_id, user=world.users["debao"])


def test_a_batch_changed_since_is_not_undone(world, tmp_path):
    rows, _expected = messy_rows(world)
    path = tmp_path / "good.xlsx"
    write_messy(path, rows[:3])
    result = import_file("households", path, user=world.users["debao"])
    household = Household.objects.get(number="B001")
    services.update_household(world.users["debao"], household, {"address": "那温屯 3 号"}, reason="走访更正")
    with pytest.raises(ValidationError, match="changed since"):
        undo(result.batch_id, user=world.users["debao"])
    assert Household.objects.count() == 2
    with pytest.raises(ValidationError, match="Unknown import batch"):
        undo(result.batch_id, user=world.users["shanwei"])


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_in_either_encoding_with_a_title_line(world, tmp_path, encoding):
    id_number = make_id("19700315", "011")
    text = ("德保县农户信息\n" + ",".join(HEADERS) + "\n"
            + ",".join(["A001", world.village.code, "脱贫户", "1.5", "王大", id_number, "户主", "", "小学",
                        "普通劳动力", "健康"]) + "\n")
    path = tmp_path / "households.csv"
    path.write_bytes(text.encode(encoding))
    result = import_file("households", path, user=world.users["debao"])
    assert result.exit_code == 0, result.problems
    assert Member.objects.get().name == "王大"


@pytest.mark.parametrize("content,suffix,reason", [
    (b"", ".csv", "is empty"),
    (b"PK\x03\x04 not really a zip", ".xlsx", "could not be read"),
    ("甲,乙,丙\n1,2,3\n".encode(), ".csv", "No header row"),
    (b"\x00\x01\x02binary", ".csv", "not a text file"),
    (b"whatever", ".pdf", "only .xlsx and .csv"),
])
def test_files_that_cannot_be_read(world, tmp_path, content, suffix, reason):
    path = tmp_path / f"file{suffix}"
    path.write_bytes(content)
    result = import_file("households", path, user=world.users["debao"])
    assert result.exit_code == 2 and reason in result.message
    assert not ImportBatch.objects.exists()


def test_missing_required_column_is_reported(world, tmp_path):
    path = tmp_path / "few.csv"
    path.write_text("户编号,村代码,姓名\nA001,451024100201,王大\n", encoding="utf-8")
    result = import_file("households", path, user=world.users["debao"])
    assert result.exit_code == 1
    assert {p.column for p in result.problems} == {"户类型", "证件号码", "与户主关系", "文化程度", "劳动技能"}


def test_command_exit_codes_and_report(world, tmp_path):
    rows, _expected = messy_rows(world)
    path = tmp_path / "messy.xlsx"
    write_messy(path, rows)
    report = tmp_path / "report.xlsx"
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "households", str(path), "--user", "debao", "--report", str(report))
    assert exit_.value.code == 1 and report.exists() and not Household.objects.exists()
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "households", str(path), "--user", "debao", "--skip-invalid")
    assert exit_.value.code == 1 and Household.objects.count() == 1
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nonsense")
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "households", str(bad))
    assert exit_.value.code == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_import_leaves_nothing(tmp_path):
    """kill -9 half way: the transaction never commits, so nothing of the batch is in the database."""
    from tests.conftest import World

    world = World()
    rows = [row(f"K{i:04d}", world.village.code, "王大", make_id("19700315", f"{i % 1000:03d}",
                                                                     "451024" if i < 1000 else "451025"), "户主")
            for i in range(2000)]
    path = tmp_path / "big.xlsx"
    write_messy(path, rows)
    script = (
        "import os, signal, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'bangfu.settings'); django.setup()\n"
        "from bangfu.households import imports\n"
        "original = imports.insert_frame\n"
        "def dying(model, frame):\n"
        "    original(model, frame)\n"
        "    if model.__name__ == 'Household': os.kill(os.getpid(), signal.SIGKILL)\n"
        "imports.insert_frame = dying\n"
        "from bangfu.core.importing import import_file\n"
        f"import_file('households', {str(path)!r})\n"
    )
    from django.db import connection

    env, count = _child_database(connection, tmp_path)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == -9, done.stderr[-2000:]
    assert count("households_household") == 0 and count("core_importbatch") == 0


def _child_database(connection, tmp_path):
    """The database a child process imports into, and a way to count rows in it afterwards: the test database
    itself on PostgreSQL; on SQLite (in memory under pytest) a copy of it in a file."""
    import os
    import sqlite3

    env = dict(os.environ)
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        env["BANGFU_TEST_DATABASE_URL"] = ""
        env["BANGFU_DATABASE_URL"] = (f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
                                      f"{settings['PORT'] or 5432}/{settings['NAME']}")

        def count(table):
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                return cursor.fetchone()[0]
        return env, count
    copy = tmp_path / "child.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    env["BANGFU_DATABASE_URL"] = f"sqlite:///{copy}"

    def count(table):
        with sqlite3.connect(copy) as db:
            return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    return env, count


def test_incomes_import_computes_per_capita_and_updates_a_year(world, tmp_path):
    rows, _expected = messy_rows(world)
    households = tmp_path / "households.xlsx"
    write_messy(households, rows[:3])
    import_file("households", households, user=world.users["debao"])
    path = tmp_path / "incomes.csv"
    path.write_text("户编号,年度,工资性收入,生产经营性收入,转移性收入,生产经营性支出\n"
                    "A001,2024,1.2万,3000,500元,1000\n"
                    "B001,2024,8000,,,\n"
                    "Z999,2024,1,1,1,1\n", encoding="utf-8")
    result = import_file("incomes", path, user=world.users["debao"])
    assert [(p.row, p.column) for p in result.problems] == [(4, "户编号")]
    assert not Income.objects.exists()
    path.write_text("户编号,年度,工资性收入,生产经营性收入,转移性收入,生产经营性支出\n"
                    "A001,2024,1.2万,3000,500元,1000\n"
                    "B001,2024,8000,,,\n", encoding="utf-8")
    result = import_file("incomes", path, user=world.users["debao"])
    assert result.written == {"incomes created": 2}, result.problems
    a = Income.objects.get(household__number="A001")
    assert a.wage == 12000 and a.members_counted == 2 and a.per_capita == (12000 + 3000 + 500 - 1000) / 2
    path.write_text("户编号,年度,工资性收入\nB001,2024,9000\n", encoding="utf-8")
    result = import_file("incomes", path, user=world.users["debao"])
    assert result.written == {"incomes updated": 1}
    assert Income.objects.get(household__number="B001").per_capita == 9000
    assert import_file("incomes", path, user=world.users["shanwei"]).problems[0].column == "户编号"
    assert import_file("incomes", path, user=world.users["nanshan"]).problems[0].message.startswith("You may not")


def test_villages_import_creates_townships_and_villages_and_undoes(world, tmp_path):
    path = tmp_path / "villages.csv"
    path.write_text("德保县行政村名录\n"
                    "村代码,村名称,乡镇代码,乡镇名称,贫困村\n"
                    "451024101201,足荣村,451024101000,足荣镇,是\n"
                    "451024101202,那亮村,451024101000,足荣镇,否\n"
                    "451024100203,新村,451024100000,城关镇,是\n"
                    "441581100209,外县村,441581100000,碣石镇,是\n"
                    "451024102301,错码村,451024101000,足荣镇,是\n", encoding="utf-8")
    result = import_file("villages", path, user=world.users["debao"])
    assert {(p.row, p.column) for p in result.problems} == {(6, "乡镇代码"), (7, "村代码")}
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:5]) + "\n", encoding="utf-8")
    result = import_file("villages", path, user=world.users["debao"])
    assert result.written == {"townships created": 1, "villages created": 3}, result.problems
    village = Region.objects.get(code="451024101201")
    assert village.path == "450000/451000/451024/451024101000/451024101201/" and village.is_poor_village
    assert village.county_code == "451024" and village.province_code == "450000"
    assert import_file("villages", path, user=world.users["debao"]).written == {}
    removed = undo(result.batch_id, user=world.users["debao"])
    assert removed == {"villages removed": 3, "townships removed": 1}
    assert not Region.objects.filter(code="451024101000").exists()


def test_pairings_export_reimports_unchanged_then_updates_and_creates(world, tmp_path):
    from bangfu.core.exports import export
    from bangfu.pairing.models import Pairing

    nanshan = world.users["nanshan"]
    path = tmp_path / "pairings.csv"
    n = export("pairings", path, nanshan)
    assert n >= 2
    result = import_file("pairings", path, user=nanshan)
    assert result.exit_code == 0 and result.written == {}, result.problems
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    first[header.index("备注")] = "年度复核"
    new = list(first)
    new[header.index("结对编号")] = ""
    new[header.index("开始日期")] = "2030-01-01"  # after the first ends? it has no end: an overlap
    path.write_text("\n".join([lines[0], ",".join(first), ",".join(new)]) + "\n", encoding="utf-8")
    result = import_file("pairings", path, user=nanshan)
    assert [p.row for p in result.problems] == [3] and "already has a pairing" in result.problems[0].message
    path.write_text("\n".join([lines[0], ",".join(first)]) + "\n", encoding="utf-8")
    result = import_file("pairings", path, user=nanshan)
    assert result.written == {"pairings updated": 1}, result.problems
    pk = int(first[header.index("结对编号")])
    assert Pairing.objects.get(pk=pk).notes == "年度复核"
    undo(result.batch_id, user=nanshan)
    assert Pairing.objects.get(pk=pk).notes == ""
    # debao may not change pairings at all.
    assert import_file("pairings", path, user=world.users["debao"]).problems[0].message.startswith("You may not")


def test_organisations_import_creates_under_a_parent(world, tmp_path):
    from bangfu.regions.models import Organisation

    path = tmp_path / "orgs.csv"
    path.write_text("单位编号,单位名称,单位类型,帮扶方/受援方,所在地区代码,上级单位编号,统一社会信用代码\n"
                    f",南山区蛇口街道,street,helper,440305,{world.nanshan.pk},\n"
                    f",某公司,enterprise,helper,440305,{world.nanshan.pk},\n", encoding="utf-8")
    result = import_file("organisations", path, user=world.users["nanshan"])
    assert [(p.row, p.column) for p in result.problems] == [(3, "统一社会信用代码")], result.problems
    assert not Organisation.objects.filter(name="南山区蛇口街道").exists()
    result = import_file("organisations", path, user=world.users["nanshan"], skip_invalid=True)
    assert result.written == {"organisations created": 1}
    street = Organisation.objects.get(name="南山区蛇口街道")
    assert street.path == f"{world.nanshan.path}{street.pk}/" and street.import_batch_id == result.batch_id
    assert undo(result.batch_id, user=world.users["nanshan"]) == {"organisations removed": 1}


def test_a_filled_template_imports(world, tmp_path):
    import openpyxl

    from bangfu.core.exports import entities
    from bangfu.core.workbook import write_template

    path = tmp_path / "template.xlsx"
    write_template(entities()["households"], path)
    assert import_file("households", path, user=world.users["debao"]).exit_code == 2  # header, no rows
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    values = {"户编号": "T001", "村代码": world.village.code, "户类型": "脱贫户", "姓名": "王大",
              "证件号码": make_id("19700315", "011"), "与户主关系": "户主", "文化程度": "初中",
              "劳动技能": "普通劳动力"}
    sheet.append([values.get(h) for h in headers])
    workbook.save(path)
    result = import_file("households", path, user=world.users["debao"])
    assert result.written == {"households created": 1, "members created": 1}, result.problems


def test_an_export_with_clear_values_reimports_cleanly(world, tmp_path):
    from bangfu.core.exports import export

    rows, _expected = messy_rows(world)
    source = tmp_path / "source.xlsx"
    write_messy(source, rows[:3])
    import_file("households", source, user=world.users["debao"])
    for suffix in (".xlsx", ".csv"):
        exported = tmp_path / f"export{suffix}"
        assert export("households", exported, world.users["debao"]) == 3
        again = import_file("households", exported, user=world.users["debao"])
        assert again.exit_code == 0 and again.written == {}, again.problems
    # A masked export says why it cannot be imported, row by row.
    masked = tmp_path / "masked.csv"
    export("households", masked, None)
    result = import_file("households", masked, user=world.users["debao"])
    assert result.exit_code == 1 and {p.column for p in result.problems} >= {"证件号码"}


def test_import_queries_do_not_grow_with_the_rows(world, tmp_path):
    """A bulk path: the number of queries is the same for 20 households as for 400."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size, start in ((5, 600), (20, 0), (400, 100)):  # the first warms the caches (content types…)
        rows = []
        for i in range(start, start + size):
            number = f"Q{i:04d}"
            rows.append(row(number, world.village.code, "王大", make_id("19700315", f"{i:03d}"), "户主"))
            rows.append(row(number, world.village.code, "王二", make_id("19990101", f"{i:03d}"), "子"))
        path = tmp_path / f"q{size}.csv"
        path.write_text("\n".join(",".join("" if v is None else str(v) for v in r) for r in [HEADERS, *rows]),
                        encoding="utf-8")
        with CaptureQueriesContext(connection) as queries:
            result = import_file("households", path, user=world.users["debao"])
        assert result.exit_code == 0, result.problems[:3]
        counts.append(len(queries))
    assert counts[1] == counts[2], counts


@pytest.mark.django_db
def test_among_finds_texts_with_quotes_backslashes_and_commas():
    """The long-list lookup sends PostgreSQL one text[] literal: quotes, backslashes, commas and braces survive it."""
    import polars as pl

    from bangfu.core.importing import among

    odd = ['a"b', "c\\d", "x,y", "{z}", "NULL", "普通"]
    for name in odd:
        ImportBatch.objects.create(entity="households", file_name=name, actor_name="system")
    wanted = pl.Series([*odd, "absent", None])
    assert sorted(name for (name,) in among(ImportBatch.objects.all(), "file_name", wanted)) == sorted(odd)
    assert among(ImportBatch.objects.all(), "file_name", ["absent"]) == []
    assert among(ImportBatch.objects.all(), "file_name", []) == []


def test_a_re_import_does_not_change_what_the_monitoring_workflow_decides(world, tmp_path, sheet):
    """A registered household's monitoring category and risk status change through the workflow only: a file that
    gives other values is refused at their cells, and one that leaves them blank keeps them."""
    debao = world.users["debao"]
    headers = [*HEADERS, "监测对象类别", "风险状态"]
    head = row("M001", world.village.code, "王大", make_id("19700315", "011"), "户主")
    assert import_file("households", sheet("m.xlsx", headers, [head + ["", ""]]), user=debao).exit_code == 0
    Household.objects.filter(number="M001").update(monitoring_category="unstable", risk_status="monitored")
    refused = import_file("households", sheet("n.xlsx", headers, [head + ["脱贫不稳定户", "风险已消除"]]), user=debao)
    assert [(p.column, p.message) for p in refused.problems] == [
        ("风险状态", "The monitoring category and risk status change through the monitoring workflow.")]
    changed = [*head[:3], "9", *head[4:]]
    blank = import_file("households", sheet("b.xlsx", headers, [changed + ["", ""]]), user=debao)
    assert blank.written == {"households updated": 1}, blank.problems
    household = Household.objects.get(number="M001")
    assert (household.land_area, household.monitoring_category, household.risk_status) == (9, "unstable", "monitored")
