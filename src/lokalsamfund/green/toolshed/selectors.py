"""What a user sees of a tool shed: the tools, what is lent and until when, the queue, their
own loans and places; the borrowers' names only for who runs the shed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch

from lokalsamfund.core.models import User

from ..models import (
    ACTIVE_HOLD,
    ACTIVE_LOAN,
    GreenGroup,
    Hold,
    HoldStatus,
    Loan,
    LoanStatus,
    Tool,
    ToolShed,
)


@dataclass(frozen=True)
class ToolRow:
    """One tool as a member sees it."""

    tool: Tool
    loan: Loan | None  # the active loan (lent or waiting for its handover)
    queue: int  # how many are in the queue (waiting or kept for)
    ready_for: Hold | None  # the tool is in the shed, kept for the first in the queue
    mine: Loan | None  # the viewer's active loan of it
    my_hold: Hold | None
    my_place: int | None  # the viewer's place in the queue (1 = next)
    overdue: bool

    @property
    def in_shed(self) -> bool:
        return self.loan is None and self.ready_for is None

    @property
    def kept_for_me(self) -> bool:
        return (
            self.ready_for is not None
            and self.my_hold is not None
            and (self.ready_for.pk == self.my_hold.pk)
        )


def shed_of(group: GreenGroup) -> ToolShed | None:
    return ToolShed.objects.filter(group=group).select_related("group").first()


def _tools(shed: ToolShed) -> list[Tool]:
    return list(
        shed.tools.filter(retired=False).prefetch_related(
            Prefetch(
                "loans",
                queryset=Loan.objects.filter(status__in=ACTIVE_LOAN).select_related("borrower"),
                to_attr="active_loans",
            ),
            Prefetch(
                "holds",
                queryset=Hold.objects.filter(status__in=ACTIVE_HOLD)
                .select_related("user")
                .order_by("position"),
                to_attr="active_holds",
            ),
        )
    )


def tool_rows(shed: ToolShed, user: User | AnonymousUser, today: date) -> list[ToolRow]:
    rows = []
    for tool in _tools(shed):
        loans: list[Loan] = getattr(tool, "active_loans", [])
        holds: list[Hold] = getattr(tool, "active_holds", [])
        loan = loans[0] if loans else None
        my_hold = next((h for h in holds if h.user_id == user.pk), None)
        rows.append(
            ToolRow(
                tool=tool,
                loan=loan,
                queue=len(holds),
                ready_for=next((h for h in holds if h.status == HoldStatus.READY), None),
                mine=loan if loan is not None and loan.borrower_id == user.pk else None,
                my_hold=my_hold,
                my_place=holds.index(my_hold) + 1 if my_hold is not None else None,
                overdue=bool(
                    loan and loan.status == LoanStatus.OUT and loan.due_on and loan.due_on < today
                ),
            )
        )
    return rows


def place_in_queue(hold: Hold) -> int | None:
    """The hold's place among the tool's active holds (1 = next), None if it left."""
    if hold.status not in ACTIVE_HOLD:
        return None
    return (
        Hold.objects.filter(
            tool_id=hold.tool_id, status__in=ACTIVE_HOLD, position__lt=hold.position
        ).count()
        + 1
    )


def my_loans(user: User, *, recent: int = 10) -> tuple[list[Loan], list[Loan]]:
    """The user's active loans (by last day), and their most recent returned ones."""
    base = Loan.objects.filter(borrower=user).select_related("tool__shed__group")
    active = list(base.filter(status__in=ACTIVE_LOAN).order_by("due_on", "requested_at"))
    done = list(base.filter(status=LoanStatus.RETURNED).order_by("-returned_at")[:recent])
    return active, done


def my_holds(user: User) -> list[tuple[Hold, int | None]]:
    holds = Hold.objects.filter(user=user, status__in=ACTIVE_HOLD).select_related(
        "tool__shed__group"
    )
    return [(h, place_in_queue(h)) for h in holds.order_by("created_at")]


def loans_for_running(shed: ToolShed) -> list[Loan]:
    """Active loans with the borrowers (for who runs the shed), handovers first."""
    return list(
        Loan.objects.filter(tool__shed=shed, status__in=ACTIVE_LOAN)
        .select_related("tool", "borrower")
        .order_by("status", "due_on", "requested_at")
    )


def loan_by_id(loan_id: int) -> Loan | None:
    return Loan.objects.select_related("tool__shed__group", "borrower").filter(pk=loan_id).first()


def hold_by_id(hold_id: int) -> Hold | None:
    return Hold.objects.select_related("tool__shed__group", "user").filter(pk=hold_id).first()


def tool_by_id(tool_id: int) -> Tool | None:
    return Tool.objects.select_related("shed__group").filter(pk=tool_id).first()
