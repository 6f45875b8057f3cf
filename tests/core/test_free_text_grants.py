"""The survey's free text is out of the organisation administrator's reach: granting a role
that reads it (coordinator) is audited, shown to the organisation's other coordinators (a
notice on their start page and an e-mail), and an administrator cannot grant it to
themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from lokalsamfund.core.errors import Forbidden
from lokalsamfund.core.invitations import invitation_accept, invitation_create
from lokalsamfund.core.models import AuditEntry, Membership, Organisation, Role, User

pytestmark = pytest.mark.django_db

GRANTED = "core.free_text_granted"


def _grant(client: Client, user: User, org: Organisation) -> Any:
    return client.post(
        "/backoffice/core/membership/add/",
        {"user": user.pk, "organisation": org.pk, "role": Role.COORDINATOR, "home": ""},
    )


def test_admin_cannot_make_themselves_coordinator(
    client_for: Callable[[User | None], Client], admin_user: User, org: Organisation
) -> None:
    response = _grant(client_for(admin_user), admin_user, org)
    assert response.status_code == 200  # the form refuses, saying why
    assert "fritekst" in response.content.decode()
    assert not Membership.objects.filter(user=admin_user, role=Role.COORDINATOR).exists()
    # ... nor by changing the role of their own membership.
    own = Membership.objects.get(user=admin_user)
    client_for(admin_user).post(
        f"/backoffice/core/membership/{own.pk}/change/",
        {"user": admin_user.pk, "organisation": org.pk, "role": Role.COORDINATOR, "home": ""},
    )
    own.refresh_from_db()
    assert own.role == Role.ORG_ADMIN


def test_a_grant_is_audited_mailed_and_shown_to_the_other_coordinators(
    client_for: Callable[[User | None], Client],
    admin_user: User,
    coordinator: User,
    caretaker: User,
    outsider: User,
    org: Organisation,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _grant(client_for(admin_user), caretaker, org)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=GRANTED)
    assert (entry.organisation, entry.actor) == (org, admin_user)
    (message,) = [m for m in mail.outbox if coordinator.email in m.to]
    assert caretaker.get_full_name() in message.body
    assert all(caretaker.email not in m.to for m in mail.outbox)
    notice = client_for(coordinator).get("/").content.decode()
    assert caretaker.get_full_name() in notice
    assert admin_user.get_full_name() in notice
    assert caretaker.get_full_name() not in client_for(outsider).get("/").content.decode()


def test_another_admin_or_the_operator_may_grant_it(
    client_for: Callable[[User | None], Client],
    admin_user: User,
    make_user: Callable[..., User],
    org: Organisation,
) -> None:
    second = make_user(Role.ORG_ADMIN, org, is_staff=True)
    assert _grant(client_for(second), admin_user, org).status_code == 302
    operator = make_user(is_staff=True, is_superuser=True)
    Membership.objects.create(user=operator, organisation=org, role=Role.ORG_ADMIN)
    assert _grant(client_for(operator), operator, org).status_code == 302
    assert AuditEntry.objects.filter(action=GRANTED).count() == 2


def test_an_accepted_coordinator_invitation_is_a_grant(
    admin_user: User,
    coordinator: User,
    org: Organisation,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    _, token = invitation_create(
        actor=admin_user, organisation=org, email="ny@example.org", role=Role.COORDINATOR
    )
    with django_capture_on_commit_callbacks(execute=True):
        new = invitation_accept(
            token=token, full_name="Ny Koordinator", password="x9 lang nok frase"
        )
    assert AuditEntry.objects.filter(action=GRANTED, organisation=org).exists()
    assert any(coordinator.email in m.to and "Ny Koordinator" in m.body for m in mail.outbox)
    assert all(new.email not in m.to for m in mail.outbox)


def test_an_admin_cannot_accept_their_own_coordinator_invitation(
    admin_user: User, make_user: Callable[..., User], org: Organisation
) -> None:
    with pytest.raises(Forbidden):
        invitation_create(
            actor=admin_user, organisation=org, email=admin_user.email, role=Role.COORDINATOR
        )
