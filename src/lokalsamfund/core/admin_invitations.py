"""The back office's "Inviter": invite someone by e-mail, see the open invitations, revoke."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import permissions
from .errors import DomainError
from .invitations import invitation_create, invitation_revoke
from .models import Department, Invitation, Organisation, Role
from .permissions import Perm


def _inviting_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    user = request.user
    return permissions.organisations_for(user, Perm.MANAGE_ORGANISATION) | (
        permissions.organisations_for(user, Perm.INVITE_RESIDENTS)
    )


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none()
    )
    email = forms.EmailField(label=_("e-mail"), max_length=254)
    role = forms.ChoiceField(label=_("role"))
    departments = forms.ModelMultipleChoiceField(
        label=_("departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Required for residents and board members; empty: the whole organisation."),
    )
    home = forms.CharField(label=_("home"), max_length=200, required=False)

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = _inviting_organisations(request)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.fields["departments"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organisation__in=organisations
        ).select_related("organisation")
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Role.choices if value in permissions.INVITABLE_ROLES
        ]


class InvitationAdmin(admin.ModelAdmin):
    """Open invitations of the organisations where the user may invite; "add" is the
    invitation form (through ``invitation_create``), and the one action is revoking."""

    list_display = ("email", "role", "organisation", "invited_by", "created_at", "expires_at")
    list_filter = ("role",)
    search_fields = ("email",)
    actions = ("revoke",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Invitation]:
        now = timezone.now()
        qs = (
            Invitation.objects.filter(
                accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
            )
            .select_related("organisation", "invited_by")
            .prefetch_related("departments")
        )
        if request.user.is_superuser:
            return qs
        user = request.user
        staff_orgs = permissions.organisations_for(user, Perm.MANAGE_ORGANISATION)
        departments = permissions.departments_for(user, Perm.INVITE_RESIDENTS)
        return qs.filter(
            Q(organisation__in=staff_orgs)
            | Q(role__in=permissions.DEPARTMENT_ROLES, departments__in=departments)
        ).distinct()

    def _may(self, request: HttpRequest) -> bool:
        return permissions.has_any(request.user, Perm.MANAGE_ORGANISATION) or (
            permissions.has_any(request.user, Perm.INVITE_RESIDENTS)
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Django offers actions only to those with change or delete rights; revoking is ours.
        return {"revoke": self.get_action("revoke")} if self._may(request) else {}

    @admin.action(description=_("Revoke the chosen invitations"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        done = 0
        for invitation in queryset:
            try:
                invitation_revoke(actor=request.user, invitation=invitation)
            except DomainError as exc:
                self.message_user(request, f"{invitation.email}: {exc.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, gettext("Invitations revoked: %(n)d.") % {"n": done}, messages.SUCCESS
            )

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        form = InviteForm(request.POST or None, request=request)
        status = 200
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                invitation, _token = invitation_create(
                    actor=request.user,
                    organisation=data["organisation"],
                    email=data["email"],
                    role=data["role"],
                    departments=data["departments"],
                    home=data["home"],
                    base_url=request.build_absolute_uri("/"),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                self.message_user(
                    request,
                    gettext("The invitation was sent to %(email)s.") % {"email": invitation.email},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:core_invitation_changelist"))
        elif request.method == "POST":
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Invite"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/core/invitation/invite.html", context, status=status
        )
