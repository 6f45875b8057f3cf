"""The inputs of one plan, as plain frozen dataclasses (built from the database or by tests)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .distributions import Uncertain


@dataclass(frozen=True)
class Activity:
    """One activity type at scale 1 (one group, team or series) for one year."""

    slug: str
    name: str
    evidence_class: str
    participants: Uncertain  # different people taking part in a year
    lonely_share: Uncertain  # share of them with severe loneliness
    cost_dkk: float  # cash out of the budget (materials, food, rent of equipment)
    coordinator_hours: float
    driften_hours: float
    facility_hours: float
    volunteer_hours: float = 0.0
    max_scale: int = 1
    barriers: tuple[str, ...] = ()
    wishes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValueInputs:
    """Value parameters (see data/parameters.json for the shipped values and sources)."""

    smd: Mapping[str, Uncertain]  # by evidence class
    public_value_per_person_dkk: Uncertain  # extra health costs per lonely person 16–64 a year
    share_aged_16_64: Uncertain
    societal_value_per_person_dkk: Uncertain  # per person with chronic loneliness a year
    deadweight: Uncertain
    attribution: Uncertain
    displacement: Uncertain
    drop_off: Uncertain
    discount_rate: float
    benefit_years: int
    coordinator_hour_cost_dkk: float
    driften_hour_cost_dkk: float
    volunteer_hour_value_dkk: float = 0.0


@dataclass(frozen=True)
class Situation:
    """The department as the survey shows it."""

    adult_residents: int
    severe_share: Uncertain
    ucla_counts: Mapping[int, int]
    barrier_shares: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Resources:
    """What the plan may use in a year."""

    budget_dkk: float
    coordinator_hours: float
    driften_hours: float
    facility_hours: float


def input_cost_dkk(activity: Activity, values: ValueInputs) -> float:
    """All inputs valued in DKK at scale 1: cash plus staff time (and volunteer time when an
    organisation values it). The SROI ratio divides by this, not by the cash alone."""
    return (
        activity.cost_dkk
        + activity.coordinator_hours * values.coordinator_hour_cost_dkk
        + activity.driften_hours * values.driften_hour_cost_dkk
        + activity.volunteer_hours * values.volunteer_hour_value_dkk
    )
