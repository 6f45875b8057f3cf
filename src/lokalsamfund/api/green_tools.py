"""/api/v1 endpoints of the green groups' tool shed: tools, loans (lend, return, renew,
handover), the queue and the caller's own loans.

Thin: the group must be visible to the caller (404 otherwise, so another organisation cannot
tell that it exists), then the tool shed's services decide; domain errors become JSON
``{"detail": ...}`` with their status (400 a rule, e.g. an overdue loan; 403 not allowed; 409
lent, queued or kept for someone else).
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from lokalsamfund.core.models import User
from lokalsamfund.green import selectors as group_selectors
from lokalsamfund.green.models import Hold, Loan, Tool
from lokalsamfund.green.toolshed import selectors, services

router = Router(tags=["green"])


class ErrorOut(Schema):
    detail: str


class ToolOut(Schema):
    id: int
    name: str
    kind: str
    loan_days: int
    needs_handover: bool
    condition: str
    quantity: int
    unit: str
    status: str = Field(description="in_shed, kept (for the first in the queue), handover, out")
    due_on: date | None
    queue: int
    my_place: int | None


class LoanOut(Schema):
    id: int
    tool: int
    tool_name: str
    group: int
    status: str
    lent_at: datetime | None
    due_on: date | None
    renewals: int
    overdue: bool


class HoldOut(Schema):
    id: int
    tool: int
    status: str
    place: int | None
    ready_until: datetime | None


class ReturnIn(Schema):
    condition: str | None = Field(None, max_length=300)


class TakeIn(Schema):
    quantity: int = Field(ge=1, le=100000)


class TakenOut(Schema):
    tool: int
    quantity: int
    left: int


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by the bearer authentication
    return user


def _visible(request: HttpRequest, group_id: int) -> None:
    if group_selectors.visible_group(request.user, group_id) is None:
        raise Http404


def _tool(request: HttpRequest, tool_id: int) -> Tool:
    tool = selectors.tool_by_id(tool_id)
    if tool is None:
        raise Http404
    _visible(request, tool.shed.group_id)
    return tool


def _loan(request: HttpRequest, loan_id: int) -> Loan:
    """A loan the caller borrowed, or one of a shed the caller runs; 404 otherwise."""
    loan = selectors.loan_by_id(loan_id)
    if loan is None:
        raise Http404
    _visible(request, loan.tool.shed.group_id)
    if loan.borrower_id != request.user.pk and not services.may_run(
        _user(request), loan.tool.shed.group
    ):
        raise Http404
    return loan


def _loan_out(loan: Loan) -> LoanOut:
    today = timezone.localdate()
    return LoanOut(
        id=loan.pk,
        tool=loan.tool_id,
        tool_name=loan.tool.name,
        group=loan.tool.shed.group_id,
        status=loan.status,
        lent_at=timezone.localtime(loan.lent_at) if loan.lent_at else None,
        due_on=loan.due_on,
        renewals=loan.renewals,
        overdue=services.is_overdue(loan, today),
    )


def _hold_out(hold: Hold) -> HoldOut:
    return HoldOut(
        id=hold.pk,
        tool=hold.tool_id,
        status=hold.status,
        place=selectors.place_in_queue(hold),
        ready_until=timezone.localtime(hold.ready_until) if hold.ready_until else None,
    )


def _tool_status(row: selectors.ToolRow) -> str:
    if row.loan is not None:
        return str(row.loan.status)
    return "kept" if row.ready_for is not None else "in_shed"


@router.get(
    "/green/groups/{group_id}/tools",
    response={200: list[ToolOut], 400: ErrorOut, 404: ErrorOut},
    summary="The tools of a green group's shed: what is in, what is lent and until when",
)
def tool_list(request: HttpRequest, group_id: int) -> list[ToolOut]:
    group = group_selectors.visible_group(request.user, group_id)
    if group is None:
        raise Http404
    shed = selectors.shed_of(group)
    if shed is None:
        return []
    return [
        ToolOut(
            id=row.tool.pk,
            name=row.tool.name,
            kind=row.tool.kind,
            loan_days=row.tool.loan_days,
            needs_handover=row.tool.needs_handover,
            condition=row.tool.condition,
            quantity=row.tool.quantity,
            unit=row.tool.unit,
            status=_tool_status(row),
            due_on=row.loan.due_on if row.loan else None,
            queue=row.queue,
            my_place=row.my_place,
        )
        for row in selectors.tool_rows(shed, request.user, timezone.localdate())
    ]


@router.post(
    "/green/tools/{tool_id}/loans",
    response={201: LoanOut, **ERRORS},
    summary="Borrow a tool (a member with no overdue loan; handover tools wait for a caretaker)",
)
def loan_create(request: HttpRequest, tool_id: int) -> Status:
    loan = services.loan_create(actor=_user(request), tool=_tool(request, tool_id))
    return Status(201, _loan_out(loan))


@router.post(
    "/green/tools/{tool_id}/holds",
    response={201: HoldOut, **ERRORS},
    summary="Join the queue of a lent tool",
)
def hold_join(request: HttpRequest, tool_id: int) -> Status:
    hold = services.hold_join(actor=_user(request), tool=_tool(request, tool_id))
    return Status(201, _hold_out(hold))


@router.post(
    "/green/holds/{hold_id}/cancel",
    response={200: HoldOut, **ERRORS},
    summary="Leave a tool's queue",
)
def hold_leave(request: HttpRequest, hold_id: int) -> HoldOut:
    hold = selectors.hold_by_id(hold_id)
    if hold is None:
        raise Http404
    _visible(request, hold.tool.shed.group_id)
    if hold.user_id != request.user.pk and not services.may_run(
        _user(request), hold.tool.shed.group
    ):
        raise Http404
    return _hold_out(services.hold_leave(actor=_user(request), hold=hold))


@router.post(
    "/green/tools/{tool_id}/take",
    response={200: TakenOut, **ERRORS},
    summary="Take from a consumable (seeds)",
)
def consumable_take(request: HttpRequest, tool_id: int, payload: TakeIn) -> TakenOut:
    tool = _tool(request, tool_id)
    services.consumable_take(actor=_user(request), tool=tool, quantity=payload.quantity)
    tool.refresh_from_db(fields=["quantity"])
    return TakenOut(tool=tool.pk, quantity=payload.quantity, left=tool.quantity)


@router.post(
    "/green/loans/{loan_id}/return",
    response={200: LoanOut, **ERRORS},
    summary="Return a tool (the borrower; a caretaker takes back a handover tool)",
)
def loan_return(request: HttpRequest, loan_id: int, payload: ReturnIn) -> LoanOut:
    loan = services.loan_return(
        actor=_user(request), loan=_loan(request, loan_id), condition=payload.condition
    )
    return _loan_out(loan)


@router.post(
    "/green/loans/{loan_id}/renew",
    response={200: LoanOut, **ERRORS},
    summary="Renew a loan (not overdue, no one waiting)",
)
def loan_renew(request: HttpRequest, loan_id: int) -> LoanOut:
    return _loan_out(services.loan_renew(actor=_user(request), loan=_loan(request, loan_id)))


@router.post(
    "/green/loans/{loan_id}/handover",
    response={200: LoanOut, **ERRORS},
    summary="Hand a tool over (a caretaker or whoever runs the shed): the loan starts",
)
def loan_hand_over(request: HttpRequest, loan_id: int) -> LoanOut:
    return _loan_out(services.loan_hand_over(actor=_user(request), loan=_loan(request, loan_id)))


@router.get(
    "/green/loans/mine",
    response={200: list[LoanOut]},
    summary="The caller's active loans",
)
def loans_mine(request: HttpRequest) -> list[LoanOut]:
    active, _done = selectors.my_loans(_user(request))
    return [_loan_out(loan) for loan in active]


@router.get(
    "/green/holds/mine",
    response={200: list[HoldOut]},
    summary="The caller's places in tools' queues",
)
def holds_mine(request: HttpRequest) -> list[HoldOut]:
    return [_hold_out(hold) for hold, _place in selectors.my_holds(_user(request))]
