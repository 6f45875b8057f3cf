"""The network's benchmarks: pooling shared department figures across organisations (no Django).

Input: one ``Entry`` per shared department (its organisation as an opaque ``member`` key, its
master data bands and its *shown*, already disclosure-controlled figures, as stored when the
organisation's round closed). Output: for an asking organisation and one of its departments,
the pooled figure of each indicator over "departments like yours" (same kind and size band) and
over all departments, with a 95 % interval.

The pool rule (network.md, "Sharing results safely"):

1. **The asking organisation's own departments never enter its pool.** So a benchmark cannot
   be combined with the organisation's own result to recover anything: it holds none of it.
2. **At least ``MIN_ORGANISATIONS`` (3) organisations and ``MIN_DEPARTMENTS`` (5) departments**
   contribute a shown figure of the indicator, or the benchmark of that indicator is not shown.
3. **Complement of the two scopes**: "all" minus "like yours" is itself a pool (the asker sees
   both); when "like yours" is shown and the rest is non-empty, the rest must pass rule 2 as
   well, or "all" is not shown.
4. **One figure per department**: a department shared in several rounds counts once, with its
   newest round (``Entry.order``), so a department cannot fill the pool twice.

Shares pool as the sum of numerators over the sum of denominators (the numerator recovered from
the stored, rounded share and its denominator) with a Wilson interval; means pool weighted by
their denominators with an interval from the pooled variance (each department's standard
deviation recovered from its stored t interval).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lokalsamfund.surveys import stats

MIN_ORGANISATIONS = 3
MIN_DEPARTMENTS = 5

SHARE = "share"
MEAN = "mean"
# The indicators the network shares and pools (privacy.md: minimisation), with their kind.
INDICATORS: dict[str, str] = {
    "severe_loneliness_share": SHARE,
    "who5_low_share": SHARE,
    "ucla_mean": MEAN,
    "who5_mean": MEAN,
}

SIMILAR = "similar"
ALL = "all"

# Size bands by number of homes; a department with no number of homes has no band.
SIZE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under_100", 0, 100),
    ("100_299", 100, 300),
    ("300_599", 300, 600),
    ("600_plus", 600, None),
)


def size_band(homes: int | None) -> str:
    """The size band of a department with ``homes`` homes ("" when unknown)."""
    if not homes or homes <= 0:
        return ""
    for name, low, high in SIZE_BANDS:
        if homes >= low and (high is None or homes < high):
            return name
    return ""  # pragma: no cover - the bands cover every positive number


@dataclass(frozen=True)
class Figure:
    """One shown figure of a department: value, 95 % interval and denominator."""

    value: float
    ci_low: float
    ci_high: float
    denominator: int


@dataclass(frozen=True)
class Entry:
    """One shared department. ``member`` identifies its organisation across the network,
    ``department`` the department within it; ``order`` sorts its rounds (newest wins)."""

    member: str
    department: str
    kind: str
    size_band: str
    figures: Mapping[str, Figure]
    region: str = ""
    order: str = ""


@dataclass(frozen=True)
class Pooled:
    """A benchmark of one indicator over one scope; ``value`` is None when not shown."""

    indicator: str
    scope: str
    organisations: int
    departments: int
    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    respondents: int | None = None
    reason: str = ""  # why not shown: "too_few" or "complement"

    @property
    def shown(self) -> bool:
        return self.value is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "scope": self.scope,
            "shown": self.shown,
            "organisations": self.organisations if self.shown else None,
            "departments": self.departments if self.shown else None,
            "value": self.value,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "respondents": self.respondents,
            "reason": self.reason,
        }


@dataclass
class Benchmark:
    """The benchmarks of one department: per indicator, "like yours" and "all"."""

    kind: str
    size_band: str
    similar: dict[str, Pooled] = field(default_factory=dict)
    all: dict[str, Pooled] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "size_band": self.size_band,
            "similar": {k: v.as_dict() for k, v in self.similar.items()},
            "all": {k: v.as_dict() for k, v in self.all.items()},
        }


def newest_per_department(entries: Iterable[Entry]) -> list[Entry]:
    """Rule 4: one entry per (member, department), the one with the greatest ``order``."""
    newest: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        key = (entry.member, entry.department)
        if key not in newest or entry.order > newest[key].order:
            newest[key] = entry
    return list(newest.values())


def enough(contributors: Iterable[tuple[str, str]]) -> bool:
    """Rule 2 over ``(member, department)`` pairs: at least ``MIN_ORGANISATIONS``
    organisations and ``MIN_DEPARTMENTS`` departments. Every figure the network pools across
    organisations (benchmarks, the decision tool's local evidence) is shown only when this
    holds."""
    pairs = set(contributors)
    return (
        len({member for member, _department in pairs}) >= MIN_ORGANISATIONS
        and len(pairs) >= MIN_DEPARTMENTS
    )


def passes(entries: Sequence[Entry], indicator: str) -> bool:
    """Rule 2 for one indicator over ``entries``."""
    return enough((e.member, e.department) for e in entries if indicator in e.figures)


def pool_share(figures: Sequence[Figure]) -> tuple[float, float, float, int]:
    numerator = sum(round(f.value * f.denominator) for f in figures)
    denominator = sum(f.denominator for f in figures)
    low, high = stats.wilson(numerator, denominator)
    return numerator / denominator, low, high, denominator


def _sd(figure: Figure) -> float:
    """A department's standard deviation, recovered from its stored t interval."""
    n = figure.denominator
    if n < 2:
        return 0.0
    quantile = float(stats.t_quantile(np.array([n - 1]))[0])
    return (figure.ci_high - figure.ci_low) / 2 * math.sqrt(n) / quantile


def _pool_mean(figures: Sequence[Figure]) -> tuple[float, float, float, int]:
    total = sum(f.denominator for f in figures)
    mean = sum(f.value * f.denominator for f in figures) / total
    within = sum((f.denominator - 1) * _sd(f) ** 2 for f in figures)
    between = sum(f.denominator * (f.value - mean) ** 2 for f in figures)
    variance = (within + between) / max(total - 1, 1)
    quantile = float(stats.t_quantile(np.array([max(total - 1, 1)]))[0])
    half = quantile * math.sqrt(variance / total)
    return mean, mean - half, mean + half, total


def pool(entries: Sequence[Entry], indicator: str, scope: str) -> Pooled:
    """The pooled figure of ``indicator`` over ``entries`` (rule 2 applied; nothing else)."""
    holding = [e for e in entries if indicator in e.figures]
    organisations = len({e.member for e in holding})
    departments = len({(e.member, e.department) for e in holding})
    if not passes(holding, indicator):
        return Pooled(indicator, scope, organisations, departments, reason="too_few")
    figures = [e.figures[indicator] for e in holding]
    combine = pool_share if INDICATORS.get(indicator, SHARE) == SHARE else _pool_mean
    value, low, high, respondents = combine(figures)
    decimals = 4 if INDICATORS.get(indicator, SHARE) == SHARE else 3
    return Pooled(
        indicator,
        scope,
        organisations,
        departments,
        value=round(value, decimals),
        ci_low=round(low, decimals),
        ci_high=round(high, decimals),
        respondents=respondents,
    )


def benchmark(
    entries: Iterable[Entry],
    *,
    asking_member: str,
    kind: str,
    size_band: str,
    indicators: Iterable[str] = tuple(INDICATORS),
) -> Benchmark:
    """The benchmarks of a department of ``asking_member`` with ``kind`` and ``size_band``
    (rules 1-4 of the module doc)."""
    pooled = [e for e in newest_per_department(entries) if e.member != asking_member]

    def is_similar(e: Entry) -> bool:
        return bool(kind and size_band) and (e.kind, e.size_band) == (kind, size_band)

    similar = [e for e in pooled if is_similar(e)]
    rest = [e for e in pooled if not is_similar(e)]
    result = Benchmark(kind=kind, size_band=size_band)
    for indicator in indicators:
        like = pool(similar, indicator, SIMILAR)
        everyone = pool(pooled, indicator, ALL)
        rest_holding = [e for e in rest if indicator in e.figures]
        if like.shown and everyone.shown and rest_holding and not passes(rest, indicator):
            everyone = Pooled(
                indicator, ALL, everyone.organisations, everyone.departments, reason="complement"
            )
        result.similar[indicator] = like
        result.all[indicator] = everyone
    return result
