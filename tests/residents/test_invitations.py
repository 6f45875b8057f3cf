"""Invitations by e-mail through the core invitation service: the resident role in the
tenancy's department with the home pre-set; tenancies without an address are named; a move
out revokes open invitations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from lokalsamfund.core.invitations import invitation_accept
from lokalsamfund.core.models import Invitation, Membership, Organisation, Role, User
from lokalsamfund.residents import selectors, services
from lokalsamfund.residents.models import Tenancy


def test_the_chosen_are_invited_with_their_home(
    coordinator: User,
    tenancies: list[Tenancy],
    org: Organisation,
    client_for: Callable[[User | None], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/beboere/test-org/inviter/", {"tenancy": [tenancies[0].pk, tenancies[1].pk]}
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "1-0002" in page  # named: no e-mail address, needs a letter
    assert [m.to for m in mail.outbox] == [["ida@eksempel.dk"]]
    invitation = Invitation.objects.get(organisation=org)
    assert invitation.role == Role.RESIDENT
    assert invitation.home == tenancies[0].home
    assert [d.pk for d in invitation.departments.all()] == [tenancies[0].department_id]
    tenancies[0].refresh_from_db()
    assert tenancies[0].invited_at is not None
    token = mail.outbox[0].body.split("/invitation/")[1].split("/")[0]
    user = invitation_accept(token=token, full_name="Ida", password="lang-og-god-kode-42")
    membership = Membership.objects.get(user=user, organisation=org, role=Role.RESIDENT)
    assert membership.home == tenancies[0].home
    activated = selectors.tenancies(org, status="activated")
    assert [t.number for t in activated] == ["1-0001"]


def test_invite_all_takes_only_those_not_yet_invited(
    admin_user: User,
    tenancies: list[Tenancy],
    client_for: Callable[[User | None], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = client_for(admin_user)
    for _twice in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/beboere/test-org/inviter/", {"all": "1"})
    assert [m.to for m in mail.outbox] == [["ida@eksempel.dk"]]


def test_an_address_that_already_is_a_resident_is_skipped_with_the_reason(
    admin_user: User,
    tenancies: list[Tenancy],
    make_user: Callable[..., User],
    org: Organisation,
) -> None:
    make_user(Role.RESIDENT, org, email="ida@eksempel.dk")
    result = services.tenancies_invite(actor=admin_user, organisation=org, tenancies=tenancies[:1])
    assert result.invited == 0
    assert result.skipped[0].startswith("1-0001: ")
    assert not mail.outbox


def test_a_move_out_revokes_the_open_invitation(
    admin_user: User, tenancies: list[Tenancy], org: Organisation
) -> None:
    services.tenancies_invite(actor=admin_user, organisation=org, tenancies=tenancies[:1])
    services.tenancy_move_out(actor=admin_user, tenancy=tenancies[0])
    assert Invitation.objects.get(organisation=org).revoked_at is not None


@pytest.mark.parametrize("who", ["outsider", "caretaker", "board_member", "resident"])
def test_others_cannot_invite(
    who: str,
    personas: dict[str, User],
    tenancies: list[Tenancy],
    client_for: Callable[[User | None], Client],
) -> None:
    response = client_for(personas[who]).post("/beboere/test-org/inviter/", {"all": "1"})
    assert response.status_code == 403
    assert not mail.outbox
    assert not Invitation.objects.exists()


def test_anonymous_cannot_invite(
    tenancies: list[Tenancy], client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(None).post("/beboere/test-org/inviter/", {"all": "1"})
    assert response.status_code == 302
    assert not Invitation.objects.exists()
