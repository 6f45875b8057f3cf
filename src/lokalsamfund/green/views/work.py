"""Pages of work days: a work day's tasks (sign up, leave), the group's rota and members'
hours, and a caretaker's week page (tasks, work days, materials, hours in a few taps). Phone
first; every write goes through ``workdays`` or ``driften``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lokalsamfund.activities.services import participation
from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.forms import DateInput
from lokalsamfund.core.models import Department
from lokalsamfund.core.permissions import Perm

from .. import driften, rules, selectors, selectors_work, workdays
from ..models import (
    DriftenHours,
    GreenGroup,
    Material,
    MemberHours,
    RotaTurn,
    WorkDay,
    WorkTask,
)
from .allocation import _user


class HoursForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Date"),
        # ISO, as a date input reads its value: a localised "10.06.2026" left it empty, so
        # today's date was not filled in and the form was refused in the browser.
        widget=DateInput(),
    )
    hours = forms.DecimalField(
        label=gettext_lazy("Hours"),
        min_value=Decimal("0.1"),
        max_value=Decimal(24),
        decimal_places=1,
        # Any tenth (the services keep tenths): with min 0.1 a step of 0.5 let the browser
        # refuse whole and half hours (0.1, 0.6, 1.1, ... were the only valid values).
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    what = forms.CharField(label=gettext_lazy("What"), max_length=300)


class DriftenHoursForm(HoursForm):
    department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        label=gettext_lazy("Department"), queryset=Department.objects.none()
    )
    field_order = ("department", "day", "hours", "what")

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = departments
        if departments.count() == 1:
            field.initial = departments.first()


@login_required
def work_day(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    day = selectors_work.visible_work_day(user, pk)
    if day is None:
        raise Http404
    return render(request, "green/work/work_day.html", work_day_context(request, day))


def work_day_context(request: HttpRequest, day: WorkDay, **forms: Any) -> dict[str, Any]:
    """What the work day's page shows; ``forms`` are bound forms shown again with errors."""
    from .work_manage import TaskForm

    user = _user(request)
    manages = rules.may_manage(user, day.group)
    return {
        "work_day": day,
        "group": day.group,
        "tasks": selectors_work.tasks_of(user, day),
        "is_member": rules.is_member(user, day.group),
        "manages": manages,
        # The activities domain's own rule: a group's resident contact is no organiser of it.
        "records_headcount": participation.may_record(user, day.occurrence),
        "task_form": forms.get("task_form") or (TaskForm(group=day.group) if manages else None),
    }


def _task_or_404(request: HttpRequest, pk: int) -> WorkTask:
    task = selectors_work.visible_task(request.user, pk)
    if task is None:
        raise Http404
    return task


@login_required
@require_POST
def task_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    try:
        workdays.task_sign_up(actor=_user(request), task=task)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You are signed up for %(task)s.") % {"task": task.title})
    return redirect("green:work_day", pk=task.work_day_id)


