"""The tool shed's services: the shed and its tools, loans, handovers, renewals, the queue and
consumables.

Every write locks the tool's row first (``select_for_update``; SQLite's IMMEDIATE
transactions serialise writers), so two loans of one tool at the same moment give one loan
and one friendly refusal; the partial unique constraint ``green_tool_lent_once`` holds it in
the database whatever the code does. Time: ``now`` is passed in (the clock's one seam); a
loan's last day is a local calendar date, so a loan period is counted in days, not hours, and
does not move with daylight saving.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import SYSTEM, Actor

from .. import rules
from ..models import (
    ACTIVE_HOLD,
    ACTIVE_LOAN,
    GreenGroup,
    Hold,
    HoldStatus,
    Loan,
    LoanStatus,
    Tool,
    ToolKind,
    ToolShed,
    Withdrawal,
)
from . import mail

MAX_LOAN_DAYS = 365


def day_text(day: date | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day else ""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def may_run(actor: Actor, group: GreenGroup) -> bool:
    """May ``actor`` run the group's shed (add tools, hand over, take back)? Its contacts and
    ``green.manage`` on one of its departments (``rules.may_manage``), or the system."""
    return actor is SYSTEM or (isinstance(actor, User) and rules.may_manage(actor, group))


def _require_run(actor: Actor, group: GreenGroup) -> None:
    if not may_run(actor, group):
        raise Forbidden(_("You may not run the tool shed of %(group)s.") % {"group": group})


def _require_member(actor: Actor, group: GreenGroup) -> User:
    if not isinstance(actor, User) or not rules.is_member(actor, group):
        raise Forbidden(_("Join %(group)s to borrow from its tool shed.") % {"group": group})
    return actor


def _log(actor: Actor, action: str, obj: Tool | Loan | Hold | ToolShed, **data: object) -> None:
    shed = obj if isinstance(obj, ToolShed) else (obj if isinstance(obj, Tool) else obj.tool).shed
    log_action(actor=actor, action=action, organisation=shed.group.organisation, obj=obj, data=data)


def _locked_tool(tool: Tool) -> Tool:
    return Tool.objects.select_for_update().select_related("shed__group").get(pk=tool.pk)


def due_date(lent_on: date, days: int) -> date:
    """The last day of a loan lent on ``lent_on`` for ``days`` days (calendar days)."""
    return lent_on + timedelta(days=days)


def is_overdue(loan: Loan, today: date) -> bool:
    return loan.status == LoanStatus.OUT and loan.due_on is not None and loan.due_on < today


def overdue_loans_of(user: User, today: date) -> list[Loan]:
    """The user's loans past their last day (any shed): they block new loans."""
    return list(
        Loan.objects.filter(borrower=user, status=LoanStatus.OUT, due_on__lt=today).select_related(
            "tool"
        )
    )


# --- the shed and its tools ---------------------------------------------------------------------


def shed_create(
    *,
    actor: Actor,
    group: GreenGroup,
    location: str = "",
    hold_hours: int = 48,
    max_renewals: int = 2,
) -> ToolShed:
    """Open the group's tool shed (one per group)."""
    _require_run(actor, group)
    if not 1 <= hold_hours <= 24 * 14:
        raise DomainError(_("A returned tool is kept for between 1 hour and 14 days."))
    try:
        with transaction.atomic():
            shed = ToolShed.objects.create(
                group=group, location=location, hold_hours=hold_hours, max_renewals=max_renewals
            )
            _log(actor, "green.shed_create", shed)
    except IntegrityError as exc:
        raise Conflict(_("%(group)s already has a tool shed.") % {"group": group}) from exc
    return shed


