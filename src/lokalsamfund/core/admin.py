"""The back office (Django admin), scoped: a user sees only their own organisations' data,
with rights from the one permission module, not from Django's model permissions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from . import audit, permissions
from .admin_invitations import InvitationAdmin
from .forms import RateLimitedAdminLoginForm
from .grants import free_text_grant_recorded
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


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's form with its one untranslated sentence (a literal in Django) translated."""

    usable_password_help_text = format_lazy(  # type: ignore[assignment]
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


# The back office's login counts failures with every other way in (core/ratelimit.py).
admin.site.login_form = RateLimitedAdminLoginForm


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
            if model is User:
                kwargs["queryset"] = permissions.users_visible_to(request.user)
            elif model is Organisation:
                kwargs["queryset"] = self._organisations(request)
            elif hasattr(model, "organisation"):
                kwargs["queryset"] = model._default_manager.filter(
                    organisation__in=self._organisations(request)
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser and db_field.related_model is User:
            kwargs["queryset"] = permissions.users_visible_to(request.user)
        elif not request.user.is_superuser and hasattr(db_field.related_model, "organisation"):
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
    # Only the organisations of the (scoped) list: Django's own filter lists every one.
    list_filter = (("organisation", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("code", "name", "address")


@admin.register(NeighbourHousing)
class NeighbourHousingAdmin(OrganisationScopedAdmin):
    list_display = ("name", "ownership_form", "department", "homes")
    list_filter = ("ownership_form",)


@admin.register(Association)
class AssociationAdmin(OrganisationScopedAdmin):
    list_display = ("name", "cvr", "email")
    search_fields = ("name", "cvr")


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose
        # Check boxes, each with its label, rather than Django's two-list filter (its icons
        # carry ARIA attributes that a <span> may not have: axe aria-prohibited-attr).
        widgets = {"departments": forms.CheckboxSelectMultiple}

    actor: Any = None  # the user of the request (MembershipAdmin.get_form)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role", "")
        try:
            Membership.check_departments(role, cleaned.get("departments") or [])
        except ValidationError as exc:
            self.add_error(None, exc)
        user = cleaned.get("user")
        if user is not None and not permissions.may_grant(self.actor, role, user.email):
            self.add_error(
                "role",
                _(
                    "You cannot give yourself a role that reads the survey's free text: "
                    "ask another administrator."
                ),
            )
        return cleaned


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    form = MembershipAdminForm
    list_display = ("user", "role", "organisation", "home")
    list_filter = ("role",)
    autocomplete_fields = ("user",)
    search_fields = ("user__email", "home")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]  # (a class made for this request)
        return form

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change or {"role", "user"} & set(form.changed_data):
            free_text_grant_recorded(actor=request.user, membership=form.instance)


class ActionFilter(admin.SimpleListFilter):
    """The actions by their Danish labels (not their codes)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return audit.action_choices()

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(action=value) if value else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(OrganisationScopedAdmin):
    perm = Perm.VIEW_AUDIT_LOG
    read_only = True
    list_display = ("at", "actor_label", "action_text", "object_type_text", "object_repr")
    list_filter = (ActionFilter,)
    search_fields = ("action", "object_repr", "actor_label")
    date_hierarchy = "at"
    fields = (
        "at",
        "organisation",
        "actor_label",
        "action_text",
        "object_type_text",
        "object_id",
        "object_repr",
        "details_text",
    )

    @admin.display(description=_("action"), ordering="action")
    def action_text(self, obj: AuditEntry) -> str:
        return audit.action_label(obj.action)

    @admin.display(description=_("object type"), ordering="object_type")
    def object_type_text(self, obj: AuditEntry) -> str:
        return audit.object_type_label(obj.object_type)

    @admin.display(description=_("details"))
    def details_text(self, obj: AuditEntry) -> str:
        return audit.details_text(obj.data)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return list(self.fields)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users: org admins see the users who have a role in their organisations."""

    change_password_form = PasswordChangeForm
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
        # Every lookup goes through here: the list and its search and filters, change and
        # password pages by id, and the autocomplete of other pages' user fields.
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=permissions.users_visible_to(request.user).values("pk"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.has_any(request.user, Perm.MANAGE_ORGANISATION)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.has_any(request.user, Perm.MANAGE_ORGANISATION)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New people come by invitation ("Inviter"), to an address the inviter names.
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        """Changing an account (its password, e-mail address, active flag) is for accounts
        whose every role lies in the administrator's organisations; others are shown only."""
        if isinstance(obj, User) and not permissions.may_manage_account(request.user, obj):
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


# django-tasks-db registers its queue rows in the admin, in English and with Django's own
# model permissions. Our jobs are shown by core.jobs (permission-checked, in Danish); the queue
# itself is for the platform's operators and `lokalsamfund jobs`, not the back office.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
