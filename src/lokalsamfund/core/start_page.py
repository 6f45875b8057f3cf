"""Items that domains add to a logged-in user's start page (core's page, ``core/home.html``).

A domain registers a provider in its AppConfig.ready(); the start page asks each provider,
in order, for the items of the user:

    start_page.register(open_rounds_for_start_page, order=10)

A provider reads (it is a selector) and returns ``StartItem``s; it must be cheap for users
it has nothing for, since every start page asks it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import User


@dataclass(frozen=True)
class StartItem:
    title: Any  # a heading (translated)
    text: Any = ""  # a sentence under it
    url: str = ""  # where the link goes
    link_label: Any = ""  # the link's text


Provider = Callable[["User"], Iterable[StartItem]]

_providers: list[tuple[int, Provider]] = []


def register(provider: Provider, *, order: int = 100) -> None:
    if all(p is not provider for _, p in _providers):
        _providers.append((order, provider))


def items_for(user: User) -> list[StartItem]:
    """Every registered provider's items for ``user``, in the providers' order."""
    items: list[StartItem] = []
    for _, provider in sorted(_providers, key=lambda entry: entry[0]):
        items.extend(provider(user))
    return items
