"""What every service shares: permission checks, field errors, and the audited create/update/delete; and the
services of core's own records (API tokens)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core import audit
from bangfu.core.models import ApiToken
from bangfu.core.roles import can
from bangfu.core.scope import scope_of
from bangfu.core.values import Errors, parse_int, parse_text


def require(user, permission: str):
    if not can(user, permission):
        raise PermissionDenied(_("You may not do this (%(permission)s).") % {"permission": permission})


def require_in_scope(user, obj, action: str = "change"):
    """The object must be one this user may act on; else 403 (he can see it, but not change it)."""
    model = type(obj)
    require(user, f"{model.permission_name}.{action}")
    if not scope_of(user).everything and not model.objects.visible_to(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("%(object)s is outside your scope.") % {"object": obj})


def invalid(field: str, message: str):
    """Refuse the change: a message for one field (or None for the whole record)."""
    raise ValidationError({field: [message]} if field else message)


def resolve_in_scope(user, model, field: str, message: str, action: str = "view", **lookup):
    """The row of `model` matching `lookup` that the user may see (or act on), else a field error with `message`:
    how a code or an id typed into a form, a file or an API call becomes a row of his scope. A row outside his scope
    is refused as if it did not exist."""
    found = model.objects.visible_to(user, action).filter(**lookup).first()
    if found is None:
        invalid(field, message)
    return found


def validate(obj, exclude=None):
    """Model validation (field validators, choices, constraints); raises ValidationError naming the fields."""
    obj.full_clean(exclude=exclude)


@transaction.atomic
def save_audited(actor, obj, reason: str = ""):
    """Save a new or changed object and write its change-log entry in the same transaction."""
    from bangfu.core.audit import snapshot

    creating = obj._state.adding
    before = None if creating else snapshot(type(obj).objects.get(pk=obj.pk))
    obj.save()
    action = "create" if creating else "update"
    audit.record(actor, action, obj, before=before, after=snapshot(obj), reason=reason)
    return obj


@transaction.atomic
def delete_audited(actor, obj, reason: str = ""):
    before = audit.snapshot(obj)
    audit.record(actor, "delete", obj, before=before, reason=reason)
    obj.delete()


# --- API tokens ----------------------------------------------------------------------------------------------------


def _token_values(token) -> dict:
    """What the change log keeps of a token: not its digest, which is of no use to a reader of the log."""
    values = audit.snapshot(token)
    values.pop("digest")
    return values


@transaction.atomic
def create_token(actor, owner, name="", days=None):
    """A new API token of `owner` and its key, shown this once. A user makes his own; the operator's command line
    (no actor) anyone's. The lifetime is BANGFU_TOKEN_DAYS unless `days` says otherwise, at most
    BANGFU_TOKEN_MAX_DAYS."""
    if actor is not None and actor != owner:
        raise PermissionDenied(_("You may create API tokens only for yourself."))
    errors = Errors()
    name = parse_text(errors, "name", name, max_length=ApiToken._meta.get_field("name").max_length)
    days = settings.TOKEN_DAYS if days in (None, "") else parse_int(errors, "days", days, low=1,
                                                                     high=settings.TOKEN_MAX_DAYS)
    errors.raise_if_any()
    token, key = ApiToken.objects.create_with_key(owner, name, timezone.now() + timedelta(days=days))
    audit.record(actor, "create", token, after=_token_values(token))
    return token, key


@transaction.atomic
def revoke_token(actor, token_id):
    """Revoke (delete) a token: its owner or a superuser may; anyone else is told it does not exist (404)."""
    token = ApiToken.objects.visible_to(actor, "change").select_for_update().get(pk=token_id)
    audit.record(actor, "delete", token, before=_token_values(token))
    token.delete()
    return token
