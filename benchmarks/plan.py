"""Benchmark of the decision tool (issue 5).

1. One plan with 10,000 draws over the shipped catalogue (15 activity types), for a department
   of 410 adults: Monte Carlo, MILP (HiGHS), sensitivity. Target: <= 1 s.
2. Plans for all 7,085 departments of a synthetic national data set (seeded generator in
   lokalsamfund.decisions.model.synthetic; department sizes lognormal around 84 homes with 1.4
   adults per home, so about 830,000 adults in all). Each plan uses 1,000 draws. Target: <= 2 min.
3. Baseline in the same run: the Monte Carlo of plan 1 (every activity's social value per draw)
   as a pure-Python loop with ``random``, against the vectorised NumPy version; their ratio.

Pure: no database (reads the shipped data files). Prints times and peak memory.
"""

from __future__ import annotations

import json
import math
import os
import random
import resource
import sys
import time
import tracemalloc
from multiprocessing import get_context
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lokalsamfund.decisions.model.distributions import Uncertain, share_from_ci  # noqa: E402
from lokalsamfund.decisions.model.inputs import (  # noqa: E402
    Activity,
    Resources,
    Situation,
    ValueInputs,
)
from lokalsamfund.decisions.model.montecarlo import Model, evaluate, uniform_columns  # noqa: E402
from lokalsamfund.decisions.model.people import lonely_weights, ucla_sd  # noqa: E402
from lokalsamfund.decisions.model.plan import PlanOptions, build_plan  # noqa: E402
from lokalsamfund.decisions.model.synthetic import synthetic_evidence  # noqa: E402

DATA = ROOT / "src" / "lokalsamfund" / "decisions" / "data"
DEPARTMENTS = 7_085
NATIONAL_DRAWS = 1_000
WORKERS = min(2, os.cpu_count() or 1)


def _u(p: dict, scale: float = 1.0) -> Uncertain:
    clip = p["unit"].startswith("share")
    return Uncertain(
        p["value"] * scale,
        p["low"] * scale,
        p["high"] * scale,
        p["distribution"],
        clip_low=0.0 if clip else None,
        clip_high=1.0 if clip else None,
    )


def shipped() -> tuple[tuple[Activity, ...], ValueInputs]:
    acts = json.loads((DATA / "activities.json").read_text(encoding="utf-8"))["activities"]
    ps = {
        p["key"]: p
        for p in json.loads((DATA / "parameters.json").read_text(encoding="utf-8"))["parameters"]
    }
    activities = tuple(
        Activity(
            slug=a["slug"],
            name=a["name_da"],
            evidence_class=a["evidence_class"],
            participants=Uncertain(
                a["participants"]["value"], a["participants"]["low"], a["participants"]["high"]
            ),
            lonely_share=Uncertain(
                a["lonely_share"]["value"], a["lonely_share"]["low"], a["lonely_share"]["high"]
            ),
            cost_dkk=a["materials_dkk"],
            coordinator_hours=a["coordinator_hours"],
            driften_hours=a["driften_hours"],
            facility_hours=a["facility_hours"],
            volunteer_hours=a["volunteer_hours"],
            max_scale=a["max_scale"],
            barriers=tuple(a["barriers"]),
            wishes=tuple(a["wishes"]),
        )
        for a in acts
    )
    values = ValueInputs(
        smd={k[4:]: _u(p) for k, p in ps.items() if k.startswith("smd_")},
        public_value_per_person_dkk=_u(ps["public_value_per_person"]),
        share_aged_16_64=_u(ps["share_aged_16_64"]),
        societal_value_per_person_dkk=_u(
            ps["societal_value_per_person_gbp"], ps["gbp_dkk_rate"]["value"]
        ),
        deadweight=_u(ps["deadweight"]),
        attribution=_u(ps["attribution"]),
        displacement=_u(ps["displacement"]),
        drop_off=_u(ps["drop_off"]),
        discount_rate=ps["discount_rate"]["value"],
        benefit_years=int(ps["benefit_years"]["value"]),
        coordinator_hour_cost_dkk=ps["coordinator_hour_cost"]["value"],
        driften_hour_cost_dkk=ps["driften_hour_cost"]["value"],
    )
    return activities, values


def situation(evidence) -> Situation:  # type: ignore[no-untyped-def]
    s = evidence.severe_loneliness
    return Situation(
        evidence.adult_residents,
        share_from_ci(s.value, s.ci_low, s.ci_high),
        evidence.ucla_score_counts,
        {k: v.value for k, v in evidence.barrier_shares.items()},
    )


