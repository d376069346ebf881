"""What the API (django-ninja, `bangfu/api.py`) shares: token authentication and JSON errors.

Authentication: `Authorization: Bearer <token>` (`bangfu create-token USER`, or the page of one's API tokens) or the
browser's session. Errors are JSON `{"message": …, "errors": {field: [messages]}}`: 401 without credentials or with a
token that is unknown, revoked or expired (the message says which), 403 for a forbidden action, 404 for an object that
does not exist or lies outside the caller's scope, 422 for bad input; never 500. The OpenAPI document declares all of
them on every operation (`Api`).

Every whole number and every date part a client sends has a type below (`DbId`, `Year`, `Days`, `Quantity`, `Month`),
bounded where a larger value would overflow the database's integers or Python's dates: out of bounds is a 422 naming
the field, never a 500 (`tests/core/test_api_document.py` fails on an unbounded integer).

In a change (PATCH), a field whose column cannot be null is typed without `None` and defaults to None
(`notes: str = None`): left out, it is unchanged (pydantic does not validate a default); sent as null, it is a 422.
"""

from datetime import date
from typing import Annotated

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import AfterValidator, BeforeValidator

from bangfu.core.identity import mask_id, mask_phone, scrub
from bangfu.core.models import ApiToken, TokenRefused
from bangfu.core.money import fen_text
from bangfu.core.privacy import birth_date_for


class ErrorOut(Schema):
    """The body of every refusal: a summary, and the messages by field (`__all__` for the whole request)."""

    message: str
    errors: dict[str, list[str]]


# The refusals any operation may answer (the handlers below make them, not the routes).
ERROR_RESPONSES = {
    401: "Not authenticated",
    403: "Forbidden action",
    404: "Not found, or outside the caller's scope",
    422: "Bad input, naming each field",
}


