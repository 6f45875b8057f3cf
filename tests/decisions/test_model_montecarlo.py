"""Reproducibility by seed, the overlap cap, and the whole pure plan."""

from __future__ import annotations

import numpy as np

from lokalsamfund.decisions.model.distributions import Uncertain, share_from_ci
from lokalsamfund.decisions.model.inputs import Activity, Resources, Situation, ValueInputs
from lokalsamfund.decisions.model.montecarlo import Model, simulate
from lokalsamfund.decisions.model.plan import PlanOptions, build_plan


def _model(adults: int = 400, share: float = 0.12) -> Model:
    activities = (
        Activity(
            "dinner",
            "Dinner",
            "social_interaction",
            Uncertain(60, 40, 90),
            Uncertain(0.15, 0.08, 0.25),
            20000,
            60,
            10,
            96,
            max_scale=2,
            barriers=("barrier_know_nobody",),
        ),
        Activity(
            "visit",
            "Visit",
            "social_support",
            Uncertain(10, 6, 15),
            Uncertain(0.6, 0.4, 0.8),
            4000,
            70,
            0,
            0,
            max_scale=3,
            barriers=("barrier_health",),
        ),
    )
    values = ValueInputs(
        smd={
            "social_interaction": Uncertain(-0.5, -0.78, -0.17, "normal_ci"),
            "social_support": Uncertain(-0.34, -0.45, -0.22, "normal_ci"),
        },
        public_value_per_person_dkk=Uncertain(7960, 5970, 9950),
        share_aged_16_64=Uncertain(0.65, 0.5, 0.8),
        societal_value_per_person_dkk=Uncertain(80000, 40000, 83000),
        deadweight=Uncertain(0.25, 0.1, 0.4),
        attribution=Uncertain(0.2, 0.1, 0.3),
        displacement=Uncertain(0.05, 0.0, 0.1),
        drop_off=Uncertain(0.5, 0.3, 0.7),
        discount_rate=0.035,
        benefit_years=3,
        coordinator_hour_cost_dkk=450,
        driften_hour_cost_dkk=400,
    )
    situation = Situation(
        adults,
        share_from_ci(share, share - 0.04, share + 0.05),
        {3: 40, 4: 30, 5: 20, 6: 10, 7: 8, 8: 4, 9: 2},
        {"barrier_know_nobody": 0.3, "barrier_health": 0.2},
    )
    return Model(activities, values, situation)


def test_same_seed_same_draws_and_other_seed_other_draws() -> None:
    model = _model()
    a = simulate(model, np.ones(2), draws=500, seed=7)
    b = simulate(model, np.ones(2), draws=500, seed=7)
    c = simulate(model, np.ones(2), draws=500, seed=8)
    assert np.array_equal(a.social_value, b.social_value)
    assert not np.array_equal(a.social_value, c.social_value)


def test_reach_never_exceeds_the_lonely_residents() -> None:
    model = _model(adults=30, share=0.1)  # about 3 lonely residents
    outcome = simulate(model, np.array([2.0, 3.0]), draws=2000, seed=1)
    total = outcome.lonely_participants.sum(axis=1)
    assert np.all(total <= outcome.lonely_residents + 1e-9)
    assert (outcome.cap_factor < 1).any()


def test_plan_is_reproducible_and_within_resources() -> None:
    model = _model()
    resources = Resources(30000, 150, 20, 200)
    one = build_plan(model, resources, PlanOptions(draws=2000, seed=3))
    two = build_plan(model, resources, PlanOptions(draws=2000, seed=3))
    assert one.totals == two.totals
    assert one.cost_dkk <= 30000
    assert one.totals["people_helped"].p5 <= one.totals["people_helped"].p50
    assert one.totals["people_helped"].p50 <= one.totals["people_helped"].p95
    assert one.sensitivity
    assert one.sensitivity[0].swing >= one.sensitivity[-1].swing


def test_risk_averse_plan_uses_a_lower_quantile() -> None:
    model = _model()
    resources = Resources(30000, 150, 20, 200)
    neutral = build_plan(model, resources, PlanOptions(draws=2000, seed=3))
    cautious = build_plan(model, resources, PlanOptions(draws=2000, seed=3, risk_quantile=0.1))
    assert cautious.solution.objective < neutral.solution.objective
