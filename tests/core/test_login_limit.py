"""One login limit for every way in: the login page, the back office, password reset
requests, registration and invitations share the failures of ``core/ratelimit.py``; a
completed password reset lifts the lock that the locked message says it lifts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from lokalsamfund.core.models import User

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery staple"
NEW = "en helt ny adgangskode 7"


@pytest.fixture(autouse=True)
def _small_limit(settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.PASSWORD_RESET_FAILURE_LIMIT = 3


def _fail(client: Client, path: str, email: str, times: int) -> None:
    for _ in range(times):
        response = client.post(path, {"username": email, "password": "wrong"})
        assert response.status_code == 200


def test_back_office_login_is_limited(admin_user: User) -> None:
    client = Client()
    _fail(client, "/backoffice/login/", admin_user.email, 3)
    response = client.post("/backoffice/login/", {"username": admin_user.email, "password": RIGHT})
    assert response.status_code == 200  # the form again, not the back office
    assert "_auth_user_id" not in client.session
    assert "For mange" in response.content.decode()


@pytest.mark.parametrize(
    ("first", "then"), [("/login/", "/backoffice/login/"), ("/backoffice/login/", "/login/")]
)
def test_failures_count_across_the_ways_in(admin_user: User, first: str, then: str) -> None:
    client = Client()
    _fail(client, first, admin_user.email, 2)
    _fail(client, then, admin_user.email, 1)
    client.post(then, {"username": admin_user.email, "password": RIGHT})
    assert "_auth_user_id" not in client.session
    # From another client, the e-mail address is locked all the same.
    other = Client(REMOTE_ADDR="198.51.100.9")
    other.post(first, {"username": admin_user.email, "password": RIGHT})
    assert "_auth_user_id" not in other.session


def test_password_reset_requests_are_limited(resident: User) -> None:
    client = Client()
    for _ in range(3):
        assert client.post("/password/reset/", {"email": resident.email}).status_code == 302
    assert len(mail.outbox) == 3
    response = client.post("/password/reset/", {"email": resident.email})
    assert response.status_code == 429
    assert len(mail.outbox) == 3  # no more e-mails to flood an inbox with


def _reset(client: Client, user: User) -> None:
    client.post("/password/reset/", {"email": user.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/password/reset/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302


def test_a_completed_password_reset_lifts_the_lock(resident: User) -> None:
    client = Client()
    _fail(client, "/login/", resident.email, 3)
    locked = client.post("/login/", {"username": resident.email, "password": RIGHT})
    assert "nulstil" in locked.content.decode()  # "... or reset your password"
    _reset(client, resident)
    client.post("/login/", {"username": resident.email, "password": NEW})
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_a_reset_does_not_lift_the_lock_of_other_addresses(
    resident: User, coordinator: User
) -> None:
    client = Client()
    _fail(client, "/login/", coordinator.email, 3)
    _reset(Client(REMOTE_ADDR="198.51.100.9"), resident)
    client.post("/login/", {"username": coordinator.email, "password": RIGHT})
    assert "_auth_user_id" not in client.session
