from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import services
from lokalsamfund.green.models import AllocationRule, GreenGroup, GroupKind, Season


@pytest.fixture
def make_group(org: Organisation, dept_a: Department) -> Callable[..., GreenGroup]:
    def make(**kwargs: object) -> GreenGroup:
        kwargs.setdefault("departments", [dept_a])
        kwargs.setdefault("name", "Nyttehaven")
        kwargs.setdefault("kind", GroupKind.GARDEN)
        group = services.group_create(actor=SYSTEM, organisation=org, **kwargs)  # type: ignore[arg-type]
        for n in range(1, 4):
            services.plot_create(
                actor=SYSTEM,
                group=group,
                label=f"Bed {n}",
                size_m2=Decimal(6),
                location="Bag blok 3",
            )
        return group

    return make


@pytest.fixture
def caretaker_contact(
    make_user: Callable[..., User], org: Organisation, dept_b: Department
) -> User:
    """A caretaker of another department, the group's caretaker contact."""
    return make_user(Role.CARETAKER, org, [dept_b])


@pytest.fixture
def group(make_group: Callable[..., GreenGroup], caretaker_contact: User) -> GreenGroup:
    """A closed garden of A1, run by the waitlist."""
    return make_group(caretaker_contact=caretaker_contact)


@pytest.fixture
def member(
    make_user: Callable[..., User], org: Organisation, dept_a: Department, group: GreenGroup
) -> User:
    user = make_user(Role.RESIDENT, org, [dept_a])
    services.member_join(actor=user, group=group)
    return user


@pytest.fixture
def lottery_group(make_group: Callable[..., GreenGroup], caretaker_contact: User) -> GreenGroup:
    return make_group(
        name="Lodhaven",
        caretaker_contact=caretaker_contact,
        allocation_rule=AllocationRule.LOTTERY,
        open_to_neighbours=True,
    )


@pytest.fixture
def lottery_season(lottery_group: GreenGroup) -> Season:
    return services.season_open(
        actor=SYSTEM, group=lottery_group, year=2026, deadline=date(2026, 6, 20)
    )
