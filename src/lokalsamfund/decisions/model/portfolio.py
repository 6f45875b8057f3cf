"""Choosing activities and their scale: a mixed-integer programme solved by HiGHS (SciPy).

Variables: ``x_i`` (integer scale 0..max_scale of activity i), ``y_i`` (1 when activity i is
chosen) and ``z_b`` (1 when top barrier b is covered by a chosen activity).

    resources   Σ cost_i x_i ≤ budget, Σ coordinator_i x_i ≤ H_c, Σ driften_i x_i ≤ H_d,
                Σ facility_i x_i ≤ free fælleshus hours
    reach       Σ E[lonely participants_i] x_i ≤ E[lonely residents]
    linking     x_i ≤ max_i y_i,  y_i ≤ x_i,  z_b ≤ Σ_{i covers b} y_i

Lexicographic: first the most top barriers covered, then, keeping that coverage, the highest
objective Σ c_i x_i (c_i = the expected social value of one unit, or a lower quantile of it
when the plan is risk-averse). One solve: each covered barrier weighs more than twice the
largest possible value, so no value can buy off a barrier; exact (``mip_rel_gap = 0``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from .inputs import Activity, Resources

RESOURCE_NAMES = ("budget_dkk", "coordinator_hours", "driften_hours", "facility_hours", "reach")
_TOL = 1e-7


@dataclass(frozen=True)
class Problem:
    activities: tuple[Activity, ...]
    objective: tuple[float, ...]  # per unit of scale
    lonely_reach: tuple[float, ...]  # expected lonely participants per unit
    lonely_residents: float  # expected
    resources: Resources
    barriers: tuple[str, ...] = ()  # the top barriers to cover
    cover_barriers: bool = True


@dataclass(frozen=True)
class Solution:
    scales: tuple[int, ...]
    objective: float
    covered: tuple[str, ...]
    uncovered: tuple[str, ...]
    usage: dict[str, float]
    limits: dict[str, float]

    @property
    def slack(self) -> dict[str, float]:
        return {name: self.limits[name] - self.usage[name] for name in RESOURCE_NAMES}


def _needs(activity: Activity, lonely_reach: float) -> dict[str, float]:
    return {
        "budget_dkk": activity.cost_dkk,
        "coordinator_hours": activity.coordinator_hours,
        "driften_hours": activity.driften_hours,
        "facility_hours": activity.facility_hours,
        "reach": lonely_reach,
    }


def needs_of(problem: Problem) -> list[dict[str, float]]:
    return [_needs(a, r) for a, r in zip(problem.activities, problem.lonely_reach, strict=True)]


def _limits(problem: Problem) -> dict[str, float]:
    r = problem.resources
    return {
        "budget_dkk": r.budget_dkk,
        "coordinator_hours": r.coordinator_hours,
        "driften_hours": r.driften_hours,
        "facility_hours": r.facility_hours,
        "reach": problem.lonely_residents,
    }


def _covering(problem: Problem) -> list[list[int]]:
    return [
        [i for i, a in enumerate(problem.activities) if b in a.barriers] for b in problem.barriers
    ]


def solve(problem: Problem) -> Solution:
    k = len(problem.activities)
    barriers = problem.barriers if problem.cover_barriers else ()
    m = len(barriers)
    n = 2 * k + m
    needs = needs_of(problem)
    limits = _limits(problem)
    if k == 0:
        return Solution((), 0.0, (), tuple(barriers), dict.fromkeys(RESOURCE_NAMES, 0.0), limits)
    for name, value in limits.items():
        if value < 0 or not np.isfinite(value):
            raise ValueError(f"{name} must be a finite number of at least 0")

    rows: list[np.ndarray] = []
    upper: list[float] = []
    lower: list[float] = []
    for name in RESOURCE_NAMES:
        row = np.zeros(n)
        row[:k] = [need[name] for need in needs]
        rows.append(row)
        lower.append(-np.inf)
        upper.append(limits[name] + _TOL * max(1.0, limits[name]))
    for i, activity in enumerate(problem.activities):
        row = np.zeros(n)
        row[i], row[k + i] = 1.0, -float(activity.max_scale)
        rows.append(row)
        lower.append(-np.inf)
        upper.append(0.0)
        row = np.zeros(n)
        row[k + i], row[i] = 1.0, -1.0
        rows.append(row)
        lower.append(-np.inf)
        upper.append(0.0)
    covering = _covering(problem) if m else []
    for j, members in enumerate(covering):
        row = np.zeros(n)
        row[2 * k + j] = 1.0
        row[[k + i for i in members]] = -1.0
        rows.append(row)
        lower.append(-np.inf)
        upper.append(0.0)

    integrality = np.ones(n)
    bounds = Bounds(
        np.zeros(n),
        np.concatenate([[a.max_scale for a in problem.activities], np.ones(k + m)]),
    )
    options = {"mip_rel_gap": 0.0, "disp": False, "time_limit": 30.0}
    # Lexicographic in one solve: a covered barrier is worth more than any possible value.
    values = np.asarray(problem.objective, dtype=np.float64)
    bound = float(
        sum(a.max_scale * max(v, 0.0) for a, v in zip(problem.activities, values, strict=True))
    )
    weight = 2.0 * bound + 1.0
    c = np.zeros(n)
    c[:k] = -values
    c[2 * k :] = -weight
    second = milp(
        c,
        integrality=integrality,
        bounds=bounds,
        constraints=LinearConstraint(np.array(rows), lower, upper),
        options=options,
    )
    if not second.success:  # x = 0 is always feasible; this means the solver failed
        raise RuntimeError(f"the portfolio solver failed: {second.message}")
    scales = tuple(round(float(v)) for v in second.x[:k])
    usage = {
        name: float(sum(s * need[name] for s, need in zip(scales, needs, strict=True)))
        for name in RESOURCE_NAMES
    }
    chosen = {i for i, s in enumerate(scales) if s > 0}
    covered = tuple(
        b for b, members in zip(barriers, covering, strict=True) if chosen & set(members)
    )
    uncovered = tuple(b for b in problem.barriers if b not in covered)
    objective = float(sum(s * c for s, c in zip(scales, problem.objective, strict=True)))
    return Solution(scales, objective, covered, uncovered, usage, limits)


def blocking(need: dict[str, float], slack: dict[str, float]) -> dict[str, float]:
    """What one more unit would lack: resource → shortfall (only resources that fall short)."""
    return {
        name: need[name] - slack[name]
        for name in RESOURCE_NAMES
        if need[name] > slack[name] + _TOL * max(1.0, abs(slack[name]))
    }


def top_barriers(
    shares: dict[str, float], how_many: int = 3, exclude: Sequence[str] = ("barrier_no_need",)
) -> tuple[str, ...]:
    """The barriers named by most respondents (ties broken by code, for reproducibility)."""
    ranked = sorted(
        ((code, share) for code, share in shares.items() if code not in exclude and share > 0),
        key=lambda item: (-item[1], item[0]),
    )
    return tuple(code for code, _ in ranked[:how_many])
