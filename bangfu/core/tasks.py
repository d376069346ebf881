"""Background work of the core, queued with django-tasks and run by `bangfu db_worker`: spreadsheet imports
uploaded from the web, and the refresh of the indicators' facts after writes.

An upload lives in its own folder under `var/imports/` (the file, the progress the worker writes as it goes, and
the error report), named by a random job id; the web pages find the folder through the task's arguments, which
only the user who started it may read (`core.tasks_api.result_for`).

Workers can die (killed, out of memory, a machine restarted) in the middle of a task, which then stays RUNNING.
`bangfu db_worker` (core's, which wraps django-tasks-db's) names each worker after its machine and process and, as
it starts, marks failed the tasks a dead worker left: those of a worker of its machine whose process is gone, and
those started longer ago than any task runs (BANGFU_TASK_STALE_MINUTES), whatever machine ran them. A user has one
import queued or running at a time: his next upload is refused until it is done, so that one user's stack of uploads
never stands before everyone else's; each import ends within its own time budget (core.limits).
"""

import json
import os
import socket
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks_db.models import DBTaskResult

PROGRESS = "progress.json"
REPORT = "report.xlsx"


def imports_dir() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def new_job() -> tuple[str, Path]:
    job = uuid.uuid4().hex
    folder = imports_dir() / job
    folder.mkdir(parents=True)
    return job, folder


def job_dir(job: str) -> Path:
    if not job.isalnum():  # a job id comes from a task's own arguments; never a path
        raise ValueError(job)
    return imports_dir() / job


def read_progress(job: str) -> dict:
    try:
        return json.loads((job_dir(job) / PROGRESS).read_text())
    except (OSError, ValueError):
        return {"done": 0, "total": 0}


def _write_progress(folder: Path, done: int, total: int) -> None:
    partial = folder / (PROGRESS + ".part")
    partial.write_text(json.dumps({"done": done, "total": total}))
    os.replace(partial, folder / PROGRESS)  # a reader sees the old or the new, never half


@task()
def import_upload(entity: str, job: str, file_name: str, username: str, skip_invalid: bool = False) -> dict:
    """Import an uploaded file as the user who uploaded it (his scope, his permission, his name on the batch)."""
    from bangfu.core.importing import import_file, write_report

    user = get_user_model().objects.get(username=username)
    folder = job_dir(job)
    _write_progress(folder, 0, 1)
    result = import_file(entity, folder / file_name, user=user, skip_invalid=skip_invalid,
                         progress=lambda done, total: _write_progress(folder, done, total))
    report = bool(result.problems or result.message)
    if report:
        write_report(result, folder / REPORT)
    _write_progress(folder, 1, 1)
    return {
        "entity": entity, "job": job, "file_name": file_name, "status": result.status, "rows": result.rows,
        "written": result.written, "problems": len(result.problems), "skipped_rows": result.skipped_rows,
        "batch_id": result.batch_id, "message": result.message, "report": report,
    }


@task()
def refresh_indicators() -> list[str]:
    """Bring the facts of the stale regions up to date (core.facts); the regions done."""
    from bangfu.core.facts import refresh_stale

    return refresh_stale()


def queue_refresh() -> None:
    """Queue the refresh unless one is waiting to start: it will see these changes too."""
    waiting = DBTaskResult.objects.filter(task_path=refresh_indicators.module_path, status="READY").exists()
    if waiting:
        return
    if refresh_indicators.get_backend().supports_defer:
        delay = timedelta(seconds=settings.INDICATOR_REFRESH_DELAY)
        refresh_indicators.using(run_after=timezone.now() + delay).enqueue()
    else:  # BANGFU_TASKS=immediate: now, in the request
        refresh_indicators.enqueue()


@task()
def recount_daily_indicators() -> int:
    """The indicators that move with the date alone, recounted (core.facts.recount_daily)."""
    from bangfu.core.facts import recount_daily

    return recount_daily()


def queue_daily() -> None:
    waiting = DBTaskResult.objects.filter(task_path=recount_daily_indicators.module_path,
                                          status__in=["READY", "RUNNING"]).exists()
    if not waiting:
        recount_daily_indicators.enqueue()


def has_pending_import(username: str) -> bool:
    """Whether this user has an import queued or running."""
    return DBTaskResult.objects.filter(task_path=import_upload.module_path, status__in=["READY", "RUNNING"],
                                       args_kwargs__kwargs__username=username).exists()


class WorkerLost(Exception):
    """The worker running the task stopped before it finished (the task's error, as its page shows it)."""


def worker_id() -> str:
    """machine:process:random, so that a worker starting on the same machine can tell whether it still runs."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(12)}"


def fail_abandoned(this_worker: str) -> int:
    """Mark failed the tasks dead workers left RUNNING; how many."""
    host = this_worker.split(":", 1)[0]
    stale_before = timezone.now() - timedelta(minutes=settings.TASK_STALE_MINUTES)
    abandoned = [result for result in DBTaskResult.objects.running()
                 if _dead_here(result.worker_ids[-1] if result.worker_ids else "", host)
                 or result.started_at is None or result.started_at < stale_before]
    with translation.override(settings.LANGUAGE_CODE):
        for result in abandoned:
            result.set_failed(WorkerLost(_("The worker running this task stopped before it finished (worker %(id)s). "
                                           "Start it again.") % {
                "id": (result.worker_ids or ["?"])[-1]}))
    return len(abandoned)


def _dead_here(worker: str, host: str) -> bool:
    worker_host, _sep, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if worker_host != host or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # a process of another user: perhaps a worker run by him
        return False
    return False
