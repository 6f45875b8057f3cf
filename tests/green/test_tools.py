"""The tool shed's rules at fixed moments: lending, the queue and its order, no new loan while
one is overdue (also on a daylight-saving day and at a month's end), renewals, handovers,
consumables, the idempotent reminder run."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import AuditEntry, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green.models import (
    ACTIVE_HOLD,
    Hold,
    HoldStatus,
    Loan,
    LoanStatus,
    Tool,
    ToolShed,
)
from lokalsamfund.green.toolshed import selectors, services

from .tools_fixtures import *  # noqa: F403

CPH = ZoneInfo("Europe/Copenhagen")
# A Sunday in June: far from the daylight-saving days.
MOMENT = datetime(2026, 6, 14, 10, 0, tzinfo=CPH)

pytestmark = pytest.mark.scenario_moment


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=CPH)  # type: ignore[misc]


def test_lend_then_queue_then_return_keeps_it_for_the_first(
    barrow: Tool,
    member: User,
    members: list[User],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    loan = services.loan_create(actor=member, tool=barrow, now=MOMENT)
    assert loan.status == LoanStatus.OUT
    assert loan.due_on == date(2026, 6, 21)
    with pytest.raises(Conflict, match="21"):
        services.loan_create(actor=members[0], tool=barrow, now=MOMENT)
    with pytest.raises(Conflict):
        services.hold_join(actor=member, tool=barrow, now=MOMENT)  # the borrower
    first = services.hold_join(actor=members[0], tool=barrow, now=MOMENT)
    second = services.hold_join(actor=members[1], tool=barrow, now=MOMENT + timedelta(minutes=1))
    with pytest.raises(Conflict):
        services.hold_join(actor=members[0], tool=barrow, now=MOMENT)  # twice
    assert (selectors.place_in_queue(first), selectors.place_in_queue(second)) == (1, 2)

    with django_capture_on_commit_callbacks(execute=True):
        services.loan_return(actor=member, loan=loan, now=MOMENT + timedelta(days=1))
    first.refresh_from_db()
    assert first.status == HoldStatus.READY
    assert first.ready_until == MOMENT + timedelta(days=1, hours=24)
    assert [m.to for m in mailoutbox] == [[members[0].email]]
    assert "Trillebør" in mailoutbox[0].subject
    # Kept for the first: the second (and anyone else) may not take it.
    with pytest.raises(Conflict, match=r"kept|reserveret|holdes"):
        services.loan_create(actor=members[1], tool=barrow, now=MOMENT + timedelta(days=1))
    with pytest.raises(Conflict):
        services.loan_create(actor=members[2], tool=barrow, now=MOMENT + timedelta(days=1))
    taken = services.loan_create(actor=members[0], tool=barrow, now=MOMENT + timedelta(days=1))
    first.refresh_from_db()
    assert first.status == HoldStatus.COLLECTED
    assert taken.borrower == members[0]
    assert selectors.place_in_queue(Hold.objects.get(pk=second.pk)) == 1


def test_a_kept_tool_not_collected_goes_to_the_next(
    barrow: Tool,
    member: User,
    members: list[User],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    loan = services.loan_create(actor=member, tool=barrow, now=MOMENT)
    holds = [
        services.hold_join(actor=u, tool=barrow, now=MOMENT + timedelta(minutes=n))
        for n, u in enumerate(members[:3])
    ]
    back = MOMENT + timedelta(days=2)
    services.loan_return(actor=member, loan=loan, now=back)
    # One minute before the 24 hours are up nothing moves; at the hour the next is told.
    assert services.reminders_run(now=back + timedelta(hours=23, minutes=59))["expired"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.reminders_run(now=back + timedelta(hours=24))
    assert counts["expired"] == 1
    statuses = [Hold.objects.get(pk=h.pk).status for h in holds]
    assert statuses == [HoldStatus.EXPIRED, HoldStatus.READY, HoldStatus.WAITING]
    assert [m.to for m in mailoutbox] == [[members[1].email]]
    # Run again: idempotent.
    assert services.reminders_run(now=back + timedelta(hours=24))["expired"] == 0
    # Leaving the queue while the tool is kept passes it on to the third.
    services.hold_leave(actor=members[1], hold=holds[1], now=back + timedelta(hours=25))
    assert Hold.objects.get(pk=holds[2].pk).status == HoldStatus.READY
    # The expired first may queue again, at the bottom.
    again = services.hold_join(actor=members[0], tool=barrow, now=back + timedelta(hours=26))
    assert again.position > holds[2].position


def test_a_lend_after_the_keeping_time_passes_the_tool_on(
    barrow: Tool, member: User, members: list[User]
) -> None:
    """Without a cron run: the service itself expires a hold past its time."""
    loan = services.loan_create(actor=member, tool=barrow, now=MOMENT)
    hold = services.hold_join(actor=members[0], tool=barrow, now=MOMENT)
    services.loan_return(actor=member, loan=loan, now=MOMENT)
    late = MOMENT + timedelta(hours=25)
    taken = services.loan_create(actor=members[1], tool=barrow, now=late)
    assert taken.borrower == members[1]
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.EXPIRED


@pytest.mark.parametrize(
    ("lent", "days", "due", "last_moment", "first_overdue"),
    [
        # Due on the spring daylight-saving day (29 March 2026 has 23 hours).
        (at(2026, 3, 22, 10), 7, date(2026, 3, 29), at(2026, 3, 29, 23, 59), at(2026, 3, 30, 0, 1)),
        # Due on the autumn change (25 October 2026 has 25 hours).
        (at(2026, 10, 18, 22), 7, date(2026, 10, 25), at(2026, 10, 25, 23, 59), at(2026, 10, 26)),
        # Due at a month's end, and across February.
        (at(2026, 1, 24, 12), 7, date(2026, 1, 31), at(2026, 1, 31, 23, 59), at(2026, 2, 1, 0, 0)),
        (at(2028, 1, 31, 9), 29, date(2028, 2, 29), at(2028, 2, 29, 23, 59), at(2028, 3, 1)),
    ],
)
def test_overdue_from_the_day_after_the_last_day_in_local_time(
    barrow: Tool,
    trimmer: Tool,
    member: User,
    lent: datetime,
    days: int,
    due: date,
    last_moment: datetime,
    first_overdue: datetime,
) -> None:
    Tool.objects.filter(pk=barrow.pk).update(loan_days=days)
    barrow.refresh_from_db()
    with time_machine.travel(lent, tick=False):
        loan = services.loan_create(actor=member, tool=barrow, now=lent)
    assert loan.due_on == due
    with time_machine.travel(last_moment, tick=False):
        assert services.overdue_loans_of(member, last_moment.date()) == []
        assert services.reminders_run(now=last_moment)["reminded"] == 0
        # Still on time: another loan is allowed (and given back).
        other = services.loan_create(actor=member, tool=trimmer, now=last_moment)
        services.loan_cancel(actor=member, loan=other, now=last_moment)
    with time_machine.travel(first_overdue, tick=False):
        with pytest.raises(DomainError, match="Trillebør"):
            services.loan_create(actor=member, tool=trimmer, now=first_overdue)
        with pytest.raises(DomainError):
            services.loan_renew(actor=member, loan=loan, now=first_overdue)
        assert services.reminders_run(now=first_overdue)["reminded"] == 1
        assert services.reminders_run(now=first_overdue)["reminded"] == 0  # once per loan
        services.loan_return(actor=member, loan=loan, now=first_overdue)
        # Back: new loans again.
        assert services.loan_create(actor=member, tool=trimmer, now=first_overdue).pk


def test_overdue_reminder_mail_and_command(
    barrow: Tool,
    member: User,
    mailoutbox: list[Any],
    clock: time_machine.Coordinates,
    django_capture_on_commit_callbacks: Any,
) -> None:
    clock.move_to(at(2026, 6, 1, 9))
    services.loan_create(actor=member, tool=barrow, now=at(2026, 6, 1, 9))
    clock.move_to(at(2026, 6, 9, 7))
    out = StringIO()
    call_command("green", "remind-loans", "--dry-run", stdout=out)
    assert "1 overdue reminder(s)" in out.getvalue()
    assert mailoutbox == []
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("green", "remind-loans", stdout=out)
    assert "1 overdue reminder(s)" in out.getvalue()
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "Trillebør" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("green", "remind-loans", stdout=StringIO())
    assert len(mailoutbox) == 1


def test_renewals(barrow: Tool, member: User, members: list[User]) -> None:
    loan = services.loan_create(actor=member, tool=barrow, now=MOMENT)
    with pytest.raises(Forbidden):
        services.loan_renew(actor=members[0], loan=loan, now=MOMENT)
    loan = services.loan_renew(actor=member, loan=loan, now=MOMENT)
    assert (loan.due_on, loan.renewals) == (date(2026, 6, 28), 1)
    loan = services.loan_renew(actor=member, loan=loan, now=MOMENT)
    assert loan.due_on == date(2026, 7, 5)
    with pytest.raises(Conflict):  # the shed allows 2
        services.loan_renew(actor=member, loan=loan, now=MOMENT)
    Loan.objects.filter(pk=loan.pk).update(renewals=0)
    services.hold_join(actor=members[0], tool=barrow, now=MOMENT)
    with pytest.raises(Conflict, match=r"waiting|venter"):
        services.loan_renew(actor=member, loan=loan, now=MOMENT)


def test_handover_tool(
    trimmer: Tool,
    member: User,
    members: list[User],
    caretaker_contact: User,
    personas: dict[str, User],
) -> None:
    loan = services.loan_create(actor=member, tool=trimmer, now=MOMENT)
    assert (loan.status, loan.due_on) == (LoanStatus.AWAITING_HANDOVER, None)
    with pytest.raises(Conflict):  # awaiting its handover: taken
        services.loan_create(actor=members[0], tool=trimmer, now=MOMENT)
    with pytest.raises(Forbidden):  # the borrower does not hand over to themself
        services.loan_hand_over(actor=member, loan=loan, now=MOMENT)
    with pytest.raises(Forbidden):  # another organisation
        services.loan_hand_over(actor=personas["outsider"], loan=loan, now=MOMENT)
    handed = MOMENT + timedelta(days=1, hours=3)
    loan = services.loan_hand_over(actor=caretaker_contact, loan=loan, now=handed)
    # The period starts at the handover.
    assert (loan.status, loan.lent_at, loan.due_on) == (LoanStatus.OUT, handed, date(2026, 6, 17))
    assert loan.handed_over_by == caretaker_contact
    with pytest.raises(Forbidden, match=r"caretaker|ejendomsfunktionær"):
        services.loan_return(actor=member, loan=loan, now=handed)
    services.loan_return(actor=caretaker_contact, loan=loan, condition="Kniven er sløv", now=handed)
    trimmer.refresh_from_db()
    assert trimmer.condition == "Kniven er sløv"
    loan.refresh_from_db()
    assert (loan.status, loan.taken_back_by) == (LoanStatus.RETURNED, caretaker_contact)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"green.loan_create", "green.loan_hand_over", "green.loan_return"} <= actions


def test_who_may_borrow_and_run(
    barrow: Tool, shed: ToolShed, member: User, personas: dict[str, User], caretaker_contact: User
) -> None:
    for name in ("resident", "neighbour", "outsider", "no_role", "coordinator"):
        with pytest.raises(Forbidden):  # not members of the garden
            services.loan_create(actor=personas[name], tool=barrow, now=MOMENT)
    with pytest.raises(Forbidden):
        services.tool_add(actor=member, shed=shed, name="Rive")
    with pytest.raises(Forbidden):
        services.tool_add(actor=personas["outsider"], shed=shed, name="Rive")
    for runner in (caretaker_contact, personas["coordinator"], personas["caretaker"]):
        assert services.tool_add(actor=runner, shed=shed, name=f"Rive {runner.pk}").pk
    with pytest.raises(Conflict):
        services.tool_add(actor=SYSTEM, shed=shed, name="Trillebør")
    with pytest.raises(DomainError):
        services.tool_add(actor=SYSTEM, shed=shed, name="Skovl", loan_days=0)


def test_consumables(seeds: Tool, barrow: Tool, member: User, personas: dict[str, User]) -> None:
    services.consumable_take(actor=member, tool=seeds, quantity=4, now=MOMENT)
    seeds.refresh_from_db()
    assert seeds.quantity == 6
    with pytest.raises(Conflict, match="6"):
        services.consumable_take(actor=member, tool=seeds, quantity=7, now=MOMENT)
    with pytest.raises(DomainError):
        services.consumable_take(actor=member, tool=seeds, quantity=0, now=MOMENT)
    with pytest.raises(DomainError):
        services.consumable_take(actor=member, tool=barrow, quantity=1, now=MOMENT)
    with pytest.raises(DomainError):
        services.loan_create(actor=member, tool=seeds, now=MOMENT)
    with pytest.raises(Forbidden):
        services.consumable_take(actor=personas["resident"], tool=seeds, quantity=1, now=MOMENT)
    services.tool_update(actor=SYSTEM, tool=seeds, add_quantity=10)
    seeds.refresh_from_db()
    assert seeds.quantity == 16


# --- the queue's order as a property ------------------------------------------------------------

OPS = st.lists(
    st.tuples(
        st.sampled_from(["lend", "hold", "hold", "hold", "leave", "return", "return", "wait"]),
        st.integers(0, 4),
    ),
    min_size=4,
    max_size=25,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=OPS)
def test_the_queue_is_first_come_first_served(
    ops: list[tuple[str, int]], shed: ToolShed, member: User, members: list[User]
) -> None:
    people = [member, *members]
    tool = services.tool_add(
        actor=SYSTEM, shed=shed, name=f"Rive {Tool.objects.count()}", loan_days=3
    )
    now = MOMENT
    for op, who in ops:
        user = people[who]
        now += timedelta(hours=5)
        waiting_before = list(
            Hold.objects.filter(tool=tool, status=HoldStatus.WAITING)
            .order_by("position")
            .values_list("user_id", flat=True)
        )
        try:
            if op == "lend":
                services.loan_create(actor=user, tool=tool, now=now)
            elif op == "hold":
                services.hold_join(actor=user, tool=tool, now=now)
            elif op == "leave":
                hold = Hold.objects.filter(tool=tool, user=user, status__in=ACTIVE_HOLD).first()
                if hold:
                    services.hold_leave(actor=user, hold=hold, now=now)
            elif op == "return":
                loan = Loan.objects.filter(tool=tool, status=LoanStatus.OUT).first()
                if loan:
                    services.loan_return(actor=loan.borrower, loan=loan, now=now)
            else:
                now += timedelta(hours=24)
                services.reminders_run(now=now)
        except (Conflict, DomainError):
            pass
        active = Loan.objects.filter(tool=tool, status__in=[LoanStatus.OUT]).count()
        ready = list(Hold.objects.filter(tool=tool, status=HoldStatus.READY))
        assert active <= 1
        assert len(ready) <= 1
        if ready:
            # Only when the tool is in the shed, and only for who waited longest.
            assert active == 0
            newly = ready[0].user_id
            if newly in waiting_before:
                assert newly == waiting_before[0]
        if active == 0 and not ready:
            # A free tool with no one kept for: the queue is empty.
            assert not Hold.objects.filter(tool=tool, status=HoldStatus.WAITING).exists()
        positions = list(
            Hold.objects.filter(tool=tool).order_by("position").values_list("position", flat=True)
        )
        assert positions == sorted(set(positions))
