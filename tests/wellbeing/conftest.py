"""Personas of the referrals: the organisation's social worker and data protection contact, a
social worker limited to another department, and a caretaker and a social worker of ANOTHER
organisation, besides the shared personas (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from cryptography.fernet import Fernet

from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.wellbeing.models import IdentityBasis, Observation, Referral, Urgency
from lokalsamfund.wellbeing.services.referrals import referral_create

FIELD_KEY = Fernet.generate_key().decode()
NAME = "Gudrun Ågård-Hansen"
ADDRESS = "Engparken 7, 2. tv."
FREE_TEXT = "Har ikke hentet post i tre uger"


@pytest.fixture(autouse=True)
def _field_keys(settings: Any) -> None:
    settings.LOKALSAMFUND_FIELD_KEYS = [FIELD_KEY]


@pytest.fixture
def social_worker(make_user: Callable[..., User], org: Organisation) -> User:
    return make_user(Role.SOCIAL_WORKER, org)


@pytest.fixture
def colleague(make_user: Callable[..., User], org: Organisation) -> User:
    """A second social worker of the organisation (for reassignment)."""
    return make_user(Role.SOCIAL_WORKER, org)


@pytest.fixture
def social_worker_b(make_user: Callable[..., User], org: Organisation, dept_b: Department) -> User:
    """A social worker limited to department B1: sees nothing of A1."""
    return make_user(Role.SOCIAL_WORKER, org, [dept_b])


@pytest.fixture
def data_protection(make_user: Callable[..., User], org: Organisation) -> User:
    return make_user(Role.DATA_PROTECTION, org)


@pytest.fixture
def other_caretaker(make_user: Callable[..., User], org: Organisation, dept_a: Department) -> User:
    """Another caretaker of the same department: does not see the first one's referrals."""
    return make_user(Role.CARETAKER, org, [dept_a])


@pytest.fixture
def foreign_caretaker(
    make_user: Callable[..., User], other_org: Organisation, other_dept: Department
) -> User:
    return make_user(Role.CARETAKER, other_org, [other_dept])


@pytest.fixture
def foreign_social_worker(
    make_user: Callable[..., User], other_org: Organisation, other_dept: Department
) -> User:
    return make_user(Role.SOCIAL_WORKER, other_org)


@pytest.fixture
def superuser(make_user: Callable[..., User]) -> User:
    return make_user(is_superuser=True, is_staff=True)


@pytest.fixture
def make_referral(caretaker: User, dept_a: Department) -> Callable[..., Referral]:
    def make(**kwargs: Any) -> Referral:
        kwargs.setdefault("actor", caretaker)
        kwargs.setdefault("department", dept_a)
        kwargs.setdefault("observations", [Observation.POST_PILING_UP, Observation.NOT_SEEN])
        kwargs.setdefault("urgency", Urgency.SOON)
        kwargs.setdefault("identity_basis", IdentityBasis.CONSENT)
        kwargs.setdefault("consent_to_contact", True)
        if kwargs["identity_basis"] != IdentityBasis.NOT_NAMED:
            kwargs.setdefault("resident_name", NAME)
            kwargs.setdefault("resident_address", ADDRESS)
        kwargs.setdefault("free_text", FREE_TEXT)
        return referral_create(**kwargs)

    return make


@pytest.fixture
def referral(make_referral: Callable[..., Referral]) -> Referral:
    return make_referral()


@pytest.fixture
def everyone(
    personas: dict[str, User],
    social_worker: User,
    social_worker_b: User,
    data_protection: User,
    other_caretaker: User,
    foreign_caretaker: User,
    foreign_social_worker: User,
    superuser: User,
) -> dict[str, User | None]:
    """Every persona (None: anonymous), the referring caretaker as "caretaker"."""
    return {
        **personas,
        "social_worker": social_worker,
        "social_worker_b": social_worker_b,
        "data_protection": data_protection,
        "other_caretaker": other_caretaker,
        "foreign_caretaker": foreign_caretaker,
        "foreign_social_worker": foreign_social_worker,
        "superuser": superuser,
        "anonymous": None,
    }


# Who may see a referral of department A1 made by ``caretaker``, and how much.
FULL = {"social_worker"}
STATUS_ONLY = {"caretaker"}