def tool_add(
    *,
    actor: Actor,
    shed: ToolShed,
    name: str,
    kind: str = ToolKind.TOOL,
    loan_days: int = 7,
    needs_handover: bool = False,
    condition: str = "",
    quantity: int = 0,
    unit: str = "",
) -> Tool:
    """Add a tool (lent for ``loan_days``) or a consumable (``quantity`` in the shed)."""
    _require_run(actor, shed.group)
    name = name.strip()
    if not name:
        raise DomainError(_("Give the tool a name."))
    if not 1 <= loan_days <= MAX_LOAN_DAYS:
        raise DomainError(_("The loan period must be between 1 and 365 days."))
    if quantity < 0:
        raise DomainError(_("The quantity cannot be negative."))
    try:
        with transaction.atomic():
            tool = Tool.objects.create(
                shed=shed,
                name=name,
                kind=kind,
                loan_days=loan_days,
                needs_handover=needs_handover and kind == ToolKind.TOOL,
                condition=condition,
                quantity=quantity if kind == ToolKind.CONSUMABLE else 0,
                unit=unit,
            )
            _log(actor, "green.tool_add", tool, kind=kind, loan_days=loan_days)
    except IntegrityError as exc:
        raise Conflict(_("The shed already has a tool called %(name)s.") % {"name": name}) from exc
    return tool


def tool_update(
    *,
    actor: Actor,
    tool: Tool,
    condition: str | None = None,
    add_quantity: int = 0,
    retired: bool | None = None,
) -> Tool:
    """Note the tool's condition, restock a consumable, or retire the tool (no new loans)."""
    _require_run(actor, tool.shed.group)
    with transaction.atomic():
        tool = _locked_tool(tool)
        if condition is not None:
            tool.condition = condition.strip()
        if add_quantity:
            if tool.kind != ToolKind.CONSUMABLE:
                raise DomainError(_("Only consumables have a quantity."))
            if tool.quantity + add_quantity < 0:
                raise DomainError(_("The quantity cannot be negative."))
            tool.quantity += add_quantity
        if retired is not None:
            tool.retired = retired
        tool.save(update_fields=["condition", "quantity", "retired"])
        _log(actor, "green.tool_update", tool, added=add_quantity, retired=tool.retired)
    return tool


# --- the queue ----------------------------------------------------------------------------------


def _active_loan(tool: Tool) -> Loan | None:
    return Loan.objects.filter(tool=tool, status__in=ACTIVE_LOAN).first()


def _promote_next(tool: Tool, now: datetime) -> Hold | None:
    """The tool is free: keep it for the first waiting in its queue and tell them."""
    hold = Hold.objects.filter(tool=tool, status=HoldStatus.WAITING).order_by("position").first()
    if hold is None:
        return None
    hold.status = HoldStatus.READY
    hold.ready_until = now + timedelta(hours=tool.shed.hold_hours)
    hold.save(update_fields=["status", "ready_until"])
    _log(SYSTEM, "green.hold_ready", hold)
    mail.hold_ready(hold)
    return hold


def _advance_queue(tool: Tool, now: datetime) -> Hold | None:
    """Expire a kept tool not collected in time and keep it for the next (the tool's row is
    locked). Returns the hold the tool is now kept for, if any."""
    ready = Hold.objects.filter(tool=tool, status=HoldStatus.READY).first()
    if ready is not None and ready.ready_until is not None and ready.ready_until <= now:
        ready.status = HoldStatus.EXPIRED
        ready.save(update_fields=["status"])
        _log(SYSTEM, "green.hold_expire", ready)
        ready = None
    if ready is None and _active_loan(tool) is None:
        ready = _promote_next(tool, now)
    return ready


def hold_join(*, actor: Actor, tool: Tool, now: datetime | None = None) -> Hold:
    """Join the queue of a tool that is lent (or kept for someone else)."""
    now = _now(now)
    user = _require_member(actor, tool.shed.group)
    with transaction.atomic():
        tool = _locked_tool(tool)
        if tool.kind != ToolKind.TOOL or tool.retired:
            raise DomainError(_("%(tool)s cannot be queued for.") % {"tool": tool})
        ready = _advance_queue(tool, now)
        loan = _active_loan(tool)
        if loan is None and ready is None:
            raise Conflict(_("%(tool)s is in the shed: borrow it now.") % {"tool": tool})
        if loan is not None and loan.borrower_id == user.pk:
            raise Conflict(_("You have %(tool)s already.") % {"tool": tool})
        if Hold.objects.filter(tool=tool, user=user, status__in=ACTIVE_HOLD).exists():
            raise Conflict(_("You are in the queue for %(tool)s already.") % {"tool": tool})
        last = Hold.objects.filter(tool=tool).aggregate(position=Max("position"))["position"]
        hold = Hold.objects.create(tool=tool, user=user, position=(last or 0) + 1, created_at=now)
        _log(actor, "green.hold_join", hold, position=hold.position)
    return hold


