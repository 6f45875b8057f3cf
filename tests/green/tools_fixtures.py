"""Fixtures of the tool shed's tests (imported by tests/green/test_tools*.py and
test_concurrency.py): a shed of the closed garden of A1 with a tool, a handover tool and seeds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import services as group_services
from lokalsamfund.green.models import GreenGroup, Tool, ToolKind, ToolShed
from lokalsamfund.green.toolshed import services

__all__ = ["barrow", "join", "members", "seeds", "shed", "trimmer"]


@pytest.fixture
def shed(group: GreenGroup) -> ToolShed:
    return services.shed_create(actor=SYSTEM, group=group, hold_hours=24, max_renewals=2)


@pytest.fixture
def barrow(shed: ToolShed) -> Tool:
    return services.tool_add(actor=SYSTEM, shed=shed, name="Trillebør", loan_days=7)


@pytest.fixture
def trimmer(shed: ToolShed) -> Tool:
    return services.tool_add(
        actor=SYSTEM, shed=shed, name="Hækkeklipper", loan_days=2, needs_handover=True
    )


@pytest.fixture
def seeds(shed: ToolShed) -> Tool:
    return services.tool_add(
        actor=SYSTEM, shed=shed, name="Frø", kind=ToolKind.CONSUMABLE, quantity=10, unit="poser"
    )


@pytest.fixture
def join(group: GreenGroup) -> Callable[[User], User]:
    def make(user: User) -> User:
        group_services.member_join(actor=user, group=group)
        return user

    return make


@pytest.fixture
def members(
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
    join: Callable[[User], User],
) -> list[User]:
    """Four more members of the garden (residents of A1)."""
    return [join(make_user(Role.RESIDENT, org, [dept_a])) for _ in range(4)]
