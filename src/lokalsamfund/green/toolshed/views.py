"""Pages of the tool shed, phone first: the shed (what is in, what is lent and until when, the
queue), my loans, and the running page of the contacts and caretakers (handover, take back,
condition, add tools). Every write goes through ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import User

from .. import rules
from .. import selectors as group_selectors
from ..models import GreenGroup, LoanStatus, Tool, ToolKind, ToolShed
from . import selectors, services
from .forms import ConditionForm, ShedForm, TakeForm, ToolForm


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by login_required
    return user


def _group(request: HttpRequest, pk: int) -> GreenGroup:
    group = group_selectors.visible_group(request.user, pk)
    if group is None:
        raise Http404
    return group


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _tool_of(shed: ToolShed, tool_id: int | None) -> Tool:
    tool = shed.tools.select_related("shed__group").filter(pk=tool_id or 0).first()
    if tool is None:
        raise Http404
    return tool


@login_required
@require_http_methods(["GET", "POST"])
def shed(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    group = _group(request, pk)
    tool_shed = selectors.shed_of(group)
    runs = services.may_run(user, group)
    if tool_shed is None:
        if runs:
            return redirect("green:shed_running", pk=group.pk)
        raise Http404
    if request.method == "POST":
        tool = _tool_of(tool_shed, _int(request.POST.get("tool")))
        action = request.POST.get("action")
        try:
            if action == "lend":
                loan = services.loan_create(actor=user, tool=tool)
                if loan.status == LoanStatus.AWAITING_HANDOVER:
                    messages.success(
                        request,
                        _("%(tool)s is yours as soon as a caretaker hands it over.")
                        % {"tool": tool},
                    )
                else:
                    messages.success(
                        request,
                        _("You have borrowed %(tool)s until %(due)s.")
                        % {"tool": tool, "due": services.day_text(loan.due_on)},
                    )
            elif action == "hold":
                services.hold_join(actor=user, tool=tool)
                messages.success(request, _("You are in the queue for %(tool)s.") % {"tool": tool})
            elif action == "take":
                form = TakeForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("How many: give a whole number of at least 1."))
                services.consumable_take(
                    actor=user, tool=tool, quantity=form.cleaned_data["quantity"]
                )
                messages.success(request, _("Taken from %(tool)s.") % {"tool": tool})
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("green:shed", pk=group.pk)
    return render(
        request,
        "green/tools/shed.html",
        {
            "group": group,
            "shed": tool_shed,
            "rows": selectors.tool_rows(tool_shed, user, timezone.localdate()),
            "is_member": rules.is_member(user, group),
            "runs": runs,
            "overdue": services.overdue_loans_of(user, timezone.localdate()),
            "kinds": ToolKind,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_loans(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "unhold":
                hold = selectors.hold_by_id(_int(request.POST.get("hold")) or 0)
                if hold is None or hold.user_id != user.pk:
                    raise Http404
                services.hold_leave(actor=user, hold=hold)
                messages.success(request, _("You have left the queue."))
            else:
                loan = selectors.loan_by_id(_int(request.POST.get("loan")) or 0)
                if loan is None or loan.borrower_id != user.pk:
                    raise Http404
                if action == "renew":
                    loan = services.loan_renew(actor=user, loan=loan)
                    messages.success(
                        request,
                        _("Renewed until %(due)s.") % {"due": services.day_text(loan.due_on)},
                    )
                elif action == "return":
                    services.loan_return(actor=user, loan=loan)
                    messages.success(
                        request, _("Thank you: %(tool)s is back.") % {"tool": loan.tool}
                    )
                elif action == "cancel":
                    services.loan_cancel(actor=user, loan=loan)
                    messages.success(request, _("The loan is cancelled."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("green:my_loans")
    active, done = selectors.my_loans(user)
    return render(
        request,
        "green/tools/my_loans.html",
        {
            "active": active,
            "done": done,
            "holds": selectors.my_holds(user),
            "today": timezone.localdate(),
        },
    )


def _running_post(request: HttpRequest, user: User, group: GreenGroup, shed: ToolShed) -> None:
    action = request.POST.get("action")
    if action in ("hand_over", "take_back", "cancel"):
        loan = selectors.loan_by_id(_int(request.POST.get("loan")) or 0)
        if loan is None or loan.tool.shed_id != shed.pk:
            raise Http404
        if action == "hand_over":
            loan = services.loan_hand_over(actor=user, loan=loan)
            messages.success(
                request,
                _("Handed over: due back %(due)s.") % {"due": services.day_text(loan.due_on)},
            )
        elif action == "take_back":
            condition = ConditionForm(request.POST)
            services.loan_return(
                actor=user,
                loan=loan,
                condition=(condition.cleaned_data["condition"] or None)
                if condition.is_valid()
                else None,
            )
            messages.success(request, _("%(tool)s is back in the shed.") % {"tool": loan.tool})
        else:
            services.loan_cancel(actor=user, loan=loan)
            messages.success(request, _("The loan is cancelled."))
        return
    tool = _tool_of(shed, _int(request.POST.get("tool")))
    if action == "condition":
        form = ConditionForm(request.POST)
        if form.is_valid():
            services.tool_update(actor=user, tool=tool, condition=form.cleaned_data["condition"])
            messages.success(request, _("The condition of %(tool)s is noted.") % {"tool": tool})
    elif action == "restock":
        amount = TakeForm(request.POST)
        if not amount.is_valid():
            raise DomainError(_("How many: give a whole number of at least 1."))
        services.tool_update(actor=user, tool=tool, add_quantity=amount.cleaned_data["quantity"])
        messages.success(request, _("%(tool)s restocked.") % {"tool": tool})
    elif action == "retire":
        services.tool_update(actor=user, tool=tool, retired=True)
        messages.success(request, _("%(tool)s is no longer lent.") % {"tool": tool})


@login_required
@require_http_methods(["GET", "POST"])
def shed_running(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    group = _group(request, pk)
    if not services.may_run(user, group):
        raise Http404
    tool_shed = selectors.shed_of(group)
    action = request.POST.get("action") if request.method == "POST" else None
    shed_form = ShedForm(request.POST if action == "shed" else None)
    tool_form = ToolForm(request.POST if action == "tool" else None)
    if request.method == "POST":
        try:
            if action == "shed" and tool_shed is None:
                if shed_form.is_valid():
                    services.shed_create(actor=user, group=group, **shed_form.cleaned_data)
                    messages.success(request, _("The tool shed is open."))
                    return redirect("green:shed_running", pk=group.pk)
            elif action == "tool" and tool_shed is not None:
                if tool_form.is_valid():
                    tool = services.tool_add(actor=user, shed=tool_shed, **tool_form.cleaned_data)
                    messages.success(request, _("%(tool)s added.") % {"tool": tool})
                    return redirect("green:shed_running", pk=group.pk)
            elif tool_shed is not None:
                _running_post(request, user, group, tool_shed)
                return redirect("green:shed_running", pk=group.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("green:shed_running", pk=group.pk)
    return render(
        request,
        "green/tools/running.html",
        {
            "group": group,
            "shed": tool_shed,
            "shed_form": shed_form,
            "tool_form": tool_form,
            "loans": selectors.loans_for_running(tool_shed) if tool_shed else [],
            "rows": selectors.tool_rows(tool_shed, user, timezone.localdate()) if tool_shed else [],
            "today": timezone.localdate(),
            "statuses": LoanStatus,
            "kinds": ToolKind,
        },
    )
