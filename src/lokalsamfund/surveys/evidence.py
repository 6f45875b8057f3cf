"""What the decision tool may know of a department's survey results (plain data, no Django).

The survey domain builds it from a *closed* round's stored results through
``lokalsamfund.surveys.selectors.department_evidence(round=..., department=...)``, which returns
``None`` when the department's group is suppressed (n < k) or the round is not closed. Only
figures that pass disclosure control are included; ``ucla_score_counts`` is the distribution
of UCLA-3 scores (3..9) of a shown group, used by the decision tool to convert effect sizes
into people moved out of severe loneliness, and never shown cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
