"""Core's forms (login, accepting an invitation), posted invalid: each error is shown once,
in Danish (tests/form_errors.py)."""

from __future__ import annotations

from django.test import Client

from lokalsamfund.core.invitations import invitation_create
from lokalsamfund.core.models import Organisation, Role, User
from tests.form_errors import assert_errors_once

PASSWORD = "et-langt-nyt-kodeord-42"


def test_login(resident: User) -> None:
    client = Client(REMOTE_ADDR="198.51.100.20")
    assert_errors_once(client.post("/login/", {"username": resident.email, "password": "forkert"}))


def test_accepting_an_invitation(admin_user: User, org: Organisation) -> None:
    _, token = invitation_create(
        actor=admin_user, organisation=org, email="ny@example.org", role=Role.CARETAKER
    )
    for data in (
        {"full_name": "Ny", "password1": PASSWORD, "password2": PASSWORD + "x"},
        {"full_name": "Ny", "password1": "1234", "password2": "1234"},
        {"full_name": "", "password1": PASSWORD, "password2": PASSWORD},
    ):
        assert_errors_once(Client().post(f"/invitation/{token}/", data))
