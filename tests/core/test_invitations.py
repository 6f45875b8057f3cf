"""Invitations by e-mail: who may invite whom, the link's token (only its hash stored), and
accepting (a new account, or an existing one after logging in); one answer for every token
that does not work."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.invitations import (
    InvitationNotValid,
    LoginFirst,
    invitation_accept,
    invitation_create,
    invitation_revoke,
)
from lokalsamfund.core.models import (
    AuditEntry,
    Department,
    Invitation,
    Membership,
    Organisation,
    Role,
    User,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _invite(actor: User, organisation: Organisation, **kwargs: Any) -> tuple[Invitation, str]:
    kwargs.setdefault("email", "ny@example.org")
    kwargs.setdefault("role", Role.CARETAKER)
    return invitation_create(actor=actor, organisation=organisation, **kwargs)


def _link_token(body: str) -> str:
    match = re.search(r"/invitation/([^/\s]+)/", body)
    assert match, body
    return match.group(1)


def test_admin_invites_staff_by_e_mail_in_danish(
    admin_user: User, org: Organisation, dept_a: Department, capture: Callable[..., Any]
) -> None:
    with capture():
        invitation, token = _invite(admin_user, org, departments=[dept_a])
    (message,) = mail.outbox
    assert message.to == ["ny@example.org"]
    assert _link_token(message.body) == token
    assert "Invitation" in message.subject or "invitation" in message.subject.lower()
    assert "inviteret" in message.body  # Danish, whatever the request's language
    # Only a keyed hash of the token is stored, nowhere the token itself.
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in str(stored)
    assert len(invitation.token_hash) == 64
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    entry = AuditEntry.objects.get(action="core.invitation_create")
    assert entry.organisation == org
    assert token not in str(entry.data) + entry.object_repr


@pytest.mark.parametrize(
    ("persona", "role", "allowed"),
    [
        ("admin", Role.COORDINATOR, True),
        ("admin", Role.RESIDENT, True),
        ("coordinator", Role.RESIDENT, True),
        ("coordinator", Role.BOARD_MEMBER, True),
        ("coordinator", Role.CARETAKER, False),  # staff invite staff: the administrators
        ("coordinator", Role.ORG_ADMIN, False),
        ("caretaker", Role.RESIDENT, False),
        ("board_member", Role.RESIDENT, False),
        ("resident", Role.RESIDENT, False),
        ("outsider", Role.RESIDENT, False),
        ("outsider", Role.CARETAKER, False),
        ("no_role", Role.RESIDENT, False),
    ],
)
def test_who_may_invite_whom(
    personas: dict[str, User],
    org: Organisation,
    dept_a: Department,
    persona: str,
    role: str,
    allowed: bool,
) -> None:
    if allowed:
        invitation, _ = _invite(personas[persona], org, role=role, departments=[dept_a])
        assert invitation.pk
    else:
        with pytest.raises(Forbidden):
            _invite(personas[persona], org, role=role, departments=[dept_a])
        assert not Invitation.objects.exists()


def test_bad_invitations_are_refused_with_what_is_wrong(
    admin_user: User, org: Organisation, dept_a: Department, other_dept: Department
) -> None:
    cases = [
        ({"email": "not an address"}, "E-mail"),
        ({"role": Role.RESIDENT}, "Afdelinger"),  # a resident needs a department
        ({"role": Role.NEIGHBOUR}, "Rolle"),
        ({"role": Role.RESIDENT, "departments": [other_dept]}, "Afdelinger"),
        ({"home": "x" * 201, "departments": [dept_a]}, "Bolig"),
    ]
    for kwargs, field in cases:
        with pytest.raises(DomainError) as caught:
            _invite(admin_user, org, **kwargs)
        assert caught.value.message.startswith(field), (kwargs, caught.value.message)
    assert not Invitation.objects.exists()


def test_admin_cannot_invite_themselves_to_read_free_text(
    admin_user: User, org: Organisation
) -> None:
    with pytest.raises(Forbidden):
        _invite(admin_user, org, email=admin_user.email.upper(), role=Role.COORDINATOR)
    assert not Invitation.objects.exists()


def test_accepting_creates_the_account_with_role_departments_and_home(
    admin_user: User, org: Organisation, dept_a: Department
) -> None:
    _, token = _invite(
        admin_user, org, role=Role.RESIDENT, departments=[dept_a], home="Ærtebjerg 3,  st."
    )
    response = Client().get(f"/invitation/{token}/")
    assert response.status_code == 200
    assert org.name in response.content.decode()
    response = Client().post(
        f"/invitation/{token}/",
        {"full_name": "Ny Beboer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="ny@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert user.full_name == "Ny Beboer"
    assert user.email_verified  # the link came to this address
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.organisation, membership.home) == (
        Role.RESIDENT,
        org,
        "Ærtebjerg 3, st.",
    )
    assert list(membership.departments.all()) == [dept_a]
    assert permissions.has_perm(user, permissions.Perm.BOOK_FACILITY, dept_a)
    assert AuditEntry.objects.filter(action="core.invitation_accept", actor=user).exists()
    # The link works once.
    again = Client().get(f"/invitation/{token}/")
    assert again.status_code == 400


def test_every_token_that_does_not_work_gets_the_same_answer(
    admin_user: User, org: Organisation
) -> None:
    _, used = _invite(admin_user, org, email="a@example.org")
    invitation_accept(token=used, full_name="A", password=NEW_PASSWORD)
    revoked_invitation, revoked = _invite(admin_user, org, email="b@example.org")
    invitation_revoke(actor=admin_user, invitation=revoked_invitation)
    _, expired = _invite(admin_user, org, email="c@example.org")
    answers = set()
    with time_machine.travel(timezone.now() + timedelta(days=14, seconds=1)):
        for token in (used, revoked, expired, "unknown-token"):
            response = Client().post(
                f"/invitation/{token}/",
                {"full_name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            )
            assert response.status_code == 400
            main = response.content.decode().split("<main")[1].split("</main>")[0]
            answers.add(re.sub(r"\s+", " ", main))
            with pytest.raises(InvitationNotValid):
                invitation_accept(token=token, full_name="X", password=NEW_PASSWORD)
    assert len(answers) == 1
    assert User.objects.filter(email__in=["b@example.org", "c@example.org"]).count() == 0


def test_bad_account_details_change_nothing(admin_user: User, org: Organisation) -> None:
    _, token = _invite(admin_user, org)
    for data in (
        {"full_name": "Ny", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
        {"full_name": "Ny", "password1": "1234", "password2": "1234"},
        {"full_name": "", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ):
        response = Client().post(f"/invitation/{token}/", data)
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    assert not User.objects.filter(email="ny@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_existing_account_logs_in_first_and_gets_the_role(
    admin_user: User, org: Organisation, make_user: Callable[..., User], other_org: Organisation
) -> None:
    existing = make_user(Role.RESIDENT, other_org, email="ny@example.org")
    _, token = _invite(admin_user, org, role=Role.CARETAKER)
    with pytest.raises(LoginFirst):
        invitation_accept(token=token, full_name="Mallory", password=NEW_PASSWORD)
    client = Client()
    page = client.get(f"/invitation/{token}/").content.decode()
    assert "/login/?next=%2Finvitation%2F" in page
    assert token not in page.split("/login/")[1].split('"')[0]  # not in the login's next
    # Someone else's account may not take it.
    intruder = Client()
    intruder.force_login(admin_user)
    assert intruder.post(f"/invitation/{token}/").status_code == 403
    # The owner logs in and returns to /invitation/ (the token waits in the session).
    response = client.post(
        "/login/",
        {
            "username": "ny@example.org",
            "password": "correct horse battery staple",
            "next": "/invitation/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/invitation/"
    assert client.get("/invitation/").status_code == 200
    assert client.post("/invitation/").status_code == 302
    assert Membership.objects.filter(user=existing, organisation=org, role=Role.CARETAKER).exists()
    assert User.objects.filter(email="ny@example.org").count() == 1
    assert existing.full_name != "Mallory"


def test_back_office_invite_list_and_revoke(
    client_for: Callable[[User | None], Client],
    admin_user: User,
    org: Organisation,
    other_org: Organisation,
    dept_a: Department,
    make_user: Callable[..., User],
    capture: Callable[..., Any],
) -> None:
    client = client_for(admin_user)
    page = client.get("/backoffice/core/invitation/add/")
    assert page.status_code == 200
    with capture():
        response = client.post(
            "/backoffice/core/invitation/add/",
            {
                "organisation": org.pk,
                "email": "pedel@example.org",
                "role": Role.CARETAKER,
                "departments": [dept_a.pk],
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    invitation = Invitation.objects.get(email="pedel@example.org")
    listing = client.get("/backoffice/core/invitation/").content.decode()
    assert "pedel@example.org" in listing
    # Another organisation's administrator neither sees nor revokes it.
    foreign = make_user(Role.ORG_ADMIN, other_org, is_staff=True)
    assert (
        "pedel@example.org"
        not in client_for(foreign).get("/backoffice/core/invitation/").content.decode()
    )
    client_for(foreign).post(
        "/backoffice/core/invitation/",
        {"action": "revoke", "_selected_action": [invitation.pk]},
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    # ... nor invites into this one.
    response = client_for(foreign).post(
        "/backoffice/core/invitation/add/",
        {"organisation": org.pk, "email": "x@example.org", "role": Role.CARETAKER},
    )
    assert response.status_code == 400
    assert not Invitation.objects.filter(email="x@example.org").exists()
    # The administrator revokes it.
    client.post(
        "/backoffice/core/invitation/",
        {"action": "revoke", "_selected_action": [invitation.pk]},
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "pedel@example.org" not in client.get("/backoffice/core/invitation/").content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "resident", "outsider", "no_role"])
def test_others_have_no_invitation_back_office(
    client_for: Callable[[User | None], Client], personas: dict[str, User], persona: str
) -> None:
    response = client_for(personas[persona]).get("/backoffice/core/invitation/add/")
    assert response.status_code == 302
    assert "/backoffice/login/" in response["Location"]
    assert client_for(None).get("/backoffice/core/invitation/").status_code == 302


def test_wrong_tokens_count_against_the_login_limit(settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for n in range(3):
        assert client.get(f"/invitation/guess-{n}/").status_code == 400
    assert client.get("/invitation/guess-x/").status_code == 429
