"""Back office for the instrument: an organisation's languages, texts, extra questions and
national benchmarks (scoped to the user's organisations). Responses and codes are not here:
they are reached only through the services' rules."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from lokalsamfund.core.admin import OrganisationScopedAdmin
from lokalsamfund.core.permissions import Perm

from .models import NationalBenchmark, SurveyItem, SurveyLanguage, SurveyOption, SurveyText


class _SurveyScoped(OrganisationScopedAdmin):
    perm = Perm.MANAGE_SURVEYS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Canonical rows (no organisation) are seeded from instrument.json and not edited here.
        return super().get_queryset(request).exclude(organisation=None)


@admin.register(SurveyLanguage)
class SurveyLanguageAdmin(_SurveyScoped):
    list_display = ("code", "name", "direction", "organisation")


@admin.register(SurveyText)
class SurveyTextAdmin(_SurveyScoped):
    list_display = ("language", "key", "text", "organisation")
    list_filter = ("language",)
    search_fields = ("key", "text")


class SurveyOptionInline(admin.TabularInline):
    model = SurveyOption
    extra = 2


@admin.register(SurveyItem)
class SurveyItemAdmin(_SurveyScoped):
    list_display = ("code", "kind", "active", "organisation")
    inlines = (SurveyOptionInline,)


@admin.register(NationalBenchmark)
class NationalBenchmarkAdmin(_SurveyScoped):
    list_display = ("indicator", "breakdown", "cell", "year", "value", "source", "organisation")
