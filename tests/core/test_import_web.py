"""The web pages of spreadsheet import: who may import what, templates, an upload imported by the background worker
as its uploader, its progress note, its counts and its error report; and the same in a real browser."""

import io
import os

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from bangfu.core.models import ImportBatch
from bangfu.regions.models import Region

# Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

VILLAGES = ("德保县行政村名录\n"
            "村代码,村名称,乡镇代码,乡镇名称,贫困村\n"
            "451024101201,足荣村,451024101000,足荣镇,是\n"
            "451024101202,那亮村,451024101000,足荣镇,否\n")
BAD_VILLAGES = VILLAGES + "441581100209,外县村,441581100000,碣石镇,是\n"


def web(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def uploads(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "imports"


def test_the_index_lists_what_each_user_may_import(world):
    page = web(world.users["debao"]).get("/imports/").content.decode()
    for entity in ("households", "incomes", "villages"):
        assert f'href="/imports/{entity}/"' in page and f'href="/imports/{entity}/template/"' in page
    auditor = web(world.users["auditor"])
    page = auditor.get("/imports/").content.decode()
    assert 'href="/imports/households/"' not in page
    assert auditor.get("/imports/households/").status_code == 403
    assert auditor.get("/imports/households/template/").status_code == 403
    assert web(world.users["debao"]).get("/imports/nothing/").status_code == 404
    assert Client().get("/imports/").status_code == 302  # login first


def test_the_template_download(world):
    response = web(world.users["debao"]).get("/imports/households/template/")
    assert response.status_code == 200 and "households-template.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in book.worksheets[0][1]][:2] == ["户编号", "村代码"]
    assert "说明" in book.sheetnames


# The worker commits and closes its connection as it does in production: these tests run outside a transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_upload_is_imported_by_the_worker_as_its_uploader(world, uploads):
    debao = web(world.users["debao"])
    page = debao.get("/imports/villages/").content.decode()
    assert 'enctype="multipart/form-data"' in page and "村代码" in page
    response = debao.post("/imports/villages/", {"file": SimpleUploadedFile("村名录.csv", VILLAGES.encode())})
    assert response.status_code == 302 and "?task=" in response["Location"]
    task_id = response["Location"].split("?task=")[1]
    assert not Region.objects.filter(code="451024101201").exists()  # nothing happens in the request
    note = debao.get(f"/imports/task/{task_id}/").content.decode()
    assert 'data-task-status="READY"' in note and "every 1s" in note and "progress-bar" in note
    assert list(uploads.glob("*/村名录.csv"))  # kept under var/imports/

    call_command("db_worker", "--batch", "--no-startup-delay")

    note = debao.get(f"/imports/task/{task_id}/").content.decode()
    assert 'data-import-status="imported"' in note and "every 1s" not in note
    assert 'data-count="villages created">2<' in note and 'data-count="problems">0<' in note
    assert "import-report" not in note and debao.get(f"/imports/task/{task_id}/report/").status_code == 404
    assert Region.objects.get(code="451024101201").name == "足荣村"
    batch = ImportBatch.objects.get()
    assert batch.actor == world.users["debao"] and batch.file_name == "村名录.csv"
    assert f'data-batch="{batch.pk}"' in debao.get("/imports/").content.decode()
    # Someone else's import does not exist for him.
    shanwei = web(world.users["shanwei"])
    assert shanwei.get(f"/imports/task/{task_id}/").status_code == 404
    assert shanwei.get(f"/imports/task/{task_id}/report/").status_code == 404
    assert f'data-batch="{batch.pk}"' not in shanwei.get("/imports/").content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_upload_with_problems_offers_its_report(world, uploads):
    debao = web(world.users["debao"])
    response = debao.post("/imports/villages/", {"file": SimpleUploadedFile("bad.csv", BAD_VILLAGES.encode())})
    task_id = response["Location"].split("?task=")[1]
    call_command("db_worker", "--batch", "--no-startup-delay")
    note = debao.get(f"/imports/task/{task_id}/").content.decode()
    assert 'data-import-status="problems"' in note and 'data-count="problems">1<' in note
    assert f'href="/imports/task/{task_id}/report/"' in note
    assert not Region.objects.filter(code="451024101201").exists()  # nothing written
    report = debao.get(f"/imports/task/{task_id}/report/")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("行号", "列", "值", "错误") and rows[1][0] == 5


def test_uploads_are_checked(world, uploads):
    debao = web(world.users["debao"])
    response = debao.post("/imports/villages/", {"file": SimpleUploadedFile("a.txt", b"x")})
    assert response.status_code == 200 and not ImportBatch.objects.exists()
    assert "a.txt" not in str(list(uploads.glob("*/*")))
    assert web(world.users["auditor"]).post(
        "/imports/villages/", {"file": SimpleUploadedFile("a.csv", VILLAGES.encode())}).status_code == 403


# --- in a real browser --------------------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upload_in_the_browser(browser, session, live_world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    path = tmp_path / "villages.csv"
    path.write_text(VILLAGES, encoding="utf-8")
    page = session.login("debao")
    page.goto(f"{session.url}/imports/")
    page.click("[data-entity=villages] a.btn-primary")
    page.wait_for_url(f"{session.url}/imports/villages/")
    page.set_input_files("#upload-form input[type=file]", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/imports/villages/?task=*")
    page.wait_for_selector("#import-task[data-task-status=READY]")  # the note polls while the task waits

    call_command("db_worker", "--batch", "--no-startup-delay")

    page.wait_for_selector("#import-task[data-import-status=imported]", timeout=20000)
    assert page.locator("#import-task [data-count='villages created']").inner_text() == "2"
    assert Region.objects.filter(code__in=["451024101201", "451024101202"]).count() == 2
    assert not session.errors, session.errors

