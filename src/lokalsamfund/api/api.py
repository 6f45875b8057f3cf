"""The JSON API under /api/v1/. Thin: every endpoint calls a domain service or selector and the
one permission module; errors are JSON with a ``detail`` message, never an HTML page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lokalsamfund.core.errors import DomainError

from . import (
    activities,
    activity_signups,
    bookings,
    core,
    decisions,
    green_work,
    network,
    network_groups,
    participation,
    referrals,
    surveys,
)
from .auth import BearerToken

UNAUTHORISED = {
    "description": "No or invalid token",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}


class LokalsamfundAPI(NinjaAPI):
    """Documents the 401 that every endpoint gives without a valid bearer token."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if operation.get("security"):
                    operation.setdefault("responses", {}).setdefault("401", UNAUTHORISED)
        return schema


api = LokalsamfundAPI(
    title="lokalsamfund API",
    version="1",
    description=(
        "JSON API of lokalsamfund. Authenticate with `Authorization: Bearer <token>`; "
        "create a token with `lokalsamfund token create --user EMAIL`. Times are ISO 8601 "
        "with offset."
    ),
    auth=BearerToken(),
    urls_namespace="api",
)


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors:
        location = ".".join(str(p) for p in error.get("loc", []) if p not in {"body", "query"})
        parts.append(f"{location}: {error.get('msg', 'invalid')}" if location else error["msg"])
    return "; ".join(parts) or "Invalid input."


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": _validation_message(exc), "errors": exc.errors}, status=400
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, **exc.details}, status=exc.status_code
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Permission denied."}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "Authentication required: send 'Authorization: Bearer <token>'."},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


api.add_router("/", core.router)
api.add_router("/", surveys.router)
api.add_router("/", bookings.router)
api.add_router("/", decisions.router)
# Before the activities router: its "/activities/{activity_id}" would take their fixed paths
# ("/activities/participation").
api.add_router("/", activity_signups.router)
api.add_router("/", participation.router)
api.add_router("/", activities.router)
api.add_router("/", referrals.router)
api.add_router("/", network.router)
api.add_router("/", "lokalsamfund.api.green.router")
api.add_router("/", "lokalsamfund.api.green_tools.router")
api.add_router("/", network_groups.router)
api.add_router("/", green_work.router)
