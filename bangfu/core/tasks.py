"""Background work of the core, queued with django-tasks and run by `bangfu db_worker`: spreadsheet imports
uploaded from the web.

An upload lives in its own folder under `var/imports/` (the file, the progress the worker writes as it goes, and
the error report), named by a random job id; the web pages find the folder through the task's arguments, which
only the user who started it may read (`core.tasks_api.result_for`).
"""

import json
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django_tasks import task

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
