"""Background work of the households module, queued with django-tasks and run by `bangfu db_worker`."""

from django.contrib.auth import get_user_model
from django_tasks import task

from bangfu.households.screening import screen


@task()
def screen_region(region: str, year: int | None, username: str) -> dict:
    """Screening started from the web or the API, as the user who asked (his scope, his permission)."""
    actor = get_user_model().objects.get(username=username)
    result = screen(region=region, year=year, actor=actor)
    return {key: value for key, value in result.items() if key != "seconds"} | {"seconds": round(result["seconds"], 3)}
