"""The change log: services call `record` in the same transaction as the change they make.

Written explicitly rather than from signals, because bulk writes and `update()` skip signals. The channel (web, API,
admin, command line) is set once per request or command by `channel`, not threaded through every call.

Personal data is masked here, for every model, so that no caller can forget it: a model names its personal fields
in `personal_fields` (attname → mask kind), and their values are logged as the pages show them to a user who may not
unmask (138****5678, a birth date as its year) in the before and after of each entry, for the log is read by the
coordination office and auditors, who may not; the other text values (addresses, notes, reasons, clue reasons) are
scrubbed of ID and mobile numbers, and so are the object's name and the reason, also of the object's own personal
values.
"""

import contextvars
import json
import re
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from bangfu.core import facts
from bangfu.core.identity import mask_birth_date, mask_id, mask_phone, scrub
from bangfu.core.models import ChangeLog

_channel = contextvars.ContextVar("bangfu_audit_channel", default=ChangeLog.Via.UI)
_reason = contextvars.ContextVar("bangfu_audit_reason", default="")


@contextmanager
def channel(via: str):
    token = _channel.set(via)
    try:
        yield
    finally:
        _channel.reset(token)


@contextmanager
def reason(text: str):
    """Every entry written inside is logged with this reason: an import batch's (`import batch N`), so that the rows
    the services create and change for it are found again by its undo."""
    token = _reason.set(text)
    try:
        yield
    finally:
        _reason.reset(token)


# The mask of each kind of personal field (core.columns.PERSONAL_KINDS); masking a masked value changes nothing.
MASKERS = {"id_number": mask_id, "phone": mask_phone, "birth_date": mask_birth_date}
# Shorter values are not looked for in names and reasons: no real ID or phone number is that short, and a few
# digits would be starred wherever they happen to occur.
SHORTEST_HIDDEN = 7
# An amount as JSON keeps its text ("13912345678.00"): not free text, whatever its digits look like.
DECIMAL_TEXT = re.compile(r"-?\d+\.\d+")


def mask(personal: dict[str, str], values: dict | None) -> dict | None:
    """`values` with the personal fields (attname → mask kind) masked and any ID or mobile number in the other text
    (free text: an address, notes, a clue's reasons) masked too."""
    if not values:
        return values
    return {k: _masked_value(personal.get(k), v) for k, v in values.items()}


def _masked_value(kind: str | None, value):
    if kind is not None:  # a personal field
        return MASKERS[kind](value) if isinstance(value, str) and value else value
    if isinstance(value, str) and DECIMAL_TEXT.fullmatch(value):
        return value
    return scrub(value)


def hide(text: str, clear: dict[str, str]) -> str:
    """Free text (an object's name, a reason) with any ID or mobile number masked, and each of the object's own clear
    personal values (→ its mask: a landline too) where it stands alone, not inside a longer number."""
    for value, masked in clear.items():
        if len(value) >= SHORTEST_HIDDEN and value in text:
            text = re.sub(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])", masked, text)
    return scrub(text)


def clear_values(personal: dict[str, str], *sources: dict | None) -> dict[str, str]:
    """The clear personal values found in these dicts, each with its mask."""
    found = {}
    for values in sources:
        for field, kind in personal.items():
            value = (values or {}).get(field)
            if isinstance(value, str) and value and MASKERS[kind](value) != value:
                found[value] = MASKERS[kind](value)
    return found


def snapshot(obj) -> dict:
    """The object's stored fields as JSON values (foreign keys by their key), personal ones masked."""
    data = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    return mask(getattr(obj, "personal_fields", {}), json.loads(json.dumps(data, cls=DjangoJSONEncoder)))


def _entry(obj, before, after, reason: str) -> dict:
    """The fields of an entry that tell what changed, with the object's personal data masked."""
    reason = _reason.get() or reason
    personal = getattr(obj, "personal_fields", {})
    clear = clear_values(personal, {f: getattr(obj, f, None) for f in personal}, before, after)
    return {"object_repr": hide(str(obj), clear)[:300], "before": mask(personal, _json(before)),
            "after": mask(personal, _json(after)), "reason": hide(str(reason or ""), clear)}


