"""Background tasks in the API: each task is seen only by the user who started it (its `username` argument)."""

from datetime import datetime
from typing import Any

from django.http import Http404
from django_tasks import default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist
from ninja import Router, Schema

router = Router(tags=["tasks"])


class TaskOut(Schema):
    id: str
    status: str
    enqueued_at: datetime | None = None
    finished_at: datetime | None = None
    result: Any = None
    errors: list[str] = []


def task_out(result) -> dict:
    return {
        "id": str(result.id), "status": str(result.status), "enqueued_at": result.enqueued_at,
        "finished_at": result.finished_at,
        "result": result.return_value if result.status == "SUCCESSFUL" else None,
        "errors": [error.exception_class_path.rsplit(".", 1)[-1] + ": " + error.traceback.strip().splitlines()[-1]
                   for error in result.errors],
    }


def result_for(user, task_id: str):
    """The task's result if this user started it (superusers see all), else 404."""
    try:
        result = default_task_backend.get_result(task_id)
    except (TaskResultDoesNotExist, ValueError):
        raise Http404 from None
    if not user.is_superuser and result.kwargs.get("username") != user.get_username():
        raise Http404
    return result


@router.get("/{task_id}", response=TaskOut)
def task_detail(request, task_id: str):
    return task_out(result_for(request.user, task_id))
