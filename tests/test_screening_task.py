"""Screening as a background task: queued through the API, run by the database worker, followed by its owner."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from bangfu.households.models import Clue, MonitoringLine
from tests.conftest import ApiClient
from tests.test_workflow import TODAY, cadres, make_household  # noqa: F401  (the fixture)


# The worker commits and closes its connection as it does in production: this test runs outside a transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_screening_runs_in_the_worker_and_reports_to_its_owner(cadres):  # noqa: F811
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


def test_screening_outside_scope_or_role_is_refused(cadres, world):  # noqa: F811
    assert ApiClient(world.users["shanwei"]).post("/api/v1/clues/screen", {"region": "451024"})[0] == 404
    assert ApiClient(cadres["helper"]).post("/api/v1/clues/screen", {"region": "451024"})[0] == 403
    assert ApiClient(cadres["county"]).get("/api/v1/tasks/not-a-task")[0] == 404
