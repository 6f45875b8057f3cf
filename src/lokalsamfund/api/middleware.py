"""Input refused before any view or endpoint sees it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


class RejectNulCharactersMiddleware:
    """NUL characters cannot be stored in PostgreSQL text, and a query that compares a column
    with one fails there (a 500); they are never meaningful input: refuse them with 400.

    Checked for every request: the path (e.g. an open link's or a feed's key), the query
    string and the form fields of a POST (not uploaded files: the table reader refuses NUL
    in a cell); for the API, the whole body. Pages' forms refuse NUL through Django's form
    fields too, but not every page reads its input through a form (the survey's steps)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            message = _("The request contains a NUL character (\\u0000), which is not allowed.")
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query or "\x00" in request.path:
            return True
        if request.method not in {"POST", "PUT", "PATCH"}:
            return False
        if request.path.startswith(API_PREFIX):
            body = request.body
            return b"\x00" in body or b"\\u0000" in body
        if request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            return any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in request.POST.lists()
            )
        return False
