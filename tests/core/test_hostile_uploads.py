"""No upload can take the platform down (issue 12): each hostile file of `bangfu.bench.uploads`, fed to `bangfu import`
and to the web upload (the worker that imports it in a child process), is refused with a message and no traceback
within 30 s (of CPU: see uploads.LIMIT_SECONDS) and 1 GB of peak memory, and nothing is written. The limits
themselves are settings."""

import io
import json
import sqlite3
import sys
import zipfile

import openpyxl
import polars as pl
import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from bangfu.bench import uploads
from bangfu.core.importing import import_file
from bangfu.core.limits import Budget, OverLimit
from bangfu.core.models import ImportBatch
from bangfu.core.xlsx import read_first_sheet
from bangfu.households.models import Household
from tests.core.test_import import _child_database

# Part of the Chinese message each file is refused with.
MESSAGES = {
    "far_row": "Excel 的最后一行",
    "far_row_unreferenced": "Excel 的最后一行",
    "far_column": "Excel 的最后一行",
    "far_corner": "内存上限",
    "xml_bomb": "压缩了",
    "no_row_end": "超过 64 MB",
    "strings_bomb": "压缩了",
    "strings_references": "内存上限",
    "bom_only": "是空文件",
    "empty_csv": "是空文件",
    "empty_xlsx": "是空文件",
}
FORM_MESSAGES = {"empty_csv": "所提交的是空文件"}  # the web form refuses these itself (Django takes no empty file)
TABLES = ("households_household", "households_member", "core_importbatch")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Each hostile file, built once for the module."""
    folder, built = tmp_path_factory.mktemp("hostile"), {}

    def get(name):
        if name not in built:
            built[name] = uploads.HOSTILE[name](folder)
        return built[name]
    return get


def within_limits(outcome: uploads.Outcome) -> bool:
    """30 s of CPU (the wall-clock time of a shared test machine is mostly other work's) and 1 GB."""
    return uploads.within_limits(outcome)


def figures(outcome: uploads.Outcome, output: str) -> tuple:
    return outcome.killed, outcome.seconds, outcome.cpu_seconds, outcome.peak_bytes >> 20, output[-2000:]


def counts(count) -> dict:
    return {table: count(table) for table in TABLES}


def test_every_hostile_file_has_its_message():
    assert set(MESSAGES) == set(uploads.HOSTILE)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("name", list(uploads.HOSTILE))
def test_the_command_refuses(name, hostile, world, tmp_path):
    env, count = _child_database(connection, tmp_path)
    before = counts(count)
    outcome = uploads.run_child(uploads.import_command(hostile(name), "debao"), env)
    assert within_limits(outcome), figures(outcome, outcome.stderr)
    assert uploads.refused_cleanly(outcome), (outcome.returncode, outcome.stderr[-2000:])
    assert MESSAGES[name] in outcome.stderr, outcome.stderr
    assert counts(count) == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("name", list(uploads.HOSTILE))
def test_the_web_upload_refuses(name, hostile, world, settings, tmp_path):
    from tests.core.test_import_web import web

    settings.VAR_DIR = tmp_path
    with open(hostile(name), "rb") as f:
        response = web(world.users["debao"]).post("/imports/households/", {"file": f})
    if name in FORM_MESSAGES:
        assert response.status_code == 200 and FORM_MESSAGES[name] in response.content.decode()
        assert not DBTaskResult.objects.exists()
        return
    assert response.status_code == 302, response.content.decode()[-2000:]
    task_id = response["Location"].split("?task=")[1]
    env, count = _child_database(connection, tmp_path)
    before = counts(count)
    env["BANGFU_VAR_DIR"] = str(tmp_path)
    outcome = uploads.run_child([sys.executable, "-m", "bangfu", "db_worker", "--batch", "--no-startup-delay",
                                 "--no-reload"], env)
    assert within_limits(outcome), figures(outcome, outcome.stdout)
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    status, value = task_row(tmp_path, task_id)
    assert status == "SUCCESSFUL", value
    assert value["status"] == "unreadable" and MESSAGES[name] in value["message"], value
    assert counts(count) == before


def task_row(tmp_path, task_id: str) -> tuple[str, dict]:
    """The status and return value of a task in the child's database (see _child_database)."""
    sql = "SELECT status, return_value FROM django_tasks_database_dbtaskresult WHERE id = %s"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, [task_id])
            status, value = cursor.fetchone()
    else:
        with sqlite3.connect(tmp_path / "child.sqlite3") as db:
            status, value = db.execute(sql.replace("%s", "?"), [task_id.replace("-", "")]).fetchone()
    return status, json.loads(value) if isinstance(value, str) else value


