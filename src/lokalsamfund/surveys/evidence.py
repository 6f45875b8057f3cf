"""What the decision tool may know of a department's survey results (plain data, no Django).

The survey domain builds it from a *closed* round's stored results through
``lokalsamfund.surveys.selectors.department_evidence(round=..., department=...)``, which returns
``None`` when the department's group is suppressed (n < k) or the round is not closed. Only
figures that pass disclosure control are included; ``ucla_score_counts`` is the distribution
of UCLA-3 scores (3..9) of a shown group, used by the decision tool to convert effect sizes
into people moved out of severe loneliness, and never shown cell by cell.

``from_group`` builds the evidence from a department's group in the results contract (as
stored on close, or as ``analysis.to_payloads`` writes it), so the selectors and the decision
tool's benchmark on synthetic national data read the same figures the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import instrument


@dataclass(frozen=True)
class Share:
    value: float
    ci_low: float
    ci_high: float
    denominator: int


@dataclass(frozen=True)
class Benchmark:
    value: float
    year: int
    source: str


@dataclass(frozen=True)
class DepartmentEvidence:
    round_slug: str
    department_code: str
    n: int
    adult_residents: int
    severe_loneliness: Share
    ucla_score_counts: dict[int, int]
    benchmark: Benchmark
    barrier_shares: dict[str, Share] = field(default_factory=dict)
    wish_shares: dict[str, Share] = field(default_factory=dict)
    previous_severe_loneliness: Share | None = None
    previous_round_slug: str | None = None


def shown(group: Mapping[str, Any] | None, indicator: str) -> dict[str, Any] | None:
    """An indicator of a group (results contract) if it is shown: not suppressed, with a value."""
    if not group or group.get("suppressed"):
        return None
    figure: dict[str, Any] | None = group.get("indicators", {}).get(indicator)
    if not figure or figure.get("suppressed") or figure.get("value") is None:
        return None
    return figure


def share_of(figure: Mapping[str, Any]) -> Share:
    return Share(
        value=figure["value"],
        ci_low=figure["ci_low"],
        ci_high=figure["ci_high"],
        denominator=figure["denominator"],
    )


def flag_shares(group: Mapping[str, Any], block: str) -> dict[str, Share]:
    """The shown shares of a multiple-choice block (``barriers``, ``wishes``) by item code."""
    found = {}
    for code in instrument.canonical().flag_codes(block):
        figure = shown(group, f"{code}_share")
        if figure is not None:
            found[code] = share_of(figure)
    return found


def from_group(
    group: Mapping[str, Any] | None,
    *,
    round_slug: str,
    department_code: str,
    adult_residents: int,
    ucla_score_counts: Mapping[Any, int],
    benchmark: Benchmark,
    previous_group: Mapping[str, Any] | None = None,
    previous_round_slug: str | None = None,
) -> DepartmentEvidence | None:
    """The evidence of one department's whole-department group (results contract), or None
    when the group or its severe-loneliness figure is suppressed. ``ucla_score_counts`` may
    be keyed by score as int or str (as stored); scores 3..9 are always present."""
    severe = shown(group, "severe_loneliness_share")
    if group is None or severe is None:
        return None
    counts = {str(score): int(n) for score, n in ucla_score_counts.items()}
    previous = shown(previous_group, "severe_loneliness_share")
    return DepartmentEvidence(
        round_slug=round_slug,
        department_code=department_code,
        n=int(group["n"]),
        adult_residents=adult_residents,
        severe_loneliness=share_of(severe),
        ucla_score_counts={score: counts.get(str(score), 0) for score in range(3, 10)},
        benchmark=benchmark,
        barrier_shares=flag_shares(group, "barriers"),
        wish_shares=flag_shares(group, "wishes"),
        previous_severe_loneliness=share_of(previous) if previous else None,
        previous_round_slug=previous_round_slug if previous else None,
    )