def python_loop_social_values(model: Model, draws: int, seed: int) -> list[list[float]]:
    """The same unit Monte Carlo as ``evaluate(..., apply_cap=False)``, one draw at a time."""
    rng = random.Random(seed)
    names = list(model.inputs)
    sd = ucla_sd(model.situation.ucla_counts)
    w = lonely_weights(model.situation.ucla_counts)
    v = model.values
    out = []
    for _ in range(draws):
        x = {n: model.inputs[n].quantile(rng.random()) for n in names}
        net = (1 - x["deadweight"]) * (1 - x["attribution"]) * (1 - x["displacement"])
        pv = sum(
            (1 - x["drop_off"]) ** (t - 1) / (1 + v.discount_rate) ** t
            for t in range(1, v.benefit_years + 1)
        )
        row = []
        for a in model.activities:
            d = max(-x[f"smd:{a.evidence_class}"] * sd, 0.0)
            cross = sum(
                wi * min(max(d - (s - 7), 0.0), 1.0) for wi, s in zip(w, (7, 8, 9), strict=True)
            )
            helped = x[f"participants:{a.slug}"] * x[f"lonely_share:{a.slug}"] * cross
            row.append(helped * net * pv * x["societal_value"])
        out.append(row)
    return out


def national_chunk(args: tuple[int, int]) -> tuple[int, float, float]:
    start, stop = args
    activities, values = shipped()
    rng = np.random.default_rng(2025)
    homes = np.clip(rng.lognormal(math.log(70), 0.6, DEPARTMENTS), 8, 1500).round()
    chosen = 0
    social = 0.0
    for i in range(start, stop):
        adults = int(homes[i] * 1.4)
        evidence = synthetic_evidence(
            code=f"D{i:05d}",
            adult_residents=adults,
            rng=np.random.default_rng([2025, i]),
            round_slug="national",
        )
        model = Model(activities, values, situation(evidence))
        resources = Resources(
            budget_dkk=float(homes[i] * 500),
            coordinator_hours=100 + homes[i] * 0.5,
            driften_hours=40,
            facility_hours=500,
        )
        plan = build_plan(model, resources, PlanOptions(draws=NATIONAL_DRAWS, seed=i))
        chosen += len(plan.chosen)
        social += plan.totals["social_value_dkk"].p50
    return stop - start, chosen, social


def main() -> None:
    activities, values = shipped()
    evidence = synthetic_evidence(code="A1", adult_residents=410, rng=np.random.default_rng(1))
    model = Model(activities, values, situation(evidence))
    resources = Resources(150_000, 200, 50, 500)
    build_plan(model, resources, PlanOptions(draws=1_000, seed=1))  # warm up imports and HiGHS

    tracemalloc.start()
    t0 = time.perf_counter()
    plan = build_plan(model, resources, PlanOptions(draws=10_000, seed=7))
    one_plan = time.perf_counter() - t0
    _, peak_one = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"one plan, 10,000 draws, {len(activities)} activity types: {one_plan:.3f} s "
        f"(target <= 1 s), peak traced memory {peak_one / 1e6:.1f} MB; "
        f"{len(plan.chosen)} activities chosen, P50 social value "
        f"{plan.totals['social_value_dkk'].p50:,.0f} DKK"
    )

    k = len(activities)
    t0 = time.perf_counter()
    columns = uniform_columns(model, 10_000, 7)
    numpy_values = evaluate(model, columns, np.ones(k), apply_cap=False).social_value
    numpy_time = time.perf_counter() - t0
    t0 = time.perf_counter()
    loop_values = python_loop_social_values(model, 10_000, 7)
    loop_time = time.perf_counter() - t0
    loop_mean = np.mean(np.array(loop_values), axis=0).sum()
    print(
        f"Monte Carlo, 10,000 draws x {k} activities: NumPy {numpy_time * 1000:.1f} ms, "
        f"pure-Python loop {loop_time * 1000:.0f} ms, ratio {loop_time / numpy_time:.0f}x "
        f"(mean total unit value: NumPy {numpy_values.mean(axis=0).sum():,.0f}, "
        f"loop {loop_mean:,.0f} DKK; different random streams)"
    )

    step = math.ceil(DEPARTMENTS / (WORKERS * 8))
    chunks = [(s, min(s + step, DEPARTMENTS)) for s in range(0, DEPARTMENTS, step)]
    t0 = time.perf_counter()
    with get_context("fork").Pool(WORKERS) as pool:
        results = pool.map(national_chunk, chunks)
    national = time.perf_counter() - t0
    done = sum(r[0] for r in results)
    chosen = sum(r[1] for r in results)
    total = sum(r[2] for r in results)
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"national: {done:,} departments, {NATIONAL_DRAWS:,} draws each, {WORKERS} processes: "
        f"{national:.1f} s (target <= 120 s), {national / done * 1000:.1f} ms per department; "
        f"{chosen / done:.1f} activities per plan on average; sum of P50 social values "
        f"{total / 1e6:,.0f} million DKK"
    )
    print(
        f"peak memory (max RSS): main process {peak_self:.0f} MB, "
        f"largest worker {peak_children:.0f} MB"
    )


if __name__ == "__main__":
    main()
