"""Back office for the instrument: an organisation's languages, texts, extra questions and
national benchmarks (scoped to the user's organisations). Responses and codes are not here:
they are reached only through the services' rules."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from lokalsamfund.core import permissions
from lokalsamfund.core.admin import OrganisationScopedAdmin
from lokalsamfund.core.permissions import Perm

from .models import (
    NationalBenchmark,
    SurveyItem,
    SurveyLanguage,
    SurveyOption,
    SurveySettings,
    SurveyText,
)


class _SurveyScoped(OrganisationScopedAdmin):
    perm = Perm.MANAGE_SURVEYS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Canonical rows (no organisation) are seeded from instrument.json and not edited here.
        return super().get_queryset(request).exclude(organisation=None)

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if "organisation" in form.base_fields:
            # An empty organisation would make a canonical row, shared by every organisation.
            form.base_fields["organisation"].required = True
        return form


@admin.register(SurveyLanguage)
class SurveyLanguageAdmin(_SurveyScoped):
    list_display = ("code", "name", "direction", "organisation")


@admin.register(SurveyText)
class SurveyTextAdmin(_SurveyScoped):
    list_display = ("language", "key", "text", "organisation")
    list_filter = ("language",)
    search_fields = ("key", "text")


class SurveyOptionInline(admin.StackedInline):
    """Stacked, not tabular: every input has its own label (a table's cells had none)."""

    model = SurveyOption
    extra = 2

    def _may(self, request: HttpRequest) -> bool:
        return permissions.has_any(request.user, Perm.MANAGE_SURVEYS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)


@admin.register(SurveyItem)
class SurveyItemAdmin(_SurveyScoped):
    """An organisation's extra question: one answer from its options (texts by key
    ``item.<code>`` and ``option.<code>.<value>`` under survey texts)."""

    list_display = ("code", "active", "organisation")
    fields = ("organisation", "code", "active")
    inlines = (SurveyOptionInline,)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.section, obj.kind, obj.optional = "extra", "single", True
        super().save_model(request, obj, form, change)


@admin.register(NationalBenchmark)
class NationalBenchmarkAdmin(_SurveyScoped):
    list_display = ("indicator", "breakdown", "cell", "year", "value", "source", "organisation")


@admin.register(SurveySettings)
class SurveySettingsAdmin(_SurveyScoped):
    list_display = ("organisation", "contact_name", "contact_phone", "contact_email")