def hold_leave(*, actor: Actor, hold: Hold, now: datetime | None = None) -> Hold:
    """Leave the queue (the member, or who runs the shed); a kept tool goes to the next."""
    now = _now(now)
    own = isinstance(actor, User) and hold.user_id == actor.pk
    if not own and not may_run(actor, hold.tool.shed.group):
        raise Forbidden(_("This is not your place in the queue."))
    with transaction.atomic():
        tool = _locked_tool(hold.tool)
        hold = Hold.objects.get(pk=hold.pk)
        if hold.status not in ACTIVE_HOLD:
            raise Conflict(_("You are no longer in the queue."))
        was_ready = hold.status == HoldStatus.READY
        hold.status = HoldStatus.CANCELLED
        hold.save(update_fields=["status"])
        _log(actor, "green.hold_leave", hold)
        if was_ready and _active_loan(tool) is None:
            _promote_next(tool, now)
    return hold


# --- loans --------------------------------------------------------------------------------------


def _refuse_if_overdue(user: User, today: date) -> None:
    late = overdue_loans_of(user, today)
    if late:
        raise DomainError(
            _(
                "Return %(tool)s first: it was due back on %(due)s. "
                "No new loans while one is overdue."
            )
            % {"tool": late[0].tool.name, "due": day_text(late[0].due_on)}
        )


def _start(loan: Loan, now: datetime) -> None:
    loan.status = LoanStatus.OUT
    loan.lent_at = now
    loan.due_on = due_date(timezone.localdate(now), loan.tool.loan_days)


def loan_create(*, actor: Actor, tool: Tool, now: datetime | None = None) -> Loan:
    """Borrow ``tool``: a member of the group with no overdue loan, when the tool is in the
    shed and not kept for someone else in the queue. A tool that needs a handover waits for
    the caretaker (the loan and its period start at the handover)."""
    now = _now(now)
    user = _require_member(actor, tool.shed.group)
    try:
        with transaction.atomic():
            tool = _locked_tool(tool)
            if tool.kind != ToolKind.TOOL:
                raise DomainError(_("%(tool)s is taken, not lent.") % {"tool": tool})
            if tool.retired:
                raise DomainError(_("%(tool)s is no longer lent.") % {"tool": tool})
            _refuse_if_overdue(user, timezone.localdate(now))
            ready = _advance_queue(tool, now)
            current = _active_loan(tool)
            if current is not None:
                if current.borrower_id == user.pk:
                    raise Conflict(_("You have %(tool)s already.") % {"tool": tool})
                raise Conflict(_lent_text(tool, current))
            if ready is not None and ready.user_id != user.pk:
                raise Conflict(
                    _("%(tool)s is kept for the next in the queue until %(until)s.")
                    % {
                        "tool": tool,
                        "until": formats.date_format(
                            timezone.localtime(ready.ready_until), "DATETIME_FORMAT"
                        ),
                    }
                )
            Hold.objects.filter(tool=tool, user=user, status__in=ACTIVE_HOLD).update(
                status=HoldStatus.COLLECTED
            )
            loan = Loan(tool=tool, borrower=user, requested_at=now)
            if tool.needs_handover:
                loan.status = LoanStatus.AWAITING_HANDOVER
            else:
                _start(loan, now)
            loan.save()
            _log(actor, "green.loan_create", loan, status=loan.status)
    except IntegrityError as exc:
        # Another loan of the tool committed first (the constraint green_tool_lent_once).
        raise Conflict(_("%(tool)s has just been lent to someone else.") % {"tool": tool}) from exc
    return loan


