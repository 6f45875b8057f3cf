"""The MILP respects every constraint, is optimal on small cases, and more budget never
gives a lower optimum (property-based)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from lokalsamfund.decisions.model.distributions import Uncertain
from lokalsamfund.decisions.model.inputs import Activity, Resources
from lokalsamfund.decisions.model.portfolio import RESOURCE_NAMES, Problem, solve, top_barriers

BARRIERS = ("barrier_a", "barrier_b", "barrier_c")


@st.composite
def problems(draw: st.DrawFn, max_activities: int = 5) -> Problem:
    k = draw(st.integers(1, max_activities))
    activities = []
    for i in range(k):
        activities.append(
            Activity(
                slug=f"a{i}",
                name=f"A{i}",
                evidence_class="x",
                participants=Uncertain.point(10),
                lonely_share=Uncertain.point(0.2),
                cost_dkk=draw(st.integers(0, 50_000)),
                coordinator_hours=draw(st.integers(0, 120)),
                driften_hours=draw(st.integers(0, 60)),
                facility_hours=draw(st.integers(0, 150)),
                max_scale=draw(st.integers(1, 3)),
                barriers=tuple(draw(st.sets(st.sampled_from(BARRIERS), max_size=2))),
            )
        )
    return Problem(
        activities=tuple(activities),
        objective=tuple(draw(st.floats(0, 1e6)) for _ in range(k)),
        lonely_reach=tuple(draw(st.floats(0, 10)) for _ in range(k)),
        lonely_residents=draw(st.floats(0, 40)),
        resources=Resources(
            budget_dkk=draw(st.integers(0, 150_000)),
            coordinator_hours=draw(st.integers(0, 300)),
            driften_hours=draw(st.integers(0, 100)),
            facility_hours=draw(st.integers(0, 300)),
        ),
        barriers=tuple(draw(st.lists(st.sampled_from(BARRIERS), max_size=3, unique=True))),
        cover_barriers=draw(st.booleans()),
    )


def _with_budget(problem: Problem, budget: float) -> Problem:
    r = problem.resources
    return Problem(
        problem.activities,
        problem.objective,
        problem.lonely_reach,
        problem.lonely_residents,
        Resources(budget, r.coordinator_hours, r.driften_hours, r.facility_hours),
        problem.barriers,
        problem.cover_barriers,
    )


@settings(max_examples=60, deadline=None)
@given(problems())
def test_solution_respects_every_constraint(problem: Problem) -> None:
    solution = solve(problem)
    for name in RESOURCE_NAMES:
        assert solution.usage[name] <= solution.limits[name] * (1 + 1e-6) + 1e-6, name
    for scale, activity in zip(solution.scales, problem.activities, strict=True):
        assert 0 <= scale <= activity.max_scale
    chosen = {a.slug for a, s in zip(problem.activities, solution.scales, strict=True) if s}
    for barrier in solution.covered:
        assert any(a.slug in chosen and barrier in a.barriers for a in problem.activities)


@settings(max_examples=60, deadline=None)
@given(problems(), st.integers(0, 100_000))
def test_more_budget_never_gives_a_lower_optimum(problem: Problem, extra: int) -> None:
    before = solve(problem)
    after = solve(_with_budget(problem, problem.resources.budget_dkk + extra))
    key_before = (len(before.covered), before.objective)
    key_after = (len(after.covered), after.objective)
    if key_after[0] == key_before[0]:
        assert key_after[1] >= key_before[1] * (1 - 1e-9) - 1e-6
    else:
        assert key_after[0] > key_before[0]


@settings(max_examples=40, deadline=None)
@given(problems(max_activities=3))
def test_optimal_against_brute_force(problem: Problem) -> None:
    solution = solve(problem)
    best: tuple[int, float] = (-1, -1.0)
    limits = solution.limits
    ranges = [range(a.max_scale + 1) for a in problem.activities]
    for scales in itertools.product(*ranges):
        usage = {
            "budget_dkk": sum(
                s * a.cost_dkk for s, a in zip(scales, problem.activities, strict=True)
            ),
            "coordinator_hours": sum(
                s * a.coordinator_hours for s, a in zip(scales, problem.activities, strict=True)
            ),
            "driften_hours": sum(
                s * a.driften_hours for s, a in zip(scales, problem.activities, strict=True)
            ),
            "facility_hours": sum(
                s * a.facility_hours for s, a in zip(scales, problem.activities, strict=True)
            ),
            "reach": sum(s * r for s, r in zip(scales, problem.lonely_reach, strict=True)),
        }
        if any(usage[n] > limits[n] + 1e-7 * max(1.0, limits[n]) for n in RESOURCE_NAMES):
            continue
        covered = (
            sum(
                any(s and b in a.barriers for s, a in zip(scales, problem.activities, strict=True))
                for b in problem.barriers
            )
            if problem.cover_barriers
            else 0
        )
        value = sum(s * c for s, c in zip(scales, problem.objective, strict=True))
        best = max(best, (covered, value))
    got = (len(solution.covered) if problem.cover_barriers else 0, solution.objective)
    assert got[0] == best[0]
    assert got[1] >= best[1] * (1 - 1e-7) - 1e-6


def test_top_barriers_skip_no_need_and_break_ties_by_code() -> None:
    shares = {"barrier_no_need": 0.9, "barrier_b": 0.3, "barrier_a": 0.3, "barrier_c": 0.1}
    assert top_barriers(shares, 2) == ("barrier_a", "barrier_b")
