"""Intervals (no Django): Wilson score intervals for shares, t intervals for means, and
differences between two shown figures (Newcombe's hybrid score interval for shares).

Each has a scalar form (pages, tests) and, where the analysis needs it, a Polars form.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
from scipy import stats as _scipy_stats

Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """95 % Wilson score interval of ``successes`` / ``n`` (Wilson 1927)."""
    if n <= 0:
        raise ValueError("n must be positive")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def wilson_exprs(num: pl.Expr, den: pl.Expr, z: float = Z95) -> tuple[pl.Expr, pl.Expr]:
    """(low, high) of the Wilson interval as Polars expressions (null when ``den`` is 0)."""
    n = pl.when(den > 0).then(den.cast(pl.Float64))
    p = num.cast(pl.Float64) / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * (p * (1 - p) / n + z * z / (4 * n * n)).sqrt() / denominator
    return (centre - half).clip(0.0, 1.0), (centre + half).clip(0.0, 1.0)


def t_quantile(df: np.ndarray) -> np.ndarray:
    """The 97.5 % quantile of Student's t for each number of degrees of freedom (computed
    once per distinct value: results have many groups but few distinct sizes)."""
    distinct, where = np.unique(np.maximum(df, 1), return_inverse=True)
    return np.asarray(_scipy_stats.t.ppf(0.975, distinct), dtype=float)[where]


def mean_interval(values: list[float]) -> tuple[float, float, float]:
    """(mean, low, high): a 95 % t interval of the mean of ``values`` (at least two)."""
    n = len(values)
    if n < 2:
        raise ValueError("need at least two values")
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = float(t_quantile(np.array([n - 1]))[0]) * sd / math.sqrt(n)
    return mean, mean - half, mean + half


def mean_interval_exprs(total: pl.Expr, squares: pl.Expr, n: pl.Expr) -> tuple[pl.Expr, ...]:
    """(mean, low, high) from sum, sum of squares and count, as Polars expressions."""
    count = pl.when(n > 0).then(n.cast(pl.Float64))
    mean = total.cast(pl.Float64) / count
    variance = ((squares.cast(pl.Float64) - count * mean * mean) / (count - 1)).clip(0.0)
    quantile = n.map_batches(
        lambda s: pl.Series(t_quantile(np.maximum(s.fill_null(2).to_numpy() - 1, 1))),
        return_dtype=pl.Float64,
    )
    half = pl.when(n > 1).then(quantile * (variance / count).sqrt())
    return mean, mean - half, mean + half


def share_difference(
    p1: float, low1: float, high1: float, p2: float, low2: float, high2: float
) -> tuple[float, float, float]:
    """Difference ``p1 - p2`` of two independent shares with a 95 % interval from their
    Wilson intervals (Newcombe 1998, method 10)."""
    d = p1 - p2
    low = d - math.sqrt((p1 - low1) ** 2 + (high2 - p2) ** 2)
    high = d + math.sqrt((high1 - p1) ** 2 + (p2 - low2) ** 2)
    return d, max(-1.0, low), min(1.0, high)


def mean_difference(
    m1: float, low1: float, high1: float, m2: float, low2: float, high2: float
) -> tuple[float, float, float]:
    """Difference ``m1 - m2`` of two independent means with an approximate 95 % interval
    (standard errors recovered from each interval's half-width)."""
    se1 = (high1 - low1) / (2 * Z95)
    se2 = (high2 - low2) / (2 * Z95)
    half = Z95 * math.sqrt(se1 * se1 + se2 * se2)
    d = m1 - m2
    return d, d - half, d + half
