"""Allocating a season's plots by lottery (lodtrækning): no Django, so it can be tested alone.

The draw is a uniform random permutation of the applicants (``random.Random(seed).shuffle`` of
the applicants sorted by their id), so the same seed and the same applicants give the same
result, and within a priority class every order is equally likely. The permuted list is then
sorted stably by priority class (lower first): classes are served in order, and inside a class
the draw decides. A share of the plots is reserved for new members: they are filled first from
the new members in that order; the rest go to everyone in that order. A household gets at most
one plot; the applicants left over form the waitlist in the same order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Applicant:
    """One application: ``key`` identifies it (e.g. the ticket number), ``household`` the home
    (people of one home share one plot), ``priority`` its class (0 first), ``new_member``
    whether it counts for the reserved share."""

    key: int
    household: str
    priority: int = 0
    new_member: bool = False


@dataclass(frozen=True)
class Allocation:
    """The result: ``draw`` is the permutation of keys the seed gave (published to members),
    ``order`` the same sorted by class, ``winners`` the keys given a plot with the plot's index
    (0 = first plot), ``waitlist`` the other eligible keys in order, ``same_household`` the keys
    left out because their household got a plot."""

    seed: int
    draw: list[int]
    order: list[int]
    winners: dict[int, int] = field(default_factory=dict)
    waitlist: list[int] = field(default_factory=list)
    same_household: list[int] = field(default_factory=list)


def reserved_count(plots: int, reserved_percent: int) -> int:
    """Plots reserved for new members: the share of ``plots``, rounded down."""
    if not 0 <= reserved_percent <= 100:
        raise ValueError("reserved_percent must be between 0 and 100")
    return plots * reserved_percent // 100


def draw(keys: list[int], seed: int) -> list[int]:
    """The seeded uniform permutation of ``keys`` (their sorted order shuffled)."""
    order = sorted(keys)
    random.Random(seed).shuffle(order)  # noqa: S311 - reproducible by design; the seed is secret-drawn
    return order


def allocate(
    applicants: list[Applicant], *, plots: int, seed: int, reserved_percent: int = 0
) -> Allocation:
    """Draw ``plots`` winners among ``applicants`` (see the module's docstring)."""
    if plots < 0:
        raise ValueError("plots must not be negative")
    if len({a.key for a in applicants}) != len(applicants):
        raise ValueError("applicant keys must be unique")
    by_key = {a.key: a for a in applicants}
    drawn = draw(list(by_key), seed)
    order = sorted(drawn, key=lambda k: by_key[k].priority)  # stable: the draw within a class
    chosen: list[int] = []
    households: set[str] = set()

    def take(candidates: list[int], limit: int) -> None:
        for key in candidates:
            if len(chosen) >= limit:
                return
            household = by_key[key].household
            if key in chosen or household in households:
                continue
            chosen.append(key)
            households.add(household)

    reserved = reserved_count(plots, reserved_percent)
    take([k for k in order if by_key[k].new_member], reserved)
    take(order, plots)
    winners = {key: index for index, key in enumerate(chosen)}
    rest = [k for k in order if k not in winners]
    return Allocation(
        seed=seed,
        draw=drawn,
        order=order,
        winners=winners,
        waitlist=[k for k in rest if by_key[k].household not in households],
        same_household=[k for k in rest if by_key[k].household in households],
    )


def priority_class(
    *, resident: bool, own_garden: bool, residents_first: bool, no_garden_first: bool
) -> int:
    """The class of an applicant under the group's rules: residents before neighbours (the
    stronger rule), then people without a garden of their own; 0 is served first."""
    return (2 if residents_first and not resident else 0) + (
        1 if no_garden_first and own_garden else 0
    )
