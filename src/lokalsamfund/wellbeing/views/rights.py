"""Pages of the wellbeing domain: rights (built by the rights and retention area)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
