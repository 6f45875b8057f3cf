"""The back office (Django admin), scoped: a user sees only their own organisations' data,
with rights from the one permission module, not from Django's model permissions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import permissions
from .admin_invitations import InvitationAdmin
from .models import (
    ApiToken,
    Association,
    AuditEntry,
    Department,
    Invitation,
    Membership,
    NeighbourHousing,
    Organisation,
    User,
)
from .permissions import Perm


class OrganisationScopedAdmin(admin.ModelAdmin):
    """Base for every back-office model that belongs to an organisation.

    ``organisation_path`` is the lookup from the model to its organisation.
    """

    organisation_path = "organisation"
    perm: Perm = Perm.MANAGE_ORGANISATION
    read_only = False

    def _organisations(self, request: HttpRequest) -> QuerySet[Organisation]:
        return permissions.organisations_for(request.user, self.perm)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.organisation_path}__in": self._organisations(request)})

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.has_any(request.user, self.perm)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.has_any(request.user, self.perm)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return not self.read_only and permissions.has_any(request.user, self.perm)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not self.read_only and permissions.has_any(request.user, self.perm)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not self.read_only and permissions.has_any(request.user, self.perm)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            model = db_field.related_model
            if model is Organisation:
                kwargs["queryset"] = self._organisations(request)
            elif hasattr(model, "organisation"):
                kwargs["queryset"] = model._default_manager.filter(
                    organisation__in=self._organisations(request)
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser and hasattr(db_field.related_model, "organisation"):
            kwargs["queryset"] = db_field.related_model._default_manager.filter(
                organisation__in=self._organisations(request)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_path = "pk"
    list_display = ("name", "cvr", "slug")
    search_fields = ("name", "cvr")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        qs = Organisation.objects.all()
        return qs if request.user.is_superuser else qs.filter(pk__in=self._organisations(request))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser


@admin.register(Department)
class DepartmentAdmin(OrganisationScopedAdmin):
    list_display = ("code", "name", "organisation", "homes", "adult_residents")
    list_filter = ("organisation",)
    search_fields = ("code", "name", "address")


@admin.register(NeighbourHousing)
class NeighbourHousingAdmin(OrganisationScopedAdmin):
    list_display = ("name", "ownership_form", "department", "homes")
    list_filter = ("ownership_form",)


@admin.register(Association)
class AssociationAdmin(OrganisationScopedAdmin):
    list_display = ("name", "cvr", "email")
    search_fields = ("name", "cvr")


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    list_display = ("user", "role", "organisation", "home")
    list_filter = ("role",)
    filter_horizontal = ("departments",)
    autocomplete_fields = ("user",)
    search_fields = ("user__email", "home")


@admin.register(AuditEntry)
class AuditEntryAdmin(OrganisationScopedAdmin):
    perm = Perm.VIEW_AUDIT_LOG
    read_only = True
    list_display = ("at", "actor_label", "action", "object_type", "object_repr")
    list_filter = ("action",)
    search_fields = ("action", "object_repr", "actor_label")
    date_hierarchy = "at"

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [f.name for f in AuditEntry._meta.fields]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users: org admins see the users who have a role in their organisations."""

    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "email_verified")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "email_verified")}),
        (_("Access"), {"fields": ("is_active", "is_staff")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ("is_active",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        orgs = permissions.organisations_for(request.user, Perm.MANAGE_ORGANISATION)
        return qs.filter(memberships__organisation__in=orgs).distinct()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.has_any(request.user, Perm.MANAGE_ORGANISATION)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.has_any(request.user, Perm.MANAGE_ORGANISATION)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.has_any(request.user, Perm.MANAGE_ORGANISATION)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if isinstance(obj, User) and obj.is_superuser and not request.user.is_superuser:
            return False
        return permissions.has_any(request.user, Perm.MANAGE_ORGANISATION)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


admin.site.register(Invitation, InvitationAdmin)
