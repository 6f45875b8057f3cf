"""One plan: simulate each activity, choose the portfolio, simulate the portfolio, explain it.

Pure: takes the model inputs and returns numbers and structured reasons; the Django layer
turns them into words (translated) and JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np

from .inputs import Activity, Resources, input_cost_dkk
from .montecarlo import Array, Model, Outcome, evaluate, quantiles, uniform_columns
from .portfolio import Problem, Solution, blocking, needs_of, solve, top_barriers
from .sensitivity import Bar, tornado


class Q(NamedTuple):
    p5: float
    p50: float
    p95: float

    @classmethod
    def of(cls, values: Array) -> Q:
        return cls(*quantiles(values))

    @classmethod
    def columns(cls, values: Array) -> list[Q]:
        """P5, P50, P95 of each column of a (draws, k) array, in one call."""
        if values.shape[1] == 0:
            return []
        table = np.percentile(values, [5, 50, 95], axis=0)
        return [cls(float(a), float(b), float(c)) for a, b, c in table.T]


@dataclass(frozen=True)
class PlanOptions:
    draws: int = 10_000
    seed: int = 1
    risk_quantile: float | None = None  # e.g. 0.1: maximise the 10th percentile of unit value
    top_barriers: int = 3
    cover_barriers: bool = True
    sensitivity_bars: int = 12


@dataclass(frozen=True)
class ChosenActivity:
    activity: Activity
    scale: int
    input_cost_dkk: float
    participants: Q
    lonely_participants: Q
    people_helped: Q
    social_value: Q
    public_value: Q
    unit_value: float  # the objective coefficient (expected or quantile), per unit
    covers_top: tuple[str, ...]
    limited_by: tuple[str, ...]  # "max_scale" and/or resources one more unit would lack


@dataclass(frozen=True)
class LeftOut:
    activity: Activity
    unit_value: float
    unit_social_value: Q
    unit_people_helped: Q
    covers_top: tuple[str, ...]
    blocked_by: dict[str, float]  # resource → shortfall for one unit (empty: not worth it)


@dataclass(frozen=True)
class PlanResult:
    model: Model
    resources: Resources
    options: PlanOptions
    solution: Solution
    top_barriers: tuple[str, ...]
    chosen: list[ChosenActivity]
    left_out: list[LeftOut]
    lonely_residents: Q
    annual_cost_public: Q
    annual_cost_societal: Q
    totals: dict[str, Q]
    cost_dkk: float
    input_cost_dkk: float
    cap_binding_share: float  # share of draws where overlap scaled reach down
    sensitivity: list[Bar] = field(default_factory=list)


@dataclass(frozen=True)
class BudgetVariant:
    """The plan's headline figures at another budget (the what-if table)."""

    budget_dkk: float
    cost_dkk: float
    people_helped: Q
    social_value: Q
    chosen: tuple[tuple[Activity, int], ...]  # (activity, scale), largest social value first


def _unit_outcome(model: Model, options: PlanOptions) -> tuple[dict[str, Array], Outcome]:
    """The draws and every activity's outcome at scale 1: the same for every budget."""
    columns = uniform_columns(model, options.draws, options.seed)
    return columns, evaluate(model, columns, np.ones(len(model.activities)), apply_cap=False)


def _problem(
    model: Model, resources: Resources, options: PlanOptions, unit: Outcome
) -> tuple[Problem, tuple[str, ...]]:
    if options.risk_quantile is None:
        objective = unit.social_value.mean(axis=0) if model.activities else np.zeros(0)
    else:
        objective = np.quantile(unit.social_value, options.risk_quantile, axis=0)
    barriers = top_barriers(dict(model.situation.barrier_shares), options.top_barriers)
    problem = Problem(
        activities=model.activities,
        objective=tuple(float(v) for v in objective),
        lonely_reach=tuple(float(v) for v in unit.lonely_participants.mean(axis=0)),
        lonely_residents=float(unit.lonely_residents.mean()),
        resources=resources,
        barriers=barriers,
        cover_barriers=options.cover_barriers,
    )
    return problem, barriers


def build_plan(model: Model, resources: Resources, options: PlanOptions) -> PlanResult:
    columns, unit = _unit_outcome(model, options)
    problem, barriers = _problem(model, resources, options, unit)
    solution = solve(problem)
    scales = np.array(solution.scales, dtype=np.float64)
    final = evaluate(model, columns, scales)
    return _assemble(model, resources, options, problem, solution, unit, final, barriers)


