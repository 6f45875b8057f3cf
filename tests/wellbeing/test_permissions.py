"""Who sees which referral (wellbeing/permissions.py): the social workers of the organisation
(of the department when limited) everything, the referring caretaker the status, everyone
else nothing."""

from __future__ import annotations

import pytest

from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.wellbeing import permissions
from lokalsamfund.wellbeing.models import Referral
from lokalsamfund.wellbeing.permissions import Access

from .conftest import FULL, STATUS_ONLY


def test_access_of_every_persona(everyone: dict[str, User | None], referral: Referral) -> None:
    for name, user in everyone.items():
        expected = (
            Access.FULL if name in FULL else Access.STATUS if name in STATUS_ONLY else Access.NONE
        )
        assert permissions.access_to(user, referral) == expected, name


def test_the_system_may_handle(referral: Referral) -> None:
    assert permissions.access_to(SYSTEM, referral) == Access.FULL


def test_a_department_limited_social_worker_sees_their_department(
    make_referral: object, social_worker_b: User, dept_b: object, make_user: object
) -> None:
    from lokalsamfund.core.models import Role

    caretaker_b = make_user(Role.CARETAKER, dept_b.organisation, [dept_b])  # type: ignore[operator, attr-defined]
    referral = make_referral(actor=caretaker_b, department=dept_b)  # type: ignore[operator]
    assert permissions.access_to(social_worker_b, referral) == Access.FULL


def test_a_caretaker_who_left_the_department_no_longer_follows(
    caretaker: User, referral: Referral
) -> None:
    from lokalsamfund.core.models import Membership
    from lokalsamfund.core.permissions import forget_cached_memberships

    Membership.objects.filter(user=caretaker).delete()
    forget_cached_memberships(caretaker)
    assert permissions.access_to(caretaker, referral) == Access.NONE


@pytest.mark.parametrize("needed", [Access.STATUS, Access.FULL])
def test_require_access_answers_not_found(
    outsider: User, referral: Referral, needed: Access
) -> None:
    from lokalsamfund.core.errors import NotFound

    with pytest.raises(NotFound):
        permissions.require_access(outsider, referral, needed)


def test_lists_are_scoped(
    referral: Referral,
    social_worker: User,
    social_worker_b: User,
    foreign_social_worker: User,
    caretaker: User,
    other_caretaker: User,
    superuser: User,
) -> None:
    assert list(permissions.handled_by(social_worker)) == [referral]
    assert list(permissions.handled_by(social_worker_b)) == []
    assert list(permissions.handled_by(foreign_social_worker)) == []
    assert list(permissions.handled_by(superuser)) == []
    assert list(permissions.referred_by(caretaker)) == [referral]
    assert list(permissions.referred_by(other_caretaker)) == []
    assert set(permissions.social_workers_for(referral)) == {social_worker}