def record(actor, action: str, obj, before: dict | None = None, after: dict | None = None, reason: str = ""):
    region_path, org_path = obj.audit_paths() if hasattr(obj, "audit_paths") else ("", "")
    facts.touch([region_path], obj._meta.label)
    return ChangeLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "system",
        action=action,
        via=_channel.get(),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        **_entry(obj, before, after, reason),
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
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk),
            **_entry(obj, before, after, reason), region_path=region_path or "", org_path=org_path or ""))
    ChangeLog.objects.bulk_create(entries, batch_size=2000)
    for label in {obj._meta.label for obj, _before, _after in changes}:
        facts.touch({entry.region_path for entry, (obj, _b, _a) in zip(entries, changes, strict=True)
                     if obj._meta.label == label}, label)


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


def mask_stored(apps, schema_editor, app_label: str, personal: dict[str, dict[str, str]]):
    """Mask the personal data in the change-log entries already stored of an app's models (model name → its
    `personal_fields` as the migration knows them), as `record` masks new ones: the apps' data migrations run this.

    The log is append-only in the database too: core migration 0002 puts a trigger refusing UPDATE on it on
    PostgreSQL (SQLite has none today; one it may get later is handled alike). So its triggers are set aside while
    the entries are rewritten, and put back after: disabled and enabled on PostgreSQL, dropped and created again
    from their stored SQL on SQLite, which cannot disable one. This is safe because a migration runs in one
    transaction on both: on PostgreSQL, ALTER TABLE holds an exclusive lock on the log until commit, so no other
    session writes to it while its trigger is off; SQLite's transaction holds the database's write lock; and should
    anything fail, the rollback brings the triggers back with the entries. Masking is not undone by the reverse
    migration (the clear values are gone).
    """
    change_log = apps.get_model("core", "ChangeLog")
    connection = schema_editor.connection
    table = change_log._meta.db_table
    with connection.cursor() as cursor:
        restore = _set_triggers_aside(connection, cursor, table)
        for model, fields in personal.items():
            _mask_entries(change_log.objects.filter(content_type__app_label=app_label, content_type__model=model),
                          fields)
        for statement in restore:
            cursor.execute(statement)


def _set_triggers_aside(connection, cursor, table: str) -> list[str]:
    """Disable (PostgreSQL) or drop (SQLite) the user triggers on `table`; the statements that put them back."""
    quoted = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        # Rows written earlier in the same transaction leave deferred foreign-key checks pending, and PostgreSQL
        # refuses ALTER TABLE while they are: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
                       "AND tgenabled <> 'D'", [table])
        names = [connection.ops.quote_name(name) for (name,) in cursor.fetchall()]
        for name in names:
            cursor.execute(f"ALTER TABLE {quoted} DISABLE TRIGGER {name}")
        return [f"ALTER TABLE {quoted} ENABLE TRIGGER {name}" for name in names]
    if connection.vendor == "sqlite":  # SQLite cannot disable a trigger: drop it and create it again
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
        return [sql for _name, sql in triggers]
    return []


def _mask_entries(entries, personal: dict[str, str], chunk: int = 1000):
    """Rewrite the entries that hold personal data in the clear, by key ranges (a write never meets an open read of
    the same table, which SQLite does not isolate)."""
    fields = ["before", "after", "object_repr", "reason"]
    last = 0
    while rows := list(entries.filter(pk__gt=last).order_by("pk").only("pk", *fields)[:chunk]):
        last = rows[-1].pk
        changed = []
        for entry in rows:
            before, after = (v if isinstance(v, dict) else None for v in (entry.before, entry.after))
            clear = clear_values(personal, before, after)
            masked = [mask(personal, before) if before else entry.before,
                      mask(personal, after) if after else entry.after,
                      hide(entry.object_repr, clear), hide(entry.reason, clear)]
            if masked != [getattr(entry, f) for f in fields]:
                entry.before, entry.after, entry.object_repr, entry.reason = masked
                changed.append(entry)
        entries.model.objects.bulk_update(changed, fields)