def _lent_text(tool: Tool, loan: Loan) -> str:
    if loan.status == LoanStatus.AWAITING_HANDOVER:
        return _("%(tool)s is waiting to be handed over to someone else.") % {"tool": tool}
    return _("%(tool)s is lent until %(due)s; join the queue.") % {
        "tool": tool,
        "due": day_text(loan.due_on),
    }


def _locked_loan(loan: Loan) -> tuple[Tool, Loan]:
    tool = _locked_tool(loan.tool)
    return tool, Loan.objects.select_related("borrower").get(pk=loan.pk)


def loan_hand_over(*, actor: Actor, loan: Loan, now: datetime | None = None) -> Loan:
    """A caretaker (or whoever runs the shed) hands the tool over: the loan starts now."""
    now = _now(now)
    _require_run(actor, loan.tool.shed.group)
    with transaction.atomic():
        tool, loan = _locked_loan(loan)
        if loan.status != LoanStatus.AWAITING_HANDOVER:
            raise Conflict(_("This loan is not waiting for a handover."))
        _refuse_if_overdue(loan.borrower, timezone.localdate(now))
        loan.tool = tool
        _start(loan, now)
        loan.handed_over_by = actor if isinstance(actor, User) else None
        loan.save(update_fields=["status", "lent_at", "due_on", "handed_over_by"])
        _log(actor, "green.loan_hand_over", loan, due=str(loan.due_on))
    return loan


def loan_cancel(*, actor: Actor, loan: Loan, now: datetime | None = None) -> Loan:
    """Cancel a loan still waiting for its handover (the borrower or who runs the shed)."""
    now = _now(now)
    own = isinstance(actor, User) and loan.borrower_id == actor.pk
    if not own and not may_run(actor, loan.tool.shed.group):
        raise Forbidden(_("This is not your loan."))
    with transaction.atomic():
        tool, loan = _locked_loan(loan)
        if loan.status != LoanStatus.AWAITING_HANDOVER:
            raise Conflict(_("Only a loan waiting for its handover can be cancelled."))
        loan.status = LoanStatus.CANCELLED
        loan.save(update_fields=["status"])
        _log(actor, "green.loan_cancel", loan)
        _promote_next(tool, now)
    return loan


def loan_return(
    *, actor: Actor, loan: Loan, condition: str | None = None, now: datetime | None = None
) -> Loan:
    """The tool is back. The borrower returns an ordinary tool; a tool that needs a handover
    is taken back by a caretaker (or whoever runs the shed), who may note its condition. The
    first in the queue is told and the tool is kept for them."""
    now = _now(now)
    group = loan.tool.shed.group
    runs = may_run(actor, group)
    own = isinstance(actor, User) and loan.borrower_id == actor.pk
    if not runs and not own:
        raise Forbidden(_("This is not your loan."))
    if not runs and loan.tool.needs_handover:
        raise Forbidden(
            _("%(tool)s is taken back by a caretaker: bring it to them.") % {"tool": loan.tool}
        )
    with transaction.atomic():
        tool, loan = _locked_loan(loan)
        if loan.status != LoanStatus.OUT:
            raise Conflict(_("This loan is not out."))
        loan.status = LoanStatus.RETURNED
        loan.returned_at = now
        loan.taken_back_by = actor if runs and isinstance(actor, User) else None
        loan.save(update_fields=["status", "returned_at", "taken_back_by"])
        if condition is not None and runs:
            tool.condition = condition.strip()
            tool.save(update_fields=["condition"])
        _log(actor, "green.loan_return", loan, late=is_overdue_on(loan, now))
        _promote_next(tool, now)
    return loan


def is_overdue_on(loan: Loan, now: datetime) -> bool:
    return loan.due_on is not None and loan.due_on < timezone.localdate(now)