# --- the limits are settings ----------------------------------------------------------------------------------------

def sheet_of(tmp_path, rows: int):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(uploads.HEADERS))
    for r in range(rows):
        sheet.append([f"A{r:05d}", "451024100201", "王大", "x" * 30, "户主"])
    path = tmp_path / "rows.xlsx"
    book.save(path)
    return path


def test_a_part_larger_than_the_setting_is_refused(tmp_path, settings):
    path = sheet_of(tmp_path, 20000)
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    assert size > 1 << 20
    settings.IMPORT_MAX_PART_MB = 1
    with pytest.raises(OverLimit, match="sheet1.xml"):
        read_first_sheet(path, Budget.from_settings())
    settings.IMPORT_MAX_PART_MB = 2048
    assert read_first_sheet(path, Budget.from_settings())[0].height == 20001


def test_the_ratio_is_a_setting(tmp_path, settings, hostile, chinese):
    settings.IMPORT_MAX_RATIO = 1000
    with pytest.raises(OverLimit, match="64 MB"):  # past the ratio cap, the row's length stops it
        read_first_sheet(hostile("no_row_end"), Budget.from_settings())
    settings.IMPORT_MAX_RATIO = 10
    with pytest.raises(OverLimit, match="压缩了 49 倍"):
        read_first_sheet(hostile("no_row_end"), Budget.from_settings())


def test_the_memory_budget_is_a_setting(tmp_path, settings):
    path = sheet_of(tmp_path, 20000)
    settings.IMPORT_MAX_MEMORY_MB = 1
    with pytest.raises(OverLimit, match="1 MB"):
        read_first_sheet(path, Budget.from_settings())


def test_an_import_over_its_time_budget_writes_nothing(world, tmp_path, settings, chinese, monkeypatch):
    """Past its budget while writing, the import rolls back: it is done within its time or not at all."""
    from bangfu.households.imports import HouseholdPlan
    from tests.core.test_import import make_id, row, write_messy

    path = tmp_path / "households.xlsx"
    write_messy(path, [row("A001", world.village.code, "王大", make_id("19700315", "011"), "户主")])
    write = HouseholdPlan.write

    def slow_write(self, frame, ctx):
        written = write(self, frame, ctx)
        ctx.budget.started -= settings.IMPORT_MAX_SECONDS  # as if the write had taken the whole budget
        return written
    monkeypatch.setattr(HouseholdPlan, "write", slow_write)
    result = import_file("households", path, user=world.users["debao"])
    assert result.status == "unreadable" and "600 秒" in result.message and "未写入" in result.message
    assert result.batch_id is None and not result.written
    assert not Household.objects.exists() and not ImportBatch.objects.exists()
    monkeypatch.undo()
    assert import_file("households", path, user=world.users["debao"]).status == "imported"


def test_a_csv_of_blank_lines_behind_a_bom_is_empty(world, tmp_path, chinese):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n\r\n")
    result = import_file("households", path, user=world.users["debao"])
    assert result.status == "unreadable" and "是空文件" in result.message


def test_a_csv_wider_than_excel_is_refused(world, tmp_path, chinese):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(uploads.HEADERS) + "," * 20000 + "\n", encoding="utf-8")
    result = import_file("households", path, user=world.users["debao"])
    assert result.status == "unreadable" and "Excel" in result.message


@pytest.mark.parametrize("name", ["far_row_unreferenced", "far_corner", "xml_bomb", "strings_references"])
def test_a_department_feed_is_read_within_the_same_limits(name, hostile, db, chinese):
    """Screening's department feeds (an upload of the API) go through the same reader."""
    from django.core.exceptions import ValidationError

    from bangfu.households.screening import import_department_feed

    with pytest.raises(ValidationError, match=MESSAGES[name]):
        import_department_feed(hostile(name), "medical")


def test_the_command_names_a_missing_file(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No file"):
        call_command("import", "households", str(tmp_path / "missing.csv"))


def test_a_real_sheet_is_read_as_before(tmp_path):
    """The limits cost a real sheet nothing: the grid is the same as without them (a generous budget)."""
    path = sheet_of(tmp_path, 2000)
    grid, first = read_first_sheet(path, Budget.from_settings())
    expected = pl.read_excel(io.BytesIO(path.read_bytes()), has_header=False, infer_schema_length=0)
    assert first == 1 and grid.shape == expected.shape
