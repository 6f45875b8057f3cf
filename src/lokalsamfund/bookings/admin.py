"""Back office for houses, policy profiles and letting agreements (MANAGE_FACILITIES), scoped
to the user's organisations. Bookings are changed through the booking pages (services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from lokalsamfund.core.admin import OrganisationScopedAdmin
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Association, User
from lokalsamfund.core.permissions import Perm

from . import services
from .models import (
    AssociationJoinRequest,
    Booking,
    Facility,
    FacilityCosts,
    FixedSlot,
    LettingAgreement,
    PolicyCategoryTerms,
    PolicyProfile,
    PolicyRule,
    Room,
)


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


class FixedSlotInline(admin.TabularInline):
    model = FixedSlot
    extra = 0


class CostsInline(admin.TabularInline):
    model = FacilityCosts
    extra = 0


@admin.register(Facility)
class FacilityAdmin(OrganisationScopedAdmin):
    perm = Perm.MANAGE_FACILITIES
    list_display = ("name", "department", "organisation", "is_active")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (RoomInline, FixedSlotInline, CostsInline)


class PolicyRuleInline(admin.TabularInline):
    model = PolicyRule
    extra = 0


class PolicyTermsInline(admin.TabularInline):
    model = PolicyCategoryTerms
    extra = 0


@admin.register(PolicyProfile)
class PolicyProfileAdmin(OrganisationScopedAdmin):
    perm = Perm.MANAGE_FACILITIES
    list_display = ("name", "organisation", "is_organisation_default", "reviewed_on")
    inlines = (PolicyRuleInline, PolicyTermsInline)


@admin.register(LettingAgreement)
class LettingAgreementAdmin(OrganisationScopedAdmin):
    perm = Perm.MANAGE_FACILITIES
    organisation_path = "facility__organisation"
    list_display = ("counterparty", "facility", "decision_date", "starts_on", "ends_on")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            organisations = self._organisations(request)
            if db_field.name == "facility":
                kwargs["queryset"] = Facility.objects.filter(organisation__in=organisations)
            elif db_field.name == "association":
                kwargs["queryset"] = Association.objects.filter(organisation__in=organisations)
            elif db_field.name == "person":  # the party: someone of the same organisations
                kwargs["queryset"] = User.objects.filter(
                    memberships__organisation__in=organisations
                ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Booking)
class BookingAdmin(OrganisationScopedAdmin):
    """Read-only: bookings change only through the booking service (rules, claims, audit)."""

    perm = Perm.APPROVE_BOOKINGS
    organisation_path = "facility__organisation"
    read_only = True
    list_display = ("title", "facility", "starts_at", "ends_at", "category", "use_type", "status")
    list_filter = ("status", "category", "use_type")
    date_hierarchy = "starts_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [f.name for f in Booking._meta.fields]


@admin.register(AssociationJoinRequest)
class AssociationJoinRequestAdmin(OrganisationScopedAdmin):
    """Read-only list of requests to join an association; the actions confirm or decline
    through the service (who decides, the membership, the e-mail and the audit entry)."""

    perm = Perm.APPROVE_BOOKINGS
    organisation_path = "association__organisation"
    read_only = True
    list_display = ("user", "association", "created_at", "outcome", "decided_at")
    list_filter = ("outcome",)
    list_select_related = ("user", "association")
    actions = ("confirm_selected", "decline_selected")

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [f.name for f in AssociationJoinRequest._meta.fields]

    def _decide_selected(self, request: HttpRequest, queryset: Any, decide: Any) -> None:
        done = 0
        for pk in queryset.values_list("pk", flat=True):
            try:
                decide(actor=request.user, pk=pk)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(n)d request decided.", "%(n)d requests decided.", done) % {"n": done},
            )

    @admin.action(description=gettext_lazy("Confirm the selected requests"))
    def confirm_selected(self, request: HttpRequest, queryset: Any) -> None:
        self._decide_selected(request, queryset, services.association_join_confirm)

    @admin.action(description=gettext_lazy("Decline the selected requests"))
    def decline_selected(self, request: HttpRequest, queryset: Any) -> None:
        self._decide_selected(request, queryset, services.association_join_decline)