def loan_renew(*, actor: Actor, loan: Loan, now: datetime | None = None) -> Loan:
    """Renew a loan for another period (from its last day): the borrower, while it is not
    overdue, no one is waiting for the tool and the shed's renewals are not used up."""
    now = _now(now)
    if not isinstance(actor, User) or loan.borrower_id != actor.pk:
        raise Forbidden(_("This is not your loan."))
    with transaction.atomic():
        tool, loan = _locked_loan(loan)
        if loan.status != LoanStatus.OUT or loan.due_on is None:
            raise Conflict(_("This loan is not out."))
        if loan.due_on < timezone.localdate(now):
            raise DomainError(_("The loan is overdue: return the tool instead."))
        if Hold.objects.filter(tool=tool, status__in=ACTIVE_HOLD).exists():
            raise Conflict(
                _("Someone is waiting for %(tool)s: it cannot be renewed.") % {"tool": tool}
            )
        if loan.renewals >= tool.shed.max_renewals:
            raise Conflict(_("The loan has been renewed as often as the shed allows."))
        loan.due_on = due_date(loan.due_on, tool.loan_days)
        loan.renewals = F("renewals") + 1
        loan.save(update_fields=["due_on", "renewals"])
        loan.refresh_from_db()
        _log(actor, "green.loan_renew", loan, due=str(loan.due_on))
    return loan


# --- consumables --------------------------------------------------------------------------------


def consumable_take(
    *, actor: Actor, tool: Tool, quantity: int, now: datetime | None = None
) -> Withdrawal:
    """Take ``quantity`` of a consumable (seeds); never more than is in the shed."""
    now = _now(now)
    user = _require_member(actor, tool.shed.group)
    if tool.kind != ToolKind.CONSUMABLE:
        raise DomainError(_("%(tool)s is lent, not taken.") % {"tool": tool})
    if quantity < 1:
        raise DomainError(_("Take at least 1."))
    with transaction.atomic():
        taken = Tool.objects.filter(pk=tool.pk, quantity__gte=quantity).update(
            quantity=F("quantity") - quantity
        )
        if not taken:
            left = Tool.objects.get(pk=tool.pk).quantity
            raise Conflict(
                _("Only %(left)s %(unit)s of %(tool)s are left.")
                % {"left": left, "unit": tool.unit, "tool": tool}
            )
        withdrawal = Withdrawal.objects.create(
            tool=tool, user=user, quantity=quantity, taken_at=now
        )
        _log(actor, "green.consumable_take", tool, quantity=quantity)
    return withdrawal


# --- the cron-able run --------------------------------------------------------------------------


def reminders_run(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Idempotent upkeep for cron: tools kept too long go to the next in the queue, and each
    overdue loan's borrower is reminded once (``Loan.reminded_at``). Returns counts."""
    now = _now(now)
    today = timezone.localdate(now)
    counts = {"expired": 0, "reminded": 0}
    stale = Hold.objects.filter(status=HoldStatus.READY, ready_until__lte=now)
    for tool_id in sorted(set(stale.values_list("tool_id", flat=True))):
        if dry_run:
            counts["expired"] += 1
            continue
        with transaction.atomic():
            tool = _locked_tool(Tool.objects.get(pk=tool_id))
            before = Hold.objects.filter(tool=tool, status=HoldStatus.EXPIRED).count()
            _advance_queue(tool, now)
            counts["expired"] += (
                Hold.objects.filter(tool=tool, status=HoldStatus.EXPIRED).count() - before
            )
    due = Loan.objects.filter(status=LoanStatus.OUT, due_on__lt=today, reminded_at__isnull=True)
    for loan_id in list(due.order_by("due_on", "pk").values_list("pk", flat=True)):
        if dry_run:
            counts["reminded"] += 1
            continue
        with transaction.atomic():
            loan = (
                Loan.objects.select_for_update(of=("self",))
                .select_related("tool__shed__group__organisation", "borrower")
                .get(pk=loan_id)
            )
            if loan.reminded_at is not None or loan.status != LoanStatus.OUT:
                continue  # another run got there first, or it came back
            loan.reminded_at = now
            loan.save(update_fields=["reminded_at"])
            mail.overdue(loan)
            _log(
                SYSTEM,
                "green.loan_remind",
                loan,
                due=loan.due_on.isoformat() if loan.due_on else "",
            )
            counts["reminded"] += 1
    return counts
