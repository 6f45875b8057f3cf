"""Pages for whoever runs a green group (``rules.may_manage``) to plan its work: a new work
day (a coming date of one of the group's activities), tasks of a work day, a rota with its
turns, and the fallback hours. Everyone else gets 404, as on the other work pages. Every write
goes through ``workdays``; a refused value is shown once, by its form, and nothing changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lokalsamfund.activities.models import Occurrence, OccurrenceStatus
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.forms import DateInput
from lokalsamfund.core.models import User

from .. import rules, selectors, selectors_work, workdays
from ..models import GreenGroup, Rota
from .allocation import _user


def coming_dates(group: GreenGroup) -> QuerySet[Occurrence]:
    """The coming, not cancelled dates of the group's activities that are no work day yet."""
    return (
        Occurrence.objects.filter(
            activity__in=group.activities.all(),
            starts_at__gt=timezone.now(),
            green_work_day__isnull=True,
        )
        .exclude(status=OccurrenceStatus.CANCELLED)
        .select_related("activity")
        .order_by("starts_at", "pk")
    )


def people_of(group: GreenGroup) -> QuerySet[User]:
    """Who can lead a task: the group's caretaker contact and its members."""
    return (
        User.objects.filter(Q(green_memberships__group=group) | Q(pk=group.caretaker_contact_id))
        .distinct()
        .order_by("full_name", "email")
    )


def members_of(group: GreenGroup) -> QuerySet[User]:
    return User.objects.filter(green_memberships__group=group).order_by("full_name", "email")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class OccurrenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        when = formats.date_format(timezone.localtime(obj.starts_at), "l j. F Y H:i")
        return f"{obj.activity.title}, {when}"


