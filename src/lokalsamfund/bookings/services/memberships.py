"""Memberships that registration and confirmed join requests create."""

from __future__ import annotations

from lokalsamfund.core import permissions
from lokalsamfund.core.models import (
    Association,
    Membership,
    NeighbourHousing,
    Organisation,
    Role,
    User,
)


def membership_create(
    *,
    user: User,
    organisation: Organisation,
    kind: str,
    neighbour_housing: NeighbourHousing | None = None,
    association: Association | None = None,
    home: str = "",
) -> Membership:
    """The neighbour's or association contact's membership (in the caller's transaction)."""
    membership = Membership.objects.create(
        user=user,
        organisation=organisation,
        role=kind,
        neighbour_housing=neighbour_housing if kind == Role.NEIGHBOUR else None,
        association=association if kind == Role.ASSOCIATION else None,
        home=(home or "")[:200] if kind == Role.NEIGHBOUR else "",
    )
    permissions.forget_cached_memberships(user)  # categories_for reads the cache
    return membership
