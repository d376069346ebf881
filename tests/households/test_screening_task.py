"""Screening as a background task: queued through the API, run by the database worker, followed by its owner."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from bangfu.households.models import Clue, MonitoringLine
from tests.conftest import ApiClient
from tests.households.conftest import WORKFLOW_TODAY as TODAY
from tests.households.conftest import make_household


# The worker commits and closes its connection as it does in production: this test runs outside a transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_screening_runs_in_the_worker_and_reports_to_its_owner(cadres):
    make_household("4510240003", cadres["household"].village, per_capita=Decimal("3000"))
    MonitoringLine.objects.filter(year=TODAY.year - 1).update(amount=Decimal("7000"))
    debao = ApiClient(cadres["county"])
    status, task = debao.post("/api/v1/clues/screen", {"region": "451024", "year": TODAY.year - 1})
    assert status == 202 and task["status"] == "READY", task
    assert not Clue.objects.exists()  # nothing happens in the request

    call_command("db_worker", "--batch", "--no-startup-delay")

    status, done = debao.get(f"/api/v1/tasks/{task['id']}")
    assert status == 200 and done["status"] == "SUCCESSFUL", done
    assert done["result"]["clues_opened"] == 1 and done["result"]["households"] == 3
    assert Clue.objects.get().household.number == "4510240003"
    # Someone else's task does not exist for him.
    assert ApiClient(cadres["village"]).get(f"/api/v1/tasks/{task['id']}")[0] == 404
    # The queue page's note says what the worker did.
    web = Client()
    web.force_login(cadres["county"])
    note = web.get(f"/queue/screen/{task['id']}/").content.decode()
    assert 'data-task-status="SUCCESSFUL"' in note and "every 2s" not in note


def test_screening_outside_scope_or_role_is_refused(cadres, world):
    assert ApiClient(world.users["shanwei"]).post("/api/v1/clues/screen", {"region": "451024"})[0] == 404
    assert ApiClient(cadres["helper"]).post("/api/v1/clues/screen", {"region": "451024"})[0] == 403
    assert ApiClient(cadres["county"]).get("/api/v1/tasks/not-a-task")[0] == 404


def test_a_department_feed_uploaded_through_the_api(cadres, world):
    from bangfu.households.models import Member

    member = Member.objects.get(household=cadres["household"])
    csv = (f"证件号码,事项,金额,日期\n{member.id_number},医疗支出,35000,2026-05-02\n"
           "451024199909090000,医疗支出,1,2026-05-02\n")
    upload = SimpleUploadedFile("医保数据.csv", csv.encode("gb18030"), content_type="text/csv")
    client = ApiClient(cadres["county"])
    response = client.client.post("/api/v1/clues/feed", {"kind": "medical", "file": upload}, **client.headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["rows"], body["clues_opened"]) == (2, 1) and body["invalid"][0]["row"] == 3
    assert Clue.objects.get().source == "department"
    # Outside his scope the same file finds nobody; a helper may not import at all; a wrong file type is refused.
    upload.seek(0)
    shanwei = ApiClient(world.users["shanwei"])
    assert shanwei.client.post("/api/v1/clues/feed", {"kind": "medical", "file": upload},
                               **shanwei.headers).json()["matched_rows"] == 0
    upload.seek(0)
    helper = ApiClient(cadres["helper"])
    assert helper.client.post("/api/v1/clues/feed", {"kind": "medical", "file": upload},
                              **helper.headers).status_code == 403
    bad = SimpleUploadedFile("x.pdf", b"%PDF", content_type="application/pdf")
    response = client.client.post("/api/v1/clues/feed", {"kind": "medical", "file": bad}, **client.headers)
    assert response.status_code == 422 and "file" in response.json()["errors"]
