"""Pages of the project groups and development days: the list of groups, a group's page
(members, meetings with the activities' sign-up, documents), joining and leaving, inviting,
documents (served to members only), and the development days with their programme."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.permissions import Perm

from . import events, groups
from .group_models import ProjectGroup
from .views_ideas import activity_choices


class GroupForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    aim = forms.CharField(label=gettext_lazy("Problem and aim"), widget=forms.Textarea)
    activity_types = forms.MultipleChoiceField(
        label=gettext_lazy("Activity types"), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_open = forms.BooleanField(
        label=gettext_lazy("Everyone in the network may join"), required=False, initial=True
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["activity_types"].choices = activity_choices()  # type: ignore[attr-defined]


class JoinForm(forms.Form):
    affiliation = forms.CharField(
        label=gettext_lazy("Your organisation or sector"), max_length=200, required=False
    )
    role_in_group = forms.CharField(
        label=gettext_lazy("Your role in the group"), max_length=100, required=False
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    affiliation = forms.CharField(label=gettext_lazy("Organisation or sector"), max_length=200)
    role_in_group = forms.CharField(
        label=gettext_lazy("Role in the group"), max_length=100, required=False
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    file = forms.FileField(label=gettext_lazy("File"))


def _require_takes_part(request: HttpRequest) -> None:
    if not groups.takes_part(request.user):
        raise PermissionDenied


def _group(request: HttpRequest, pk: int) -> ProjectGroup:
    _require_takes_part(request)
    group = groups.group_for(request.user, pk)
    if group is None:
        raise Http404
    return group


def _to_group(group: ProjectGroup) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("network:group", args=[group.pk]))


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    _require_takes_part(request)
    mine = set(groups.my_groups(request.user).values_list("pk", flat=True))
    every = list(groups.groups_for(request.user))
    return render(
        request,
        "network/groups/list.html",
        {
            "mine": [g for g in every if g.pk in mine],
            "others": [g for g in every if g.pk not in mine],
            "may_start": bool(permissions.organisations_for(request.user, Perm.NETWORK_ORGANISE)),
            "days": list(events.development_days_for(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    organisations = list(permissions.organisations_for(request.user, Perm.NETWORK_ORGANISE))
    if not organisations:
        raise PermissionDenied
    organisation = organisations[0]
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = groups.group_create(
                actor=request.user,
                host_organisation=organisation,
                title=form.cleaned_data["title"],
                aim=form.cleaned_data["aim"],
                activity_types=form.cleaned_data["activity_types"],
                is_open=form.cleaned_data["is_open"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The project group is started: invite its members."))
            return _to_group(group)
    return render(request, "network/groups/new.html", {"form": form, "organisation": organisation})


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    user = request.user
    inside = groups.may_see_inside(user, group)
    names = dict(activity_choices())
    context = {
        "group": group,
        "inside": inside,
        "member": groups.membership_of(user, group),
        "may_run": groups.may_run(user, group),
        "types": [names.get(t, t) for t in group.activity_types],
        "ideas": list(group.ideas.all()) if inside else [],
    }
    if inside:
        now = timezone.now()
        context.update(
            {
                "members": groups.members_of(user, group),
                "meetings": [
                    (event, events.coming_occurrences(event, now))
                    for event in events.meetings_of(user, group)
                ],
                "documents": [
                    (document, groups.may_delete_document(user, document))
                    for document in groups.documents_of(user, group)
                ],
                "document_form": DocumentForm(),
                "invite_form": InviteForm(),
                "max_mb": groups.MAX_DOCUMENT_BYTES // (1024 * 1024),
                "kinds": ", ".join(sorted(groups.DOCUMENT_TYPES)),
            }
        )
    else:
        context["join_form"] = JoinForm()
    return render(request, "network/groups/detail.html", context)


@login_required
@require_POST
def group_join(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    form = JoinForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        groups.group_join(
            actor=request.user,
            group=group,
            affiliation=data.get("affiliation", ""),
            role_in_group=data.get("role_in_group", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Welcome to the group."))
    return _to_group(group)


@login_required
@require_POST
def group_leave(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    try:
        groups.group_leave(actor=request.user, group=group)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _to_group(group)
    messages.success(request, _("You have left the group."))
    return HttpResponseRedirect(reverse("network:groups"))


@login_required
@require_POST
def group_invite(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if not groups.may_run(request.user, group):
        raise PermissionDenied
    form = InviteForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
        return _to_group(group)
    try:
        groups.group_invite(
            actor=request.user,
            group=group,
            email=form.cleaned_data["email"],
            affiliation=form.cleaned_data["affiliation"],
            role_in_group=form.cleaned_data["role_in_group"],
            base_url=request.build_absolute_uri("/"),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invited."))
    return _to_group(group)


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if not groups.may_see_inside(request.user, group):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("File: choose a file to add."))
        return _to_group(group)
    upload = form.cleaned_data["file"]
    if (upload.size or 0) > groups.MAX_DOCUMENT_BYTES:
        data = b"x" * (groups.MAX_DOCUMENT_BYTES + 1)  # refused by the service, unread
    else:
        data = upload.read()
    try:
        groups.document_add(
            actor=request.user,
            group=group,
            title=form.cleaned_data["title"],
            filename=upload.name or "",
            data=data,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The document is added."))
    return _to_group(group)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = groups.document_for(request.user, pk)
    if document is None:
        raise Http404
    response = HttpResponse(bytes(document.data), content_type=document.content_type)
    safe = "".join(c for c in document.filename if c.isalnum() or c in "._- ") or "dokument"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
