"""The background worker after a crash, and fairness between users: a task a dead worker left RUNNING is marked
failed, with its reason, when a worker starts (so the uploads behind it run); a user has one import queued or running
at a time, so that his stack of uploads never stands before everyone else's."""

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bangfu.core.tasks import import_upload, new_job
from bangfu.regions.models import Region
from tests.core.test_import_web import VILLAGES, web

SHANWEI_VILLAGES = ("村代码,村名称,乡镇代码,乡镇名称,贫困村\n"
                    "441581100202,新村,441581100000,碣石镇,是\n")


@pytest.fixture
def uploads(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def upload(user, text: str, name: str = "村名录.csv"):
    return web(user).post("/imports/villages/", {"file": SimpleUploadedFile(name, text.encode())})


def task_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[-1500:]
    return response["Location"].split("?task=")[1]


def queued(username: str) -> str:
    """An import task as an upload queues it."""
    job, folder = new_job()
    (folder / "v.csv").write_text(VILLAGES, encoding="utf-8")
    return str(import_upload.enqueue(entity="villages", job=job, file_name="v.csv", username=username).id)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def left_running(task_id: str, worker: str, minutes_ago: int = 0) -> None:
    DBTaskResult.objects.filter(id=task_id).update(status="RUNNING", worker_ids=[worker],
                                                   started_at=timezone.now() - timedelta(minutes=minutes_ago))


def status(task_id: str) -> str:
    return DBTaskResult.objects.get(id=task_id).status


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_starting_fails_the_tasks_dead_workers_left_running(world, uploads, chinese):
    here = socket.gethostname()
    dead, alive, old, recent = (queued("debao") for _ in range(4))
    left_running(dead, f"{here}:{dead_pid()}:killed")
    left_running(alive, f"{here}:{os.getpid()}:busy")  # a live process of this machine: still running
    left_running(old, "elsewhere:123:gone", minutes_ago=61)  # another machine's, older than any task runs
    left_running(recent, "elsewhere:124:busy", minutes_ago=5)
    waiting = task_of(upload(world.users["shanwei"], SHANWEI_VILLAGES))

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert (status(dead), status(alive), status(old), status(recent)) == ("FAILED", "RUNNING", "FAILED", "RUNNING")
    assert status(waiting) == "SUCCESSFUL" and Region.objects.filter(code="441581100202").exists()
    note = web(world.users["debao"]).get(f"/imports/task/{dead}/").content.decode()
    assert 'data-task-status="FAILED"' in note and "执行此任务的后台进程在任务完成前已停止" in note


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_import_per_user_at_a_time(world, uploads, chinese):
    first = task_of(upload(world.users["debao"], VILLAGES))
    second = upload(world.users["debao"], VILLAGES, "again.csv")
    assert second.status_code == 200 and "您上一次的导入仍在排队或进行中" in second.content.decode()
    assert DBTaskResult.objects.count() == 1
    task_of(upload(world.users["shanwei"], SHANWEI_VILLAGES))  # another user is not held up by him

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert status(first) == "SUCCESSFUL"
    task_of(upload(world.users["debao"], VILLAGES, "again.csv"))  # once done, the next may come
