"""Vectorised Monte Carlo over every uncertain input.

Each uncertain input has a name (``smd:<class>``, ``participants:<slug>``,
``lonely_share:<slug>``, ``deadweight`` …). A run draws a matrix of uniform numbers, one column
per input in sorted-name order, from ``numpy.random.default_rng(seed)``, and maps each column
through the input's quantile function. The same seed and inputs give the same numbers.
``evaluate`` takes any such columns, so the sensitivity analysis feeds it chosen quantiles.

Overlap: the activities together cannot reach more severely lonely people than the
department has; when the drawn lonely participants exceed the drawn lonely residents, every
activity's lonely participants are scaled down by the same factor (``cap_factor``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from .distributions import Uncertain
from .inputs import Activity, Situation, ValueInputs
from .people import crossing_share, lonely_weights, ucla_sd
from .value import net_share, pv_factor

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Model:
    activities: tuple[Activity, ...]
    values: ValueInputs
    situation: Situation

    @cached_property
    def inputs(self) -> dict[str, Uncertain]:
        """Every uncertain input by name, in sorted order (the column order of the draws)."""
        v = self.values
        named: dict[str, Uncertain] = {
            "severe_share": self.situation.severe_share,
            "deadweight": v.deadweight,
            "attribution": v.attribution,
            "displacement": v.displacement,
            "drop_off": v.drop_off,
            "public_value": v.public_value_per_person_dkk,
            "societal_value": v.societal_value_per_person_dkk,
            "share_aged_16_64": v.share_aged_16_64,
        }
        for activity in self.activities:
            if activity.evidence_class not in v.smd:
                raise ValueError(
                    f"activity {activity.slug}: unknown evidence class {activity.evidence_class}"
                )
            named[f"smd:{activity.evidence_class}"] = v.smd[activity.evidence_class]
            named[f"participants:{activity.slug}"] = activity.participants
            named[f"lonely_share:{activity.slug}"] = activity.lonely_share
        return dict(sorted(named.items()))


@dataclass(frozen=True)
class Outcome:
    """Per-draw results. Per-activity arrays have shape (draws, activities)."""

    participants: Array
    lonely_participants: Array
    helped: Array
    social_value: Array
    public_value: Array
    lonely_residents: Array
    annual_cost_public: Array
    annual_cost_societal: Array
    cap_factor: Array


def uniform_columns(model: Model, draws: int, seed: int) -> dict[str, Array]:
    rng = np.random.default_rng(seed)
    matrix = rng.random((draws, len(model.inputs)))
    return {name: matrix[:, j] for j, name in enumerate(model.inputs)}


def evaluate(
    model: Model, columns: Mapping[str, Array], scales: Array, *, apply_cap: bool = True
) -> Outcome:
    """The outcome of running each activity at ``scales`` for every row of ``columns``.

    ``apply_cap=False`` gives each activity's result on its own (the portfolio's unit values).
    """
    inputs = model.inputs
    x = {name: inputs[name].ppf(columns[name]) for name in inputs}
    situation, v = model.situation, model.values
    n = len(next(iter(columns.values())))
    k = len(model.activities)
    scales = np.asarray(scales, dtype=np.float64).reshape(1, k) if k else np.zeros((1, 0))

    lonely_residents = x["severe_share"] * situation.adult_residents
    if k:
        participants = np.column_stack([x[f"participants:{a.slug}"] for a in model.activities])
        shares = np.column_stack([x[f"lonely_share:{a.slug}"] for a in model.activities])
        smd = np.column_stack([x[f"smd:{a.evidence_class}"] for a in model.activities])
    else:
        participants = shares = smd = np.zeros((n, 0))
    participants = participants * scales
    lonely = participants * shares
    total_lonely = lonely.sum(axis=1)
    cap = np.ones(n)
    over = (total_lonely > lonely_residents) if apply_cap else np.zeros(n, dtype=bool)
    cap[over] = lonely_residents[over] / total_lonely[over]
    lonely = lonely * cap[:, None]

    shift = -smd * ucla_sd(situation.ucla_counts)
    helped = lonely * crossing_share(shift, lonely_weights(situation.ucla_counts))
    per_person_pv = net_share(x["deadweight"], x["attribution"], x["displacement"]) * pv_factor(
        x["drop_off"], v.discount_rate, v.benefit_years
    )
    social = helped * (per_person_pv * x["societal_value"])[:, None]
    public = helped * (per_person_pv * x["public_value"] * x["share_aged_16_64"])[:, None]
    return Outcome(
        participants=participants,
        lonely_participants=lonely,
        helped=helped,
        social_value=social,
        public_value=public,
        lonely_residents=lonely_residents,
        annual_cost_public=lonely_residents * x["share_aged_16_64"] * x["public_value"],
        annual_cost_societal=lonely_residents * x["societal_value"],
        cap_factor=cap,
    )


def simulate(
    model: Model, scales: Array, *, draws: int, seed: int, apply_cap: bool = True
) -> Outcome:
    if draws < 1:
        raise ValueError("draws must be at least 1")
    return evaluate(model, uniform_columns(model, draws, seed), scales, apply_cap=apply_cap)


def quantiles(values: Array) -> tuple[float, float, float]:
    """P5, P50, P95 of a 1-d array of draws."""
    p5, p50, p95 = np.percentile(values, [5, 50, 95])
    return float(p5), float(p50), float(p95)
