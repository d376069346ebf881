"""Who sees personal data in the clear, and the access log of each time it is shown.

ID and phone numbers are masked for everyone and revealed one at a time (`households.services.reveal`). The birth
date is the middle of the ID number (451024**19900101**0033): shown beside the mask it undoes it. So a user who may
not unmask sees the year only, everywhere, and a user who may sees the full date, each view of it written to the
access log like a reveal. The pages and answers note what they show with `shown`; the rows are written in one
statement per request by `AccessLogMiddleware`, after the response is made.
"""

from datetime import date

from django.contrib.contenttypes.models import ContentType

from bangfu.core.identity import mask_birth_date
from bangfu.core.models import AccessLog
from bangfu.core.roles import can

UNMASK = "personal.unmask"


def may_unmask(user) -> bool:
    return can(user, UNMASK)


def shown(request, obj, field: str) -> None:
    """Note that `field` of `obj` is shown in the clear in answer to `request` (written to the access log)."""
    pending = request.__dict__.setdefault("_access_log", [])
    pending.append(AccessLog(actor=request.user, content_type=ContentType.objects.get_for_model(obj),
                             object_id=str(obj.pk), field=field, reason=f"{request.method} {request.path}"[:1000]))


def birth_date_for(request, obj) -> date | None:
    """A person's full birth date for a user who may unmask (the view logged); None for others, who see the year."""
    if not may_unmask(request.user):
        return None
    shown(request, obj, "birth_date")
    return obj.birth_date


def birth_shown(request, obj) -> str:
    """A person's birth date as a page shows it: 1990-01-01 to a user who may unmask (logged), else 1990."""
    full = birth_date_for(request, obj)
    return full.isoformat() if full else mask_birth_date(obj.birth_date)


def log_search(user, found, field: str, reason: str) -> None:
    """A search by a full personal value is an unmasking (it confirms the value): each row it found, or the search
    itself when it found none, is written to the access log."""
    content_type = ContentType.objects.get_for_model(found.model)
    keys = [str(pk) for pk in found.values_list("pk", flat=True)] or ["search"]
    AccessLog.objects.bulk_create([AccessLog(actor=user, content_type=content_type, object_id=key, field=field,
                                             reason=reason) for key in keys])


class AccessLogMiddleware:
    """Writes the access-log rows a request noted (`shown`), in one statement once its response is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        pending = request.__dict__.pop("_access_log", None)
        if pending:
            AccessLog.objects.bulk_create(pending)
        return response
