"""Account takeover across organisations: an organisation's administrator can neither attach
nor see nor change the account of someone who belongs to another organisation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from lokalsamfund.core.models import Department, Membership, Organisation, Role, User

pytestmark = pytest.mark.django_db

FOREIGN_EMAIL = "hemmelig@anden.example.org"


@pytest.fixture
def foreign(make_user: Callable[..., User], other_org: Organisation) -> User:
    """A coordinator of another organisation only."""
    return make_user(Role.COORDINATOR, other_org, email=FOREIGN_EMAIL)


@pytest.fixture
def shared(make_user: Callable[..., User], org: Organisation, other_org: Organisation) -> User:
    """A resident here who is also a coordinator of another organisation."""
    user = make_user(Role.COORDINATOR, other_org, email="begge@example.org")
    Membership.objects.create(user=user, organisation=org, role=Role.CARETAKER)
    return user


@pytest.fixture
def admin_client(client_for: Callable[[User | None], Client], admin_user: User) -> Client:
    return client_for(admin_user)


def test_membership_form_refuses_a_foreign_user_id(
    admin_client: Client, org: Organisation, foreign: User
) -> None:
    response = admin_client.post(
        "/backoffice/core/membership/add/",
        {"user": foreign.pk, "organisation": org.pk, "role": Role.CARETAKER, "home": ""},
    )
    assert response.status_code == 200  # the form refuses it
    assert not Membership.objects.filter(user=foreign, organisation=org).exists()
    assert FOREIGN_EMAIL not in response.content.decode()


def test_membership_form_accepts_own_people(
    admin_client: Client, org: Organisation, coordinator: User
) -> None:
    response = admin_client.post(
        "/backoffice/core/membership/add/",
        {"user": coordinator.pk, "organisation": org.pk, "role": Role.CARETAKER, "home": ""},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=coordinator, role=Role.CARETAKER).exists()


def test_autocomplete_does_not_reveal_foreign_users(
    admin_client: Client, foreign: User, coordinator: User
) -> None:
    params = {"app_label": "core", "model_name": "membership", "field_name": "user"}
    for term in ("", "hemmelig", "anden", "example"):
        response = admin_client.get("/backoffice/autocomplete/", {**params, "term": term})
        assert response.status_code == 200
        assert f'"id": "{foreign.pk}"' not in response.content.decode()
    found = admin_client.get("/backoffice/autocomplete/", {**params, "term": coordinator.email})
    assert f'"id": "{coordinator.pk}"' in found.content.decode()


def test_user_pages_do_not_reveal_foreign_users(admin_client: Client, foreign: User) -> None:
    assert admin_client.get(f"/backoffice/core/user/{foreign.pk}/change/").status_code in {302, 404}
    response = admin_client.get(f"/backoffice/core/user/{foreign.pk}/password/")
    assert response.status_code in {302, 403, 404}
    for query in ("?q=hemmelig", "?q=example", "?_popup=1&_to_field=id", "?is_active__exact=1"):
        page = admin_client.get("/backoffice/core/user/" + query)
        assert FOREIGN_EMAIL not in page.content.decode(), query
    # Other pages' user choices (e.g. an API token's or any form's select) do not list them.
    add = admin_client.get("/backoffice/core/membership/add/").content.decode()
    assert FOREIGN_EMAIL not in add


def test_no_password_email_or_active_change_for_a_shared_user(
    admin_client: Client, shared: User
) -> None:
    before = User.objects.get(pk=shared.pk)
    response = admin_client.post(
        f"/backoffice/core/user/{shared.pk}/password/",
        {"password1": "taken over 12345 xyz", "password2": "taken over 12345 xyz"},
    )
    assert response.status_code == 403
    admin_client.post(
        f"/backoffice/core/user/{shared.pk}/change/",
        {"email": "mig@ondsindet.example.org", "full_name": "X", "is_active": ""},
    )
    after = User.objects.get(pk=shared.pk)
    assert (after.password, after.email, after.is_active) == (
        before.password,
        before.email,
        before.is_active,
    )


def test_admin_changes_own_organisations_people(admin_client: Client, caretaker: User) -> None:
    response = admin_client.post(
        f"/backoffice/core/user/{caretaker.pk}/password/",
        {"password1": "a fresh passphrase 9876", "password2": "a fresh passphrase 9876"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=caretaker.pk).check_password("a fresh passphrase 9876")


def test_admin_cannot_add_accounts_directly(admin_client: Client) -> None:
    """New people come by invitation (an address the admin can reach), not by a form that
    creates any account."""
    response = admin_client.post(
        "/backoffice/core/user/add/",
        {"email": FOREIGN_EMAIL, "password1": "x y z 12345 abc", "password2": "x y z 12345 abc"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(email=FOREIGN_EMAIL).exists()


def test_superuser_may_do_everything(
    client_for: Callable[[User | None], Client],
    make_user: Callable[..., User],
    shared: User,
    dept_a: Department,
) -> None:
    operator = make_user(is_staff=True, is_superuser=True)
    client = client_for(operator)
    assert client.get(f"/backoffice/core/user/{shared.pk}/password/").status_code == 200
    assert client.get(f"/backoffice/core/user/{shared.pk}/change/").status_code == 200
