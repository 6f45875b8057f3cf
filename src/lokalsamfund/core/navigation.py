"""Menu entries that domains contribute; the shell shows those the user may use.

A domain registers its entries in its AppConfig.ready():

    navigation.register(NavItem("surveys:rounds", _("Surveys"), Perm.MANAGE_SURVEYS))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from . import permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any
    perm: permissions.Perm | None = None
    order: int = 100
    description: Any = ""
    visible: Callable[[Any], bool] | None = None


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _items:
        _items.append(item)


def items_for(user: User | AnonymousUser) -> list[dict[str, Any]]:
    """The entries ``user`` may use, in order, with resolved URLs."""
    shown = []
    for item in sorted(_items, key=lambda i: (i.order, str(i.url_name))):
        if item.perm is not None and not permissions.has_any(user, item.perm):
            continue
        if item.visible is not None and not item.visible(user):
            continue
        shown.append(
            {"url": reverse(item.url_name), "label": item.label, "description": item.description}
        )
    return shown
