"""Every persona against every page of the tool shed: the shed, my loans, running the shed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lokalsamfund.core.models import User
from lokalsamfund.green.models import GreenGroup, Hold, Loan, LoanStatus, Tool, ToolShed
from lokalsamfund.green.toolshed import services

from .tools_fixtures import *  # noqa: F403

ClientFor = Callable[[User | None], Client]


@pytest.fixture
def cast(
    personas: dict[str, User], member: User, caretaker_contact: User
) -> dict[str, User | None]:
    return {
        "member": member,
        "resident": personas["resident"],  # of the department, not a member
        "neighbour": personas["neighbour"],
        "association": personas["association"],
        "caretaker_contact": caretaker_contact,
        "caretaker": personas["caretaker"],  # of the department
        "coordinator": personas["coordinator"],
        "admin": personas["admin"],
        "outsider": personas["outsider"],
        "no_role": personas["no_role"],
        "anonymous": None,
    }


# GET status codes: the shed, running it, my loans (302 for anonymous: to the login).
EXPECTED = {
    "member": (200, 404, 200),
    "resident": (200, 404, 200),
    "neighbour": (404, 404, 200),
    "association": (404, 404, 200),
    "caretaker_contact": (200, 200, 200),
    "caretaker": (200, 200, 200),
    "coordinator": (200, 200, 200),
    "admin": (200, 200, 200),
    "outsider": (404, 404, 200),
    "no_role": (404, 404, 200),
    "anonymous": (302, 302, 302),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_pages_by_persona(
    who: str,
    cast: dict[str, User | None],
    group: GreenGroup,
    barrow: Tool,
    trimmer: Tool,
    seeds: Tool,
    client_for: ClientFor,
) -> None:
    client = client_for(cast[who])
    urls = [
        reverse("green:shed", args=[group.pk]),
        reverse("green:shed_running", args=[group.pk]),
        reverse("green:my_loans"),
    ]
    assert tuple(client.get(u).status_code for u in urls) == EXPECTED[who]
    # Writing is refused the same way: 404 where the page is hidden, no loan either way.
    response = client.post(urls[0], {"tool": barrow.pk, "action": "lend"})
    may_borrow = who == "member"
    assert Loan.objects.filter(tool=barrow).exists() == may_borrow
    if EXPECTED[who][0] == 404:
        assert response.status_code == 404
    response = client.post(urls[1], {"tool": barrow.pk, "action": "retire"})
    barrow.refresh_from_db()
    assert barrow.retired == (EXPECTED[who][1] == 200)


def test_the_shed_shows_what_is_lent_until_when_and_the_queue_without_names(
    group: GreenGroup,
    barrow: Tool,
    member: User,
    members: list[User],
    caretaker_contact: User,
    client_for: ClientFor,
) -> None:
    loan = services.loan_create(actor=members[0], tool=barrow)
    services.hold_join(actor=member, tool=barrow)
    page = client_for(member).get(reverse("green:shed", args=[group.pk])).content.decode()
    assert services.day_text(loan.due_on) in page
    assert "nr. 1" in page  # the member's place in the queue
    assert members[0].full_name not in page
    running = client_for(caretaker_contact).get(reverse("green:shed_running", args=[group.pk]))
    assert members[0].full_name in running.content.decode()


def test_borrow_renew_and_return_on_the_pages(
    group: GreenGroup, barrow: Tool, member: User, client_for: ClientFor
) -> None:
    client = client_for(member)
    response = client.post(
        reverse("green:shed", args=[group.pk]), {"tool": barrow.pk, "action": "lend"}, follow=True
    )
    loan = Loan.objects.get(tool=barrow)
    assert services.day_text(loan.due_on) in response.content.decode()
    client.post(reverse("green:my_loans"), {"loan": loan.pk, "action": "renew"})
    loan.refresh_from_db()
    assert loan.renewals == 1
    client.post(reverse("green:my_loans"), {"loan": loan.pk, "action": "return"})
    loan.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED


def test_someone_elses_loan_and_hold_are_not_found(
    group: GreenGroup, barrow: Tool, member: User, members: list[User], client_for: ClientFor
) -> None:
    loan = services.loan_create(actor=member, tool=barrow)
    hold = services.hold_join(actor=members[0], tool=barrow)
    other = client_for(members[1])
    assert (
        other.post(reverse("green:my_loans"), {"loan": loan.pk, "action": "return"}).status_code
        == 404
    )
    assert (
        other.post(reverse("green:my_loans"), {"hold": hold.pk, "action": "unhold"}).status_code
        == 404
    )
    assert (
        other.post(reverse("green:my_loans"), {"loan": "x", "action": "renew"}).status_code == 404
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.OUT
    assert Hold.objects.get(pk=hold.pk).status == "waiting"


def test_an_overdue_loan_is_told_on_the_shed_page(
    group: GreenGroup, barrow: Tool, trimmer: Tool, member: User, client_for: ClientFor
) -> None:
    loan = services.loan_create(actor=member, tool=barrow)
    Loan.objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - timezone.timedelta(days=1))
    client = client_for(member)
    response = client.post(
        reverse("green:shed", args=[group.pk]), {"tool": trimmer.pk, "action": "lend"}, follow=True
    )
    assert not Loan.objects.filter(tool=trimmer).exists()
    text = response.content.decode()
    assert "Trillebør" in text
    assert "notice" in text


def test_caretaker_hands_over_and_takes_back_on_the_running_page(
    group: GreenGroup, trimmer: Tool, member: User, caretaker_contact: User, client_for: ClientFor
) -> None:
    loan = services.loan_create(actor=member, tool=trimmer)
    client = client_for(caretaker_contact)
    url = reverse("green:shed_running", args=[group.pk])
    client.post(url, {"loan": loan.pk, "action": "hand_over"})
    loan.refresh_from_db()
    assert loan.status == LoanStatus.OUT
    # The member cannot return it themselves on my loans.
    client_for(member).post(reverse("green:my_loans"), {"loan": loan.pk, "action": "return"})
    loan.refresh_from_db()
    assert loan.status == LoanStatus.OUT
    client.post(url, {"loan": loan.pk, "action": "take_back", "condition": "Ren og skarp"})
    loan.refresh_from_db()
    trimmer.refresh_from_db()
    assert (loan.status, trimmer.condition) == (LoanStatus.RETURNED, "Ren og skarp")


def test_open_a_shed_and_add_tools_on_the_running_page(
    group: GreenGroup, caretaker_contact: User, client_for: ClientFor
) -> None:
    client = client_for(caretaker_contact)
    url = reverse("green:shed_running", args=[group.pk])
    # No shed yet: the shed page sends who runs it to open one.
    assert client.get(reverse("green:shed", args=[group.pk])).status_code == 302
    client.post(
        url, {"action": "shed", "location": "Kælderen", "hold_hours": 24, "max_renewals": 1}
    )
    shed = ToolShed.objects.get(group=group)
    bad = client.post(
        url, {"action": "tool", "name": "", "kind": "tool", "loan_days": 0, "quantity": 0}
    )
    assert bad.status_code == 200
    assert not shed.tools.exists()
    assert 'class="errorlist' in bad.content.decode()
    client.post(
        url,
        {
            "action": "tool",
            "name": "Kantklipper",
            "kind": "tool",
            "loan_days": 3,
            "quantity": 0,
            "needs_handover": "on",
        },
    )
    tool = shed.tools.get()
    assert (tool.loan_days, tool.needs_handover) == (3, True)
