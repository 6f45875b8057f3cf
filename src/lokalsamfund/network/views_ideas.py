"""Pages of the idea bank: search (activity type, kind of housing, text), an idea, a new idea."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import Perm
from lokalsamfund.decisions.catalogue import shipped_activities

from . import ideas, labels, shared_reach
from .models import DepartmentKind, Idea


def activity_choices() -> list[tuple[str, str]]:
    """The decision tool's shipped catalogue, in the page's language."""
    name = "name_da" if (get_language() or "da").startswith("da") else "name_en"
    return [(a["slug"], a[name]) for a in shipped_activities()]


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    type = forms.ChoiceField(label=gettext_lazy("Activity type"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of housing"),
        required=False,
        choices=[("", gettext_lazy("all")), *DepartmentKind.choices],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["type"].choices = [("", _("all")), *activity_choices()]  # type: ignore[attr-defined]


class IdeaForm(forms.ModelForm):
    class Meta:
        model = Idea
        fields = list(ideas.FIELDS)

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["activity_type"] = forms.ChoiceField(
            label=_("Activity type"),
            required=False,
            choices=[("", _("none")), *activity_choices()],
        )
        self.fields["department"] = forms.ModelChoiceField(
            label=_("Department it came from"),
            required=False,
            queryset=Department.objects.filter(organisation=organisation).order_by("code"),
            help_text=_(
                "Where your organisation shares its participation figures with the network, "
                "the idea shows this department's realised reach of the activity type."
            ),
        )


@login_required
def idea_list(request: HttpRequest) -> HttpResponse:
    if not ideas.may_read(request.user):
        raise PermissionDenied
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = ideas.ideas_for(
        request.user,
        activity_type=data.get("type") or "",
        department_kind=data.get("kind") or "",
        text=data.get("q") or "",
    )[:200]
    names = dict(activity_choices())
    return render(
        request,
        "network/ideas.html",
        {
            "form": form,
            "ideas": [(i, names.get(i.activity_type, "")) for i in found],
            "may_post": bool(permissions.organisations_for(request.user, Perm.NETWORK_IDEAS)),
        },
    )


@login_required
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not ideas.may_read(request.user):
        raise PermissionDenied
    idea = ideas.idea_for(request.user, pk)
    if idea is None:
        raise Http404
    realised = shared_reach.idea_reach(idea)
    return render(
        request,
        "network/idea.html",
        {
            "idea": idea,
            "activity": dict(activity_choices()).get(idea.activity_type, ""),
            "kind": idea.get_department_kind_display() if idea.department_kind else "",
            "realised": realised,
            "realised_changes": [
                labels.change_text(name, change)
                for name, change in (realised.changes.items() if realised else ())
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest) -> HttpResponse:
    organisations = list(permissions.organisations_for(request.user, Perm.NETWORK_IDEAS))
    if not organisations:
        raise PermissionDenied
    organisation = organisations[0]
    form = IdeaForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            idea = ideas.idea_create(
                actor=request.user,
                organisation=organisation,
                department=form.cleaned_data.get("department"),
                **{f: form.cleaned_data[f] for f in ideas.FIELDS},
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you: the idea is in the network's idea bank."))
            return HttpResponseRedirect(reverse("network:idea", args=[idea.pk]))
    return render(request, "network/idea_new.html", {"form": form, "organisation": organisation})
