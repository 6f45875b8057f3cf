"""Input the API refuses before any endpoint sees it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


class RejectNulCharactersMiddleware:
    """NUL characters cannot be stored in PostgreSQL text and are never meaningful input:
    refuse them with 400 (pages' forms already refuse them through Django's form fields)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and self._has_nul(request):
            return JsonResponse(
                {
                    "detail": _(
                        "The request contains a NUL character (\\u0000), which is not allowed."
                    )
                },
                status=400,
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query or "\x00" in request.path:
            return True
        if request.method in {"POST", "PUT", "PATCH"}:
            body = request.body
            return b"\x00" in body or b"\\u0000" in body
        return False