class Api(NinjaAPI):
    """The NinjaAPI whose OpenAPI document also declares, on every operation, the refusals its error handlers answer
    (401, 403, 404, 422 as `ErrorOut`), so that a client and the tests know every status a route can give."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        schema["components"]["schemas"]["ErrorOut"] = ErrorOut.model_json_schema()
        content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, description in ERROR_RESPONSES.items():
                    operation["responses"].setdefault(status, {"description": description, "content": content})
        return schema


def schema_message(err: dict) -> str:
    """A pydantic error as a clerk reads it, in his language (pydantic's own English for the rare kinds not here)."""
    kind, ctx, value = err.get("type", ""), err.get("ctx") or {}, err.get("input")
    if kind == "missing":
        return _("This field is required.")
    if value is None and kind.endswith("_type"):
        return _("This field may not be null.")
    if kind == "value_error":
        return str(ctx.get("error", err.get("msg", "")))
    messages = {
        "less_than_equal": lambda: _("At most %(limit)s.") % {"limit": ctx.get("le")},
        "greater_than_equal": lambda: _("At least %(limit)s.") % {"limit": ctx.get("ge")},
        "less_than": lambda: _("Less than %(limit)s.") % {"limit": ctx.get("lt")},
        "greater_than": lambda: _("More than %(limit)s.") % {"limit": ctx.get("gt")},
        "string_too_long": lambda: _("At most %(n)s characters.") % {"n": ctx.get("max_length")},
        "string_too_short": lambda: _("At least %(n)s characters.") % {"n": ctx.get("min_length")},
        "too_long": lambda: _("At most %(n)s items.") % {"n": ctx.get("max_length")},
        "too_short": lambda: _("At least %(n)s items.") % {"n": ctx.get("min_length")},
        "enum": lambda: _("Unknown value %(value)s; one of: %(allowed)s.") % {
            "value": str(value)[:40], "allowed": ctx.get("expected")},
        "literal_error": lambda: _("Unknown value %(value)s; one of: %(allowed)s.") % {
            "value": str(value)[:40], "allowed": ctx.get("expected")},
    }
    by_family = {"int": _("Give a whole number."), "bool": _("Answer yes or no (是/否)."),
                 "date": _("%(value)s is not a date (write it as 2024-03-31).") % {"value": str(value)[:20]},
                 "datetime": _("%(value)s is not a date (write it as 2024-03-31).") % {"value": str(value)[:20]},
                 "decimal": _("Give a number."), "float": _("Give a number."), "string": _("Give a text."),
                 "list": _("Give a list."), "dict": _("Give an object."), "model": _("Give an object.")}
    if kind in messages:
        return messages[kind]()
    return by_family.get(kind.split("_")[0], err.get("msg", _("Not valid.")))


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        """The token's user, or TokenRefused (a 401 saying why): a bad token is not passed over for the session."""
        request.user = ApiToken.objects.authenticate(token)
        return request.user


def install_error_handlers(api: NinjaAPI) -> None:
    """Every error as JSON `{"message", "errors"}` with its status: 422, 403, 404, 401; never a 500 page."""

    def error(request, status: int, message: str, errors: dict | None = None):
        return api.create_response(request, {"message": message, "errors": errors or {}}, status=status)

    def on_invalid(request, exc: ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        summary = "; ".join(f"{field}: {' '.join(msgs)}" if field != "__all__" else " ".join(msgs)
                            for field, msgs in errors.items())
        return error(request, 422, summary, errors)

    def on_schema_invalid(request, exc: NinjaValidationError):
        errors: dict[str, list[str]] = {}
        for err in exc.errors:
            loc = [str(part) for part in err.get("loc", []) if part not in ("body", "payload", "query", "path")]
            errors.setdefault(".".join(loc) or "__all__", []).append(schema_message(err))
        summary = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
        return error(request, 422, summary, errors)

    def on_http_error(request, exc: HttpError):
        if exc.status_code == 400:  # ninja could not read the body
            message = _("The body is not valid JSON.")
            return error(request, 422, message, {"body": [message]})
        return error(request, exc.status_code, str(exc))

    api.add_exception_handler(ValidationError, on_invalid)
    api.add_exception_handler(NinjaValidationError, on_schema_invalid)
    api.add_exception_handler(PermissionDenied, lambda request, exc: error(
        request, 403, str(exc) or _("You may not do this.")))
    api.add_exception_handler(Http404, lambda request, exc: error(request, 404, _("Not found.")))
    api.add_exception_handler(ObjectDoesNotExist, lambda request, exc: error(request, 404, _("Not found.")))
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(AuthenticationError, lambda request, exc: error(
        request, 401, _("Log in or send an API token (Authorization: Bearer …).")))
    api.add_exception_handler(TokenRefused, lambda request, exc: error(request, 401, str(exc)))


# Fields of the answers that show a value transformed, declared by type instead of a resolver in every schema.
Yuan = Annotated[str, BeforeValidator(fen_text)]  # exact yuan and fen as text: "12345.60", never a float
Scrubbed = Annotated[str, BeforeValidator(scrub)]  # free text without clear ID or phone numbers
MaskedPhone = Annotated[str, BeforeValidator(mask_phone)]
MaskedId = Annotated[str, BeforeValidator(mask_id)]


class BirthDated(Schema):
    """A person's birth date in an answer. It is the middle of the ID number: shown in full beside the mask, it would
    undo it, so only a user who may unmask gets it (each view logged, `core.privacy`); others get the year."""

    birth_date: date | None = Field(description="The full date to a user who may unmask ID numbers (each view written "
                                                "to the access log); null to others, who see birth_year")
    birth_year: int

    @staticmethod
    def resolve_birth_date(obj, context):
        return birth_date_for(context["request"], obj)

    @staticmethod
    def resolve_birth_year(obj):
        return obj.birth_date.year


# Whole numbers and date parts a client sends: bounded (see the module's docstring).
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]  # a row's id: a 64-bit integer of the database
Year = Annotated[int, Field(ge=1979, le=2100)]  # paired assistance began in 1979
Days = Annotated[int, Field(ge=0, le=3650)]  # a span of days, up to ten years
Quantity = Annotated[int, Field(ge=0, le=2**31 - 1)]  # people, jobs, openings: a 32-bit integer of the database
Small = Annotated[int, Field(ge=-32768, le=32767)]  # a small integer of the database


def _month_in_range(text: str) -> str:
    if not 1979 <= int(text[:4]) <= 2100:
        raise ValueError(_("A month from 1979-01 to 2100-12."))
    return text


Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM"),
                  AfterValidator(_month_in_range)]
