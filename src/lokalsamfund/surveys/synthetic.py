"""A seeded generator of synthetic survey responses (NumPy and Polars, no Django).

Used by the demo, the tests and the benchmarks (the decision tool's too): ``responses(...)``
returns a Polars frame with ``department`` and every canonical answer column, coded as in
instrument.py (null = not answered). Nothing here is real data.

The model, documented in docs/surveys.md ("Synthetic data"):

- Background: age groups, households (about half live alone, as in social housing, where
  68 % of households are single), years lived there and gender from fixed shares; about 2-3 %
  of each left unanswered (gender, optional, more often).
- A latent loneliness ``L`` per respondent = the department's effect (normal, sd
  ``department_spread``) + age (16-24 and 75+ higher) + living alone + noise. The UCLA-3
  items, the direct item and "unwanted alone" are thresholded from ``L`` plus item noise; the
  thresholds are set so that about 13-14 % score 7-9 overall, near the national 12.4 % (2021).
- Well-being ``W`` falls with ``L``; WHO-5 items (0-5) give a mean score near 60 and about
  a quarter at or below 50.
- Neighbourliness falls with ``L`` and varies by department; it drives talk with neighbours,
  belonging, trust, help and participation.
- Barriers and wishes: each block answered by about 85 %; every flag is a Bernoulli draw whose
  probability rises with ``L`` for the social barriers.
- Every other item is left unanswered with probability ``item_nonresponse``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from . import instrument

AGE_SHARES = [0.12, 0.16, 0.14, 0.15, 0.15, 0.15, 0.13]
AGE_EFFECT = [0.55, 0.15, 0.0, 0.0, 0.05, 0.1, 0.35]
HOUSEHOLD_SHARES = [0.50, 0.17, 0.12, 0.14, 0.07]
HOUSEHOLD_EFFECT = [0.45, -0.2, -0.3, 0.25, 0.1]
YEARS_SHARES = [0.10, 0.30, 0.22, 0.38]
GENDER_SHARES = [0.53, 0.45, 0.02]
BARRIER_BASE = [0.30, 0.25, 0.22, 0.20, 0.05, 0.07, 0.12, 0.08, 0.05, 0.20, 0.30]
BARRIER_LONELINESS_SLOPE = [0.2, 0.0, 0.5, 0.6, 0.7, 0.3, 0.3, 0.2, 0.1, 0.1, -0.6]
WISH_BASE = [0.32, 0.25, 0.22, 0.20, 0.15, 0.10, 0.10, 0.15, 0.25, 0.15]


def department_codes(count: int) -> list[str]:
    width = max(4, len(str(count)))
    return [f"D{i:0{width}d}" for i in range(1, count + 1)]


def department_sizes(total: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """Respondents per department: log-normal weights (a few large, many small departments)
    summing to ``total``."""
    weights = rng.lognormal(mean=0.0, sigma=0.8, size=count)
    sizes = np.floor(weights / weights.sum() * total).astype(np.int64)
    sizes[np.argsort(-weights)[: total - sizes.sum()]] += 1
    return sizes


def _levels(latent: np.ndarray, cuts: Sequence[float], start: int = 1) -> np.ndarray:
    return (np.searchsorted(np.asarray(cuts), latent) + start).astype(np.int16)


def responses(
    n: int,
    *,
    departments: Sequence[str] | None = None,
    department_count: int = 10,
    sizes: Sequence[int] | None = None,
    seed: int = 2023,
    department_spread: float = 0.35,
    item_nonresponse: float = 0.02,
) -> pl.DataFrame:
    """``n`` synthetic responses over ``departments`` (or ``department_count`` generated codes),
    with optional fixed ``sizes`` per department. Same seed, same frame."""
    rng = np.random.default_rng(seed)
    codes = list(departments) if departments is not None else department_codes(department_count)
    counts = (
        np.asarray(sizes, dtype=np.int64)
        if sizes is not None
        else department_sizes(n, len(codes), rng)
    )
    if counts.sum() != n or len(counts) != len(codes):
        raise ValueError("sizes must have one entry per department and sum to n")
    dept_index = np.repeat(np.arange(len(codes)), counts)
    dept_lonely = rng.normal(0.0, department_spread, len(codes))[dept_index]
    dept_social = rng.normal(0.0, department_spread, len(codes))[dept_index]

    age = rng.choice(len(AGE_SHARES), size=n, p=AGE_SHARES)
    household = rng.choice(len(HOUSEHOLD_SHARES), size=n, p=HOUSEHOLD_SHARES)
    years = rng.choice(len(YEARS_SHARES), size=n, p=YEARS_SHARES)
    gender = rng.choice(len(GENDER_SHARES), size=n, p=GENDER_SHARES)
    lonely = (
        dept_lonely
        + np.asarray(AGE_EFFECT)[age]
        + np.asarray(HOUSEHOLD_EFFECT)[household]
        + rng.normal(0.0, 1.0, n)
    )
    data: dict[str, np.ndarray] = {
        "age_group": (age + 1).astype(np.int16),
        "household": (household + 1).astype(np.int16),
        "years_here": (years + 1).astype(np.int16),
        "gender": (gender + 1).astype(np.int16),
    }
    for code in instrument.UCLA_ITEMS:
        data[code] = _levels(lonely + rng.normal(0.0, 0.6, n), [0.8, 2.05])
    data["lonely_direct"] = _levels(lonely + rng.normal(0.0, 0.6, n), [-0.9, -0.1, 0.9, 2.0])
    data["unwanted_alone"] = _levels(lonely + rng.normal(0.0, 0.6, n), [-0.6, 0.4, 1.5])

    wellbeing = -0.55 * lonely + rng.normal(0.0, 0.8, n)
    for code in instrument.WHO5_ITEMS:
        raw = 3.35 + 1.0 * wellbeing + rng.normal(0.0, 0.7, n)
        data[code] = np.clip(np.rint(raw), 0, 5).astype(np.int16)

    social = dept_social - 0.4 * lonely + rng.normal(0.0, 1.0, n)
    data["neighbour_talk"] = _levels(social + rng.normal(0.0, 0.5, n), [-1.6, -0.6, 0.1, 1.1])
    for code in ("belonging", "trust", "help_available"):
        data[code] = _levels(social + rng.normal(0.0, 0.7, n), [-1.7, -0.9, 0.0, 1.0])
    data["participates"] = _levels(social + rng.normal(0.0, 0.7, n), [0.0, 0.7, 1.4])
    data["volunteer"] = _levels(social + rng.normal(0.0, 1.0, n), [-0.2, 0.9])
    data["best_time"] = rng.choice(3, size=n, p=[0.3, 0.45, 0.25]).astype(np.int16) + 1

    barrier_codes = instrument.canonical().flag_codes("barriers")
    answered = rng.random(n) < 0.85
    for i, code in enumerate(barrier_codes):
        logit_base = np.log(BARRIER_BASE[i] / (1 - BARRIER_BASE[i]))
        p = 1 / (1 + np.exp(-(logit_base + BARRIER_LONELINESS_SLOPE[i] * lonely)))
        data[code] = (rng.random(n) < p).astype(np.int16)
    flags_barriers = list(barrier_codes)
    wish_codes = instrument.canonical().flag_codes("wishes")
    answered_wishes = rng.random(n) < 0.85
    for i, code in enumerate(wish_codes):
        data[code] = (rng.random(n) < WISH_BASE[i]).astype(np.int16)

    frame = pl.DataFrame(
        {"department": np.asarray(codes, dtype=object)[dept_index].tolist()}
        | {c: data[c] for c in instrument.column_codes()}
    )
    single = [c for c in instrument.column_codes() if c not in barrier_codes + wish_codes]
    missing = {
        c: rng.random(n) < (item_nonresponse * 3 if c == "gender" else item_nonresponse)
        for c in single
    }
    return frame.with_columns(
        [pl.when(pl.Series(missing[c])).then(None).otherwise(pl.col(c)).alias(c) for c in single]
        + [pl.when(pl.Series(answered)).then(pl.col(c)).alias(c) for c in flags_barriers]
        + [pl.when(pl.Series(answered_wishes)).then(pl.col(c)).alias(c) for c in wish_codes]
    )
