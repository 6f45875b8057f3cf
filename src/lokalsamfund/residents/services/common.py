"""What the residents' services share: the actor (None: the system, e.g. the command)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lokalsamfund.core import permissions
from lokalsamfund.core.permissions import Perm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lokalsamfund.core.models import User

    Actor = User | AnonymousUser | None


def require(actor: Actor, perm: Perm, target: Any) -> None:
    """The system may; a person needs ``perm`` (``core.permissions``)."""
    if actor is not None:
        permissions.require(actor, perm, target)
