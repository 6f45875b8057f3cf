"""Benchmark of the decision tool (issue 5).

1. The synthetic national data set: 1,000,000 responses over 7,085 departments from the survey
   domain's generator (``lokalsamfund.surveys.synthetic``, seed 2023, as in
   benchmarks/survey_results.py), analysed by the survey domain's own code with disclosure
   control (``analysis.compute_results``, ``to_payloads``, ``ucla_score_counts``) and read into
   ``DepartmentEvidence`` per department as stored results are (``evidence.from_group``; see
   ``decisions.survey_data``). Each department's adult residents are taken to be its
   respondents (the data set is the national scale: about a million answers a round).
2. One plan with 10,000 draws over the shipped catalogue (15 activity types) for the department
   of the data set nearest to 410 respondents (the demo's A1): Monte Carlo, MILP (HiGHS),
   sensitivity. Target: <= 1 s.
3. Plans for every department of the data set with shown results (a department suppressed by
   disclosure control has no evidence and is counted, not planned), 1,000 draws each, on 2
   processes. Resources per department: 350 DKK and 0.35 coordinator hours per adult (plus
   100 h), 40 driften hours, 500 free fælleshus hours (the data set has no bookings). Target:
   all departments <= 2 min.
4. Baseline in the same run: the Monte Carlo of plan 2 (every activity's social value per
   draw) as a pure-Python loop with ``random``, against the vectorised NumPy version; ratio.

Pure: no database (reads the shipped data files). Prints times and peak memory.
"""

from __future__ import annotations

import gc
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
from lokalsamfund.decisions.survey_data import evidence_from_responses  # noqa: E402
from lokalsamfund.surveys import synthetic  # noqa: E402
from lokalsamfund.surveys.evidence import Benchmark, DepartmentEvidence  # noqa: E402

DATA = ROOT / "src" / "lokalsamfund" / "decisions" / "data"
RESPONSES = 1_000_000
DEPARTMENTS = 7_085
SEED = 2023
NATIONAL_DRAWS = 1_000
BENCHMARK = Benchmark(0.124, 2021, "Den Nationale Sundhedsprofil 2021")
EVIDENCE: list[DepartmentEvidence] = []  # the national data set's, shared with the workers
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


def national_evidence() -> tuple[list[DepartmentEvidence], int, dict[str, float]]:
    """Evidence of every shown department of the synthetic national data set, the number of
    suppressed departments, and the time of each step."""
    times = {}
    t0 = time.perf_counter()
    frame = synthetic.responses(RESPONSES, department_count=DEPARTMENTS, seed=SEED)
    times["generate"] = time.perf_counter() - t0
    respondents = dict(frame.group_by("department").len().iter_rows())
    t0 = time.perf_counter()
    found = evidence_from_responses(
        frame, round_slug="national", adult_residents=respondents, benchmark=BENCHMARK
    )
    times["evidence"] = time.perf_counter() - t0
    shown = [e for code in sorted(found) if (e := found[code]) is not None]
    return shown, len(found) - len(shown), times


def situation(evidence: DepartmentEvidence) -> Situation:
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
    chosen = 0
    social = 0.0
    for i in range(start, stop):
        evidence = EVIDENCE[i]
        adults = evidence.adult_residents
        model = Model(activities, values, situation(evidence))
        resources = Resources(
            budget_dkk=350.0 * adults,
            coordinator_hours=100 + 0.35 * adults,
            driften_hours=40,
            facility_hours=500,
        )
        plan = build_plan(model, resources, PlanOptions(draws=NATIONAL_DRAWS, seed=i))
        chosen += len(plan.chosen)
        social += plan.totals["social_value_dkk"].p50
    return stop - start, chosen, social


def main() -> None:
    evidence, suppressed, prep = national_evidence()
    EVIDENCE.extend(evidence)
    gc.collect()
    print(
        f"national data set: {RESPONSES:,} synthetic responses over {DEPARTMENTS:,} departments "
        f"generated in {prep['generate']:.1f} s; survey analysis with disclosure control to "
        f"evidence in {prep['evidence']:.1f} s: {len(evidence):,} departments shown, "
        f"{suppressed:,} suppressed"
    )
    activities, values = shipped()
    one = min(evidence, key=lambda e: (abs(e.adult_residents - 410), e.department_code))
    model = Model(activities, values, situation(one))
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
        f"(target <= 1 s), department {one.department_code} ({one.adult_residents} adults, "
        f"severe loneliness {one.severe_loneliness.value:.1%}), "
        f"peak traced memory {peak_one / 1e6:.1f} MB; "
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

    count = len(EVIDENCE)
    step = math.ceil(count / (WORKERS * 8))
    chunks = [(s, min(s + step, count)) for s in range(0, count, step)]
    t0 = time.perf_counter()
    with get_context("fork").Pool(WORKERS) as pool:
        results = pool.map(national_chunk, chunks)
    national = time.perf_counter() - t0
    done = sum(r[0] for r in results)
    chosen = sum(r[1] for r in results)
    total = sum(r[2] for r in results)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = children.ru_utime + children.ru_stime
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = children.ru_maxrss / 1024
    print(
        f"national: {done:,} departments planned, {NATIONAL_DRAWS:,} draws each, {WORKERS} "
        f"processes: {national:.1f} s (target <= 120 s), {national / done * 1000:.1f} ms per "
        f"department; with the data set's analysis {national + prep['evidence']:.1f} s; "
        f"CPU time of the workers {cpu:.1f} s ({cpu / done * 1000:.1f} ms per plan: on "
        f"{WORKERS} free cores about {cpu / WORKERS:.0f} s); "
        f"{chosen / done:.1f} activities per plan on average; sum of P50 social values "
        f"{total / 1e6:,.0f} million DKK"
    )
    print(
        f"peak memory (max RSS): main process {peak_self:.0f} MB, "
        f"largest worker {peak_children:.0f} MB"
    )


if __name__ == "__main__":
    main()