def budget_variants(
    model: Model, resources: Resources, options: PlanOptions, budgets: Sequence[float]
) -> list[BudgetVariant]:
    """The same plan at other budgets, with the same draws: the draws and the activities'
    unit outcomes are computed once, then per budget only the portfolio is chosen and the
    chosen portfolio evaluated (no sensitivity, no reasons). Equal to ``build_plan``'s
    totals at each budget."""
    columns, unit = _unit_outcome(model, options)
    variants = []
    for budget in budgets:
        at = replace(resources, budget_dkk=budget)
        problem, _ = _problem(model, at, options, unit)
        solution = solve(problem)
        final = evaluate(model, columns, np.array(solution.scales, dtype=np.float64))
        median = np.median(final.social_value, axis=0)
        order = sorted(
            (i for i, s in enumerate(solution.scales) if s > 0),
            key=lambda i: (-median[i], model.activities[i].slug),
        )
        chosen = tuple((model.activities[i], solution.scales[i]) for i in order)
        variants.append(
            BudgetVariant(
                budget_dkk=budget,
                cost_dkk=float(sum(s * a.cost_dkk for a, s in chosen)),
                people_helped=Q.of(final.helped.sum(axis=1)),
                social_value=Q.of(final.social_value.sum(axis=1)),
                chosen=chosen,
            )
        )
    return variants


def _assemble(
    model: Model,
    resources: Resources,
    options: PlanOptions,
    problem: Problem,
    solution: Solution,
    unit: Outcome,
    final: Outcome,
    barriers: tuple[str, ...],
) -> PlanResult:
    needs = needs_of(problem)
    slack = solution.slack
    q_participants = Q.columns(final.participants)
    q_lonely = Q.columns(final.lonely_participants)
    q_helped = Q.columns(final.helped)
    q_social = Q.columns(final.social_value)
    q_public = Q.columns(final.public_value)
    q_unit_social = Q.columns(unit.social_value)
    q_unit_helped = Q.columns(unit.helped)
    chosen: list[ChosenActivity] = []
    left_out: list[LeftOut] = []
    for i, activity in enumerate(model.activities):
        scale = solution.scales[i]
        covers = tuple(b for b in barriers if b in activity.barriers)
        if scale > 0:
            limited = tuple(blocking(needs[i], slack))
            if scale >= activity.max_scale:
                limited = ("max_scale", *limited)
            chosen.append(
                ChosenActivity(
                    activity=activity,
                    scale=scale,
                    input_cost_dkk=scale * input_cost_dkk(activity, model.values),
                    participants=q_participants[i],
                    lonely_participants=q_lonely[i],
                    people_helped=q_helped[i],
                    social_value=q_social[i],
                    public_value=q_public[i],
                    unit_value=problem.objective[i],
                    covers_top=covers,
                    limited_by=limited,
                )
            )
        else:
            left_out.append(
                LeftOut(
                    activity=activity,
                    unit_value=problem.objective[i],
                    unit_social_value=q_unit_social[i],
                    unit_people_helped=q_unit_helped[i],
                    covers_top=covers,
                    blocked_by=blocking(needs[i], slack),
                )
            )
    chosen.sort(key=lambda c: (-c.social_value.p50, c.activity.slug))
    left_out.sort(key=lambda lo: (-lo.unit_value, lo.activity.slug))

    cost = float(sum(c.scale * c.activity.cost_dkk for c in chosen))
    input_cost = float(sum(c.input_cost_dkk for c in chosen))
    social = final.social_value.sum(axis=1)
    totals = {
        "participants": Q.of(final.participants.sum(axis=1)),
        "lonely_participants": Q.of(final.lonely_participants.sum(axis=1)),
        "people_helped": Q.of(final.helped.sum(axis=1)),
        "social_value_dkk": Q.of(social),
        "public_value_dkk": Q.of(final.public_value.sum(axis=1)),
        "sroi": Q.of(social / input_cost if input_cost > 0 else np.zeros_like(social)),
    }
    scales = np.array(solution.scales, dtype=np.float64)
    bars = tornado(model, scales, limit=options.sensitivity_bars) if chosen else []
    return PlanResult(
        model=model,
        resources=resources,
        options=options,
        solution=solution,
        top_barriers=barriers,
        chosen=chosen,
        left_out=left_out,
        lonely_residents=Q.of(final.lonely_residents),
        annual_cost_public=Q.of(final.annual_cost_public),
        annual_cost_societal=Q.of(final.annual_cost_societal),
        totals=totals,
        cost_dkk=cost,
        input_cost_dkk=input_cost,
        cap_binding_share=float((final.cap_factor < 1).mean()),
        sensitivity=bars,
    )
