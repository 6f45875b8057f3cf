"""Personas and factories shared by every domain's tests.

Personas (one per role) live in the organisation ``org``; ``outsider`` has a role only in
``other_org``. Every page and endpoint is tried by the one who may and the ones who may not.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from lokalsamfund.core.models import (
    Association,
    Department,
    Membership,
    NeighbourHousing,
    Organisation,
    OwnershipForm,
    Role,
    User,
)
from lokalsamfund.core.tokens import token_create

os.environ.setdefault("LOKALSAMFUND_PLAIN_STATIC", "1")

_counter = itertools.count(1)
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_tests(settings: Any) -> None:
    """Plain static files and a fast password hasher (the real one is tested by login)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def make_organisation(db: None) -> Callable[..., Organisation]:
    def make(**kwargs: Any) -> Organisation:
        n = next(_counter)
        kwargs.setdefault("name", f"Boligorganisation {n}")
        kwargs.setdefault("slug", f"org-{n}")
        kwargs.setdefault("cvr", f"{10000000 + n}")
        return Organisation.objects.create(**kwargs)

    return make


@pytest.fixture
def make_department(db: None) -> Callable[..., Department]:
    def make(organisation: Organisation, code: str, **kwargs: Any) -> Department:
        kwargs.setdefault("name", f"Afdeling {code}")
        kwargs.setdefault("homes", 100)
        kwargs.setdefault("adult_residents", 170)
        return Department.objects.create(organisation=organisation, code=code, **kwargs)

    return make


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(
        role: str | None = None,
        organisation: Organisation | None = None,
        departments: list[Department] | None = None,
        **kwargs: Any,
    ) -> User:
        n = next(_counter)
        email = kwargs.pop("email", f"user{n}@example.org")
        user = User.objects.create_user(email, PASSWORD, full_name=f"Person {n}", **kwargs)
        if role is not None and organisation is not None:
            membership = Membership.objects.create(user=user, organisation=organisation, role=role)
            if departments:
                membership.departments.set(departments)
        return user

    return make


@pytest.fixture
def org(make_organisation: Callable[..., Organisation]) -> Organisation:
    return make_organisation(name="Boligselskabet Test", slug="test-org")


@pytest.fixture
def other_org(make_organisation: Callable[..., Organisation]) -> Organisation:
    return make_organisation(name="Anden Boligorganisation", slug="other-org")


@pytest.fixture
def dept_a(org: Organisation, make_department: Callable[..., Department]) -> Department:
    return make_department(org, "A1")


@pytest.fixture
def dept_b(org: Organisation, make_department: Callable[..., Department]) -> Department:
    return make_department(org, "B1")


@pytest.fixture
def other_dept(other_org: Organisation, make_department: Callable[..., Department]) -> Department:
    return make_department(other_org, "X1")


@pytest.fixture
def neighbour_housing(org: Organisation, dept_a: Department) -> NeighbourHousing:
    return NeighbourHousing.objects.create(
        organisation=org, department=dept_a, name="A/B Naboen", ownership_form=OwnershipForm.ANDEL
    )


@pytest.fixture
def association(org: Organisation) -> Association:
    return Association.objects.create(organisation=org, name="Foreningen", cvr="11223344")


@pytest.fixture
def admin_user(make_user: Callable[..., User], org: Organisation) -> User:
    return make_user(Role.ORG_ADMIN, org, is_staff=True)


@pytest.fixture
def coordinator(make_user: Callable[..., User], org: Organisation) -> User:
    return make_user(Role.COORDINATOR, org)


@pytest.fixture
def caretaker(make_user: Callable[..., User], org: Organisation, dept_a: Department) -> User:
    return make_user(Role.CARETAKER, org, [dept_a])


@pytest.fixture
def board_member(make_user: Callable[..., User], org: Organisation, dept_a: Department) -> User:
    return make_user(Role.BOARD_MEMBER, org, [dept_a])


@pytest.fixture
def resident(make_user: Callable[..., User], org: Organisation, dept_a: Department) -> User:
    return make_user(Role.RESIDENT, org, [dept_a])


@pytest.fixture
def neighbour(
    make_user: Callable[..., User], org: Organisation, neighbour_housing: NeighbourHousing
) -> User:
    user = make_user(Role.NEIGHBOUR, org)
    Membership.objects.filter(user=user).update(neighbour_housing=neighbour_housing)
    return user


@pytest.fixture
def association_contact(
    make_user: Callable[..., User], org: Organisation, association: Association
) -> User:
    user = make_user(Role.ASSOCIATION, org)
    Membership.objects.filter(user=user).update(association=association)
    return user


@pytest.fixture
def outsider(
    make_user: Callable[..., User], other_org: Organisation, other_dept: Department
) -> User:
    """A coordinator of another organisation: must see nothing of ``org``."""
    return make_user(Role.COORDINATOR, other_org)


@pytest.fixture
def no_role_user(make_user: Callable[..., User]) -> User:
    return make_user()


@pytest.fixture
def personas(
    admin_user: User,
    coordinator: User,
    caretaker: User,
    board_member: User,
    resident: User,
    neighbour: User,
    association_contact: User,
    outsider: User,
    no_role_user: User,
) -> dict[str, User]:
    return {
        "admin": admin_user,
        "coordinator": coordinator,
        "caretaker": caretaker,
        "board_member": board_member,
        "resident": resident,
        "neighbour": neighbour,
        "association": association_contact,
        "outsider": outsider,
        "no_role": no_role_user,
    }


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    """A logged-in web client for a user (None: anonymous)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


class ApiClient:
    """A test client that sends ``Authorization: Bearer <token>``."""

    def __init__(self, token: str | None) -> None:
        self._client = Client()
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **kwargs: Any) -> Any:
        return self._client.get(path, headers=self._headers, **kwargs)

    def post(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        return self._client.post(
            path, data=data, content_type="application/json", headers=self._headers, **kwargs
        )

    def put(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        return self._client.put(
            path, data=data, content_type="application/json", headers=self._headers, **kwargs
        )

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self._client.delete(path, headers=self._headers, **kwargs)


@pytest.fixture
def api_for() -> Callable[[User | None], ApiClient]:
    """An API client authenticated as a user by a fresh token (None: no token)."""

    def make(user: User | None) -> ApiClient:
        return ApiClient(token_create(user=user) if user is not None else None)

    return make


class _RollBack(Exception):
    pass


@pytest.fixture
def rolled_back() -> Callable[[Callable[[], object]], None]:
    """``rolled_back(work)``: run ``work`` in a transaction that is then rolled back."""

    def run(work: Callable[[], object]) -> None:
        try:
            with transaction.atomic():
                work()
                raise _RollBack
        except _RollBack:
            pass

    return run
