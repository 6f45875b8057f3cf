"""A documented, seeded generator of survey evidence for departments that have none.

Used for the national benchmark (7,085 departments) and for clearly labelled *example data*
(never presented as a department's own survey). Severe-loneliness shares are drawn around the
national 2021 level (Beta(6, 42), mean 12.5 %); respondents are 25–50 % of adult residents
(at least 20); UCLA-3 scores spread the lonely mass over 7/8/9 as 50/30/20 % and the rest
over 3/4/5/6 as 35/25/22/18 %; barrier shares are Beta draws around typical levels.
"""

from __future__ import annotations

import math

import numpy as np

from lokalsamfund.surveys.evidence import Benchmark, DepartmentEvidence, Share

NATIONAL_BENCHMARK = Benchmark(
    value=0.124,
    year=2021,
    source="Den Nationale Sundhedsprofil 2021 (Sundhedsstyrelsen), UCLA-3 ≥ 7, adults 16+",
)
BARRIER_MEANS = {
    "barrier_no_info": 0.30,
    "barrier_time": 0.28,
    "barrier_know_nobody": 0.25,
    "barrier_first_step": 0.20,
    "barrier_not_welcome": 0.06,
    "barrier_language": 0.08,
    "barrier_health": 0.12,
    "barrier_cost": 0.07,
    "barrier_childcare": 0.05,
    "barrier_no_relevant": 0.18,
    "barrier_no_need": 0.22,
}
_LONELY_SPLIT = (0.5, 0.3, 0.2)
_OTHER_SPLIT = (0.35, 0.25, 0.22, 0.18)


def wilson(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score 95 % interval of a share."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def share(successes: int, n: int) -> Share:
    low, high = wilson(successes, n)
    return Share(value=successes / n if n else 0.0, ci_low=low, ci_high=high, denominator=n)


def synthetic_evidence(
    *, code: str, adult_residents: int, rng: np.random.Generator, round_slug: str = "eksempeldata"
) -> DepartmentEvidence:
    severe = float(rng.beta(6, 42))
    n = max(20, round(adult_residents * float(rng.uniform(0.25, 0.5))))
    probs = [(1 - severe) * s for s in _OTHER_SPLIT] + [severe * s for s in _LONELY_SPLIT]
    counts = rng.multinomial(n, probs)
    ucla = {score: int(c) for score, c in zip(range(3, 10), counts, strict=True)}
    lonely = ucla[7] + ucla[8] + ucla[9]
    barriers = {}
    for barrier, mean in BARRIER_MEANS.items():
        p = float(rng.beta(mean * 20, (1 - mean) * 20))
        barriers[barrier] = share(int(rng.binomial(n, p)), n)
    return DepartmentEvidence(
        round_slug=round_slug,
        department_code=code,
        n=n,
        adult_residents=adult_residents,
        severe_loneliness=share(lonely, n),
        ucla_score_counts=ucla,
        benchmark=NATIONAL_BENCHMARK,
        barrier_shares=barriers,
    )


def example_rng(code: str) -> np.random.Generator:
    """A generator seeded from the department code, so example data is stable."""
    return np.random.default_rng([ord(ch) for ch in code] or [0])
