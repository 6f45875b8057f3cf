"""Personas and factories shared by every domain's tests.

Personas (one per role) live in the organisation ``org``; ``outsider`` has a role only in
``other_org``. Every page and endpoint is tried by the one who may and the ones who may not.

One clock: every test runs at a pinned moment (the autouse fixture ``clock``; a test may
``clock.move_to(...)``): ``LOKALSAMFUND_TEST_NOW`` (ISO 8601 with offset) or
``DEFAULT_TEST_NOW``. Tests take dates from ``timezone.now()`` /
``timezone.localdate()`` or pin their own moment with ``time_machine.travel(...)``;
``make test-clock`` runs the suite at month ends, daylight-saving days, 29 February and New
Year's Eve.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine
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

TEST_NOW_VARIABLE = "LOKALSAMFUND_TEST_NOW"
# An ordinary moment: a Wednesday in the middle of a month, far from midnight and from the
# daylight-saving switches.
DEFAULT_TEST_NOW = "2026-06-10T10:00:00+02:00"


def pinned_moment() -> datetime:
    """The moment every test runs at: ``LOKALSAMFUND_TEST_NOW`` or ``DEFAULT_TEST_NOW``."""
    text = os.environ.get(TEST_NOW_VARIABLE) or DEFAULT_TEST_NOW
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise pytest.UsageError(
            f"{TEST_NOW_VARIABLE}={text!r} is not an ISO 8601 time, e.g. 2027-01-31T23:30:00+01:00"
        ) from None
    if moment.utcoffset() is None:
        raise pytest.UsageError(
            f"{TEST_NOW_VARIABLE}={text!r} has no offset, e.g. 2027-01-31T23:30:00+01:00"
        )
    return moment


@pytest.fixture(autouse=True)
def clock(request: pytest.FixtureRequest) -> Iterator[time_machine.Coordinates]:
    """Pin "now" for the test. Browser tests let the pinned clock tick: the live server and
    Chromium wait on each other, and sessions expire by the server's clock. A test marked
    ``scenario_moment`` tells a story on given dates (a season of weekly dinners from 11 June
    2026, quarters of referrals): it runs at ``DEFAULT_TEST_NOW`` at every clock moment."""
    ticking = request.node.get_closest_marker("browser") is not None
    if request.node.get_closest_marker("scenario_moment") is not None:
        moment = datetime.fromisoformat(DEFAULT_TEST_NOW)
    else:
        moment = pinned_moment()
    with time_machine.travel(moment, tick=ticking) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache (ids repeat across tests' rolled-back rows)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_tests(settings: Any) -> None:
    """Plain static files, a fast password hasher (the real one is tested by login) and
    background tasks run at once, in the test's own transaction (the database backend and its
    worker are tested in tests/core/test_jobs.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
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

    def patch(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        return self._client.patch(
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