@login_required
@require_POST
def task_leave(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    try:
        workdays.task_leave(actor=_user(request), task=task)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You have left %(task)s.") % {"task": task.title})
    return redirect("green:work_day", pk=task.work_day_id)


@login_required
@require_http_methods(["GET", "POST"])
def group_work(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's work: work days, the rota (offer and take turns) and members' hours (log
    own; contacts confirm)."""
    user = _user(request)
    group = selectors.visible_group(user, pk)
    if group is None:
        raise Http404
    form = HoursForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST":
        try:
            _group_work_post(request, group, form)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if form.is_bound and request.POST.get("action") == "log" and not form.is_valid():
                pass
            else:
                return redirect("green:group_work", pk=group.pk)
    return render(
        request, "green/work/group_work.html", group_work_context(request, group, form=form)
    )


def group_work_context(request: HttpRequest, group: GreenGroup, **forms: Any) -> dict[str, Any]:
    """What the group's work page shows; ``forms`` are bound forms shown again with errors.
    Who runs the group also gets the forms to plan work days and rotas and set the fallback."""
    from .work_manage import manage_forms, turn_form_for

    user = _user(request)
    manages = rules.may_manage(user, group)
    return {
        "group": group,
        "work_days": selectors_work.work_days_of(group),
        "rota_rows": [
            (rota, turns, turn_form_for(group, rota, forms) if manages else None)
            for rota, turns in selectors_work.rotas_of(group)
        ],
        "is_member": rules.is_member(user, group),
        "own_hours": selectors_work.own_member_hours(user, group),
        "to_confirm": selectors_work.hours_to_confirm(user, group),
        "form": forms.get("form") or HoursForm(initial={"day": timezone.localdate()}),
        "manages": manages,
        **(manage_forms(group, forms) if manages else {}),
    }


def _group_work_post(request: HttpRequest, group: GreenGroup, form: HoursForm) -> None:
    user = _user(request)
    action = request.POST.get("action")
    if action == "log":
        if form.is_valid():
            workdays.member_hours_log(actor=user, group=group, **form.cleaned_data)
            messages.success(request, _("Your hours are logged; a contact confirms them."))
        return
    try:
        pk = int(request.POST.get("id", ""))
    except ValueError:
        raise Http404 from None
    if action == "confirm":
        row = MemberHours.objects.filter(pk=pk, group=group).first()
        if row is None:
            raise Http404
        workdays.member_hours_confirm(actor=user, hours=row)
        messages.success(request, _("The hours are confirmed."))
    elif action in {"offer", "take"}:
        turn = RotaTurn.objects.filter(pk=pk, rota__group=group).select_related("rota").first()
        if turn is None:
            raise Http404
        if action == "offer":
            workdays.turn_offer(actor=user, turn=turn)
            messages.success(request, _("Your turn is offered to the other members."))
        else:
            workdays.turn_take(actor=user, turn=turn)
            messages.success(request, _("The turn is yours now."))
    else:
        raise Http404


def _log_departments(request: HttpRequest) -> QuerySet[Department]:
    return permissions.departments_for(request.user, Perm.LOG_DRIFTEN_HOURS)


@login_required
@require_http_methods(["GET", "POST"])
def my_week(request: HttpRequest) -> HttpResponse:
    """A caretaker's week: green tasks, the work days that need them, materials to order and
    their hours on green work (record in a few taps; change or delete this week's)."""
    user = _user(request)
    departments = _log_departments(request)
    if not departments.exists():
        raise PermissionDenied
    today = timezone.localdate()
    form = DriftenHoursForm(
        request.POST if request.POST.get("action") == "record" else None,
        departments=departments,
        initial={"day": today},
    )
    if request.method == "POST":
        try:
            if _my_week_post(request, form, today):
                return redirect("green:my_week")
        except DomainError as exc:
            form.add_error(None, exc.message)
    week = selectors_work.caretaker_week(user)
    hours = driften.own_hours(user, start=today - timedelta(days=31), end=today)
    return render(
        request,
        "green/work/my_week.html",
        {
            "week": week,
            "form": form,
            "hours": hours,
            "editable": {
                h.pk
                for h in hours
                if timezone.localtime(h.created_at).date().isocalendar()[:2]
                == today.isocalendar()[:2]
            },
            "week_total": sum(
                (h.hours for h in hours if week.monday <= h.day <= week.sunday), Decimal(0)
            ),
        },
    )


def _my_week_post(request: HttpRequest, form: DriftenHoursForm, today: date) -> bool:
    user = _user(request)
    action = request.POST.get("action")
    if action == "record":
        if not form.is_valid():
            return False
        driften.hours_record(actor=user, **form.cleaned_data)
        messages.success(request, _("Your hours are recorded."))
        return True
    try:
        pk = int(request.POST.get("id", ""))
    except ValueError:
        raise Http404 from None
    if action == "delete":
        row = DriftenHours.objects.filter(pk=pk, caretaker=user).first()
        if row is None:
            raise Http404
        driften.hours_delete(actor=user, row=row, today=today)
        messages.success(request, _("The hours are deleted."))
        return True
    if action == "change":
        row = DriftenHours.objects.filter(pk=pk, caretaker=user).first()
        if row is None:
            raise Http404
        try:
            hours = Decimal(request.POST.get("hours", ""))
        except InvalidOperation:
            raise DomainError(
                _("Hours: '%(value)s' is not a number.") % {"value": request.POST.get("hours")}
            ) from None
        driften.hours_change(
            actor=user, row=row, day=row.day, hours=hours, what=row.what, today=today
        )
        messages.success(request, _("The hours are changed."))
        return True
    if action in {"ordered", "not_ordered"}:
        material = Material.objects.filter(pk=pk).select_related("task__work_day__group").first()
        if material is None or not rules.may_see(user, material.task.work_day.group):
            raise Http404
        workdays.material_tick(actor=user, material=material, ordered=action == "ordered")
        return True
    raise Http404


urlpatterns = [
    path("groenne/arbejdsdag/<int:pk>/", work_day, name="work_day"),
    path("groenne/opgave/<int:pk>/meld-til/", task_sign_up, name="task_sign_up"),
    path("groenne/opgave/<int:pk>/meld-fra/", task_leave, name="task_leave"),
    path("groenne/<int:pk>/arbejde/", group_work, name="group_work"),
    path("groenne/min-uge/", my_week, name="my_week"),
]
