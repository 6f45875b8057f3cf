"""Pages of the referrals (placeholder until the pages land)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path


def queue(request: HttpRequest) -> HttpResponse:
    raise Http404


urlpatterns: list[URLPattern | URLResolver] = [
    path("bekymring/koe/", queue, name="queue"),
]
