"""The change log: services call `record` in the same transaction as the change they make.

Written explicitly rather than from signals, because bulk writes and `update()` skip signals. The channel (web, API,
admin, command line) is set once per request or command by `channel`, not threaded through every call.
"""

import contextvars
import json
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from bangfu.core.models import ChangeLog

_channel = contextvars.ContextVar("bangfu_audit_channel", default=ChangeLog.Via.UI)


@contextmanager
def channel(via: str):
    token = _channel.set(via)
    try:
        yield
    finally:
        _channel.reset(token)


def snapshot(obj) -> dict:
    """The object's stored fields as JSON values (foreign keys by their key)."""
    data = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record(actor, action: str, obj, before: dict | None = None, after: dict | None = None, reason: str = ""):
    region_path, org_path = obj.audit_paths() if hasattr(obj, "audit_paths") else ("", "")
    return ChangeLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "system",
        action=action,
        via=_channel.get(),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        reason=reason,
        region_path=region_path or "",
        org_path=org_path or "",
    )


def record_many(actor, action: str, changes, reason: str = ""):
    """One entry per (object, before, after), written in one statement: the bulk paths' change log."""
    user = actor if actor is not None and actor.is_authenticated else None
    via = _channel.get()
    entries = []
    for obj, before, after in changes:
        region_path, org_path = obj.audit_paths() if hasattr(obj, "audit_paths") else ("", "")
        entries.append(ChangeLog(
            actor=user, actor_name=user.get_username() if user else "system", action=action, via=via,
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), object_repr=str(obj)[:300],
            before=_json(before), after=_json(after), reason=reason, region_path=region_path or "",
            org_path=org_path or ""))
    ChangeLog.objects.bulk_create(entries, batch_size=2000)


def _json(values: dict | None):
    return None if values is None else json.loads(json.dumps(values, cls=DjangoJSONEncoder))


class ChannelMiddleware:
    """Marks the audit channel of each request: the API, the admin or the web UI."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        via = ChangeLog.Via.UI
        if request.path.startswith("/api/"):
            via = ChangeLog.Via.API
        elif request.path.startswith("/admin/"):
            via = ChangeLog.Via.ADMIN
        with channel(via):
            return self.get_response(request)
