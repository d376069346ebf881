"""The API (django-ninja): `/api/v1/`, OpenAPI at `/api/v1/openapi.json`.

Authentication: `Authorization: Bearer <token>` (`bangfu create-token USER`) or the browser's session. Errors are JSON
`{"message": …, "errors": {field: [messages]}}`: 401 without credentials, 403 for a forbidden action, 404 for an
object that does not exist or lies outside the caller's scope, 422 for bad input; never 500.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from bangfu.core.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.objects.user_for(token)
        if user is not None:
            request.user = user
        return user


class ErrorOut(Schema):
    message: str
    errors: dict[str, list[str]] = {}


api = NinjaAPI(
    title="bangfu API",
    version="1",
    description="Paired assistance (对口帮扶 / 东西部协作): regions, organisations, pairings. See docs/api.md.",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
)


def _error(request, status: int, message: str, errors: dict | None = None):
    return api.create_response(request, {"message": message, "errors": errors or {}}, status=status)


@api.exception_handler(ValidationError)
def on_invalid(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    summary = "; ".join(f"{field}: {' '.join(msgs)}" if field != "__all__" else " ".join(msgs)
                        for field, msgs in errors.items())
    return _error(request, 422, summary, errors)


@api.exception_handler(NinjaValidationError)
def on_schema_invalid(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", []) if part not in ("body", "payload", "query", "path")]
        errors.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", "invalid"))
    summary = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
    return _error(request, 422, summary, errors)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return _error(request, 403, str(exc) or _("You may not do this."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(ObjectDoesNotExist)
def on_missing(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, _("Log in or send an API token (Authorization: Bearer …)."))


def register_routers():
    from bangfu.core.tasks_api import router as tasks_router
    from bangfu.funds.api import router as funds_router
    from bangfu.households.api import clues, households, members, monitoring_lines
    from bangfu.labor.api import router as labor_router
    from bangfu.pairing.api import router as pairing_router
    from bangfu.portal.api import router as notices_router
    from bangfu.projects.api import assets as assets_router
    from bangfu.projects.api import projects as projects_router
    from bangfu.regions.api import organisations, regions
    from bangfu.talent.api import router as talent_router

    api.add_router("/regions", regions)
    api.add_router("/organisations", organisations)
    api.add_router("/pairings", pairing_router)
    api.add_router("/households", households)
    api.add_router("/members", members)
    api.add_router("/monitoring-lines", monitoring_lines)
    api.add_router("/clues", clues)
    api.add_router("/tasks", tasks_router)
    api.add_router("/funds", funds_router)
    api.add_router("/projects", projects_router)
    api.add_router("/assets", assets_router)
    api.add_router("/notices", notices_router)

    api.add_router("/labor", labor_router)
    api.add_router("/talent", talent_router)


register_routers()
