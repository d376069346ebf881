"""What the API (django-ninja, `bangfu/api.py`) shares: token authentication and JSON errors.

Authentication: `Authorization: Bearer <token>` (`bangfu create-token USER`, or the page of one's API tokens) or the
browser's session. Errors are JSON `{"message": …, "errors": {field: [messages]}}`: 401 without credentials or with a
token that is unknown, revoked or expired (the message says which), 403 for a forbidden action, 404 for an object that
does not exist or lies outside the caller's scope, 422 for bad input; never 500.
"""

from typing import Annotated

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import BeforeValidator

from bangfu.core.identity import mask_id, mask_phone, scrub
from bangfu.core.models import ApiToken, TokenRefused
from bangfu.core.money import fen_text


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
            errors.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", "invalid"))
        summary = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
        return error(request, 422, summary, errors)

    api.add_exception_handler(ValidationError, on_invalid)
    api.add_exception_handler(NinjaValidationError, on_schema_invalid)
    api.add_exception_handler(PermissionDenied, lambda request, exc: error(
        request, 403, str(exc) or _("You may not do this.")))
    api.add_exception_handler(Http404, lambda request, exc: error(request, 404, _("Not found.")))
    api.add_exception_handler(ObjectDoesNotExist, lambda request, exc: error(request, 404, _("Not found.")))
    api.add_exception_handler(AuthenticationError, lambda request, exc: error(
        request, 401, _("Log in or send an API token (Authorization: Bearer …).")))
    api.add_exception_handler(TokenRefused, lambda request, exc: error(request, 401, str(exc)))


# Fields of the answers that show a value transformed, declared by type instead of a resolver in every schema.
Yuan = Annotated[str, BeforeValidator(fen_text)]  # exact yuan and fen as text: "12345.60", never a float
Scrubbed = Annotated[str, BeforeValidator(scrub)]  # free text without clear ID or phone numbers
MaskedPhone = Annotated[str, BeforeValidator(mask_phone)]
MaskedId = Annotated[str, BeforeValidator(mask_id)]