class WorkDayForm(forms.Form):
    occurrence = OccurrenceChoiceField(
        label=gettext_lazy("Date of the activity"),
        queryset=Occurrence.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args: Any, group: GreenGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["occurrence"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = coming_dates(group)


class TaskForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Task"), max_length=200)
    hands = forms.IntegerField(
        label=gettext_lazy("Hands"),
        min_value=1,
        max_value=200,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    tools = forms.CharField(label=gettext_lazy("Tools"), max_length=300, required=False)
    leader = PersonChoiceField(
        label=gettext_lazy("Leader"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("(no leader)"),
    )
    materials = forms.CharField(
        label=gettext_lazy("Materials (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, group: GreenGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["leader"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = people_of(group)

    def clean_materials(self) -> list[str]:
        text = self.cleaned_data.get("materials") or ""
        names = [line.strip() for line in text.splitlines() if line.strip()]
        if any(len(name) > 200 for name in names):
            raise forms.ValidationError(_("A material's name is at most 200 characters."))
        return names


class RotaForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    first_week = forms.DateField(label=gettext_lazy("From week (a day in it)"), widget=DateInput())
    last_week = forms.DateField(label=gettext_lazy("To week (a day in it)"), widget=DateInput())
    members = PeopleChoiceField(
        label=gettext_lazy("Members who take turns (in order of name)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, group: GreenGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = members_of(group)


class TurnForm(forms.Form):
    week = forms.DateField(label=gettext_lazy("Week (a day in it)"), widget=DateInput())
    user = PersonChoiceField(label=gettext_lazy("Member"), queryset=User.objects.none())

    def __init__(self, *args: Any, group: GreenGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = members_of(group)


class FallbackForm(forms.Form):
    fallback_hours = forms.IntegerField(
        label=gettext_lazy("Unclaimed tasks fall back to the contact (hours before)"),
        min_value=1,
        max_value=24 * 30,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def manage_forms(group: GreenGroup, bound: dict[str, Any]) -> dict[str, Any]:
    """The forms of who runs the group on its work page (a bound one shown again)."""
    return {
        "work_day_form": bound.get("work_day_form") or WorkDayForm(group=group),
        "rota_form": bound.get("rota_form") or RotaForm(group=group),
        "fallback_form": bound.get("fallback_form")
        or FallbackForm(initial={"fallback_hours": workdays.fallback_hours(group)}),
    }


def turn_form_for(group: GreenGroup, rota: Rota, bound: dict[str, Any]) -> TurnForm:
    """The form to give a turn in ``rota`` (ids of its own: a page has one per rota)."""
    form = bound.get("turn_form")
    if isinstance(form, TurnForm) and bound.get("turn_rota") == rota.pk:
        return form
    return TurnForm(group=group, auto_id=f"id_rota{rota.pk}_%s")


def _managed_group(request: HttpRequest, pk: int) -> GreenGroup:
    group = selectors.visible_group(_user(request), pk)
    if group is None or not rules.may_manage(_user(request), group):
        raise Http404
    return group


def _refuse(form: forms.Form, exc: DomainError) -> None:
    """The service's refusal under the field it names (or the form's top), once."""
    field = (exc.details or {}).get("field")
    form.add_error(field if field in form.fields else None, exc.message)


def _show_group_work(request: HttpRequest, group: GreenGroup, **forms: Any) -> HttpResponse:
    from .work import group_work_context

    return render(
        request, "green/work/group_work.html", group_work_context(request, group, **forms)
    )


@login_required
@require_POST
def work_day_new(request: HttpRequest, pk: int) -> HttpResponse:
    group = _managed_group(request, pk)
    form = WorkDayForm(request.POST, group=group)
    if form.is_valid():
        try:
            day = workdays.work_day_create(
                actor=_user(request), group=group, occurrence=form.cleaned_data["occurrence"]
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The work day is planned; now add its tasks."))
            return redirect("green:work_day", pk=day.pk)
    return _show_group_work(request, group, work_day_form=form)


@login_required
@require_POST
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    from .work import work_day_context

    user = _user(request)
    day = selectors_work.visible_work_day(user, pk)
    if day is None or not rules.may_manage(user, day.group):
        raise Http404
    form = TaskForm(request.POST, group=day.group)
    if form.is_valid():
        try:
            task = workdays.task_create(actor=user, work_day=day, **form.cleaned_data)
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The task %(task)s is added.") % {"task": task.title})
            return redirect("green:work_day", pk=day.pk)
    return render(
        request, "green/work/work_day.html", work_day_context(request, day, task_form=form)
    )


@login_required
@require_POST
def rota_new(request: HttpRequest, pk: int) -> HttpResponse:
    group = _managed_group(request, pk)
    form = RotaForm(request.POST, group=group)
    if form.is_valid():
        try:
            workdays.rota_create(
                actor=_user(request),
                group=group,
                title=form.cleaned_data["title"],
                first_week=form.cleaned_data["first_week"],
                last_week=form.cleaned_data["last_week"],
                members=list(form.cleaned_data["members"]),
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The rota is created."))
            return redirect("green:group_work", pk=group.pk)
    return _show_group_work(request, group, rota_form=form)


@login_required
@require_POST
def turn_new(request: HttpRequest, pk: int) -> HttpResponse:
    rota = Rota.objects.filter(pk=pk).first()
    if rota is None:
        raise Http404
    group = _managed_group(request, rota.group_id)
    form = TurnForm(request.POST, group=group, auto_id=f"id_rota{rota.pk}_%s")
    if form.is_valid():
        try:
            workdays.turn_assign(actor=_user(request), rota=rota, **form.cleaned_data)
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The turn is given."))
            return redirect("green:group_work", pk=group.pk)
    return _show_group_work(request, group, turn_form=form, turn_rota=rota.pk)


@login_required
@require_POST
def fallback_set(request: HttpRequest, pk: int) -> HttpResponse:
    group = _managed_group(request, pk)
    form = FallbackForm(request.POST)
    if form.is_valid():
        try:
            workdays.fallback_hours_set(
                actor=_user(request), group=group, hours=form.cleaned_data["fallback_hours"]
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The fallback is saved."))
            return redirect("green:group_work", pk=group.pk)
    return _show_group_work(request, group, fallback_form=form)


urlpatterns = [
    path("groenne/<int:pk>/arbejde/ny-arbejdsdag/", work_day_new, name="work_day_new"),
    path("groenne/<int:pk>/arbejde/ny-vagtplan/", rota_new, name="rota_new"),
    path("groenne/<int:pk>/arbejde/frist/", fallback_set, name="fallback_set"),
    path("groenne/arbejdsdag/<int:pk>/ny-opgave/", task_new, name="task_new"),
    path("groenne/vagtplan/<int:pk>/ny-tur/", turn_new, name="turn_new"),
]
