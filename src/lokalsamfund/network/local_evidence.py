"""Local evidence for the decision tool's catalogue: what organisations in the network realised
with an activity type (pure computation, no Django).

Input: one ``ReachEntry`` per department and activity type of an organisation that shares its
participation figures (attendances and occurrences held over a period of ended months, summed
from its *shown*, disclosure-controlled participation figures), and the departments' shared
survey figures per round (``RoundFigure``, the same stored figures the benchmarks use).

Output, per activity type, for an asking organisation:

- **Reach**: departments, organisations and occurrences held ("sessions"), attendances per
  session (a ratio estimator over departments with its 95 % interval), and per department a
  year: sessions and attendances (t intervals over departments).
- **Before/after survey change**: for the departments that ran the type, the pooled share
  (severe loneliness, low well-being) in each department's newest shared round closed before
  the reach period began against its newest shared round closed since, as a difference with
  Newcombe's interval. Only the change is given, not the two levels.

The pool rule is the benchmarks' (``pool.enough``, rule 2: at least 3 organisations and 5
departments), and rule 1 holds here too: the asking organisation's own figures never enter its
local evidence, so nothing of its own can be derived from the local evidence and its own data.
A department counts once per activity type, with its newest share (rule 4).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lokalsamfund.surveys import stats

from . import pool

CHANGE_INDICATORS = ("severe_loneliness_share", "who5_low_share")
MONTHS_A_YEAR = 12


@dataclass(frozen=True)
class ReachEntry:
    """One department's shared reach of one activity type over ``months`` ended months from
    ``period_start`` ("YYYY-MM-DD"); ``order`` sorts an organisation's shares (newest wins)."""

    member: str
    department: str
    activity_type: str
    attendances: int
    sessions: int
    months: int
    period_start: str = ""
    order: str = ""


@dataclass(frozen=True)
class RoundFigure:
    """A department's shared survey figures in one round closed on ``closed_on``."""

    member: str
    department: str
    closed_on: str
    figures: Mapping[str, pool.Figure]


@dataclass(frozen=True)
class Interval:
    value: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float]:
        return {"value": self.value, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class Change:
    """The pooled before/after change of one indicator (share points; None when not shown)."""

    indicator: str
    shown: bool
    organisations: int | None = None
    departments: int | None = None
    value: Interval | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "shown": self.shown,
            "organisations": self.organisations,
            "departments": self.departments,
            "change": self.value.as_dict() if self.value else None,
        }


@dataclass(frozen=True)
class LocalEvidence:
    """The local evidence of one activity type; every figure None when not shown."""

    activity_type: str
    shown: bool
    organisations: int | None = None
    departments: int | None = None
    sessions: int | None = None
    attendances: int | None = None
    per_session: Interval | None = None
    sessions_a_year: Interval | None = None
    attendances_a_year: Interval | None = None
    changes: dict[str, Change] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        def interval(value: Interval | None) -> dict[str, float] | None:
            return value.as_dict() if value else None

        return {
            "activity_type": self.activity_type,
            "shown": self.shown,
            "organisations": self.organisations,
            "departments": self.departments,
            "sessions": self.sessions,
            "attendances": self.attendances,
            "per_session": interval(self.per_session),
            "sessions_a_year": interval(self.sessions_a_year),
            "attendances_a_year": interval(self.attendances_a_year),
            "changes": {k: v.as_dict() for k, v in self.changes.items()},
        }


def newest(entries: Iterable[ReachEntry]) -> list[ReachEntry]:
    """One entry per (member, department, activity type): the newest share (rule 4)."""
    found: dict[tuple[str, str, str], ReachEntry] = {}
    for e in entries:
        key = (e.member, e.department, e.activity_type)
        if key not in found or e.order > found[key].order:
            found[key] = e
    return list(found.values())


def _rounded(value: float, low: float, high: float, decimals: int) -> Interval:
    return Interval(round(value, decimals), round(max(0.0, low), decimals), round(high, decimals))


def ratio_interval(attendances: Sequence[int], sessions: Sequence[int]) -> Interval:
    """Attendances per session over departments: Σ attendances ÷ Σ sessions, with the ratio
    estimator's 95 % interval (departments as clusters, t with n − 1 degrees of freedom)."""
    n = len(attendances)
    total_sessions = sum(sessions)
    ratio = sum(attendances) / total_sessions
    residuals = sum((a - ratio * s) ** 2 for a, s in zip(attendances, sessions, strict=True))
    variance = n / max(n - 1, 1) * residuals / total_sessions**2
    half = float(stats.t_quantile(np.array([max(n - 1, 1)]))[0]) * math.sqrt(variance)
    return _rounded(ratio, ratio - half, ratio + half, 1)


def _per_year(entries: Sequence[ReachEntry], attribute: str) -> Interval:
    values = [getattr(e, attribute) * MONTHS_A_YEAR / max(e.months, 1) for e in entries]
    return _rounded(*stats.mean_interval(values), 1)


def department_change(
    rounds: Sequence[RoundFigure], *, period_start: str, indicator: str
) -> tuple[pool.Figure, pool.Figure] | None:
    """(before, after) of one department: its newest round closed before ``period_start``
    and its newest closed since, both with a shown figure of ``indicator``; else None."""
    holding = sorted((r for r in rounds if indicator in r.figures), key=lambda r: r.closed_on)
    before = [r for r in holding if r.closed_on and r.closed_on < period_start]
    after = [r for r in holding if r.closed_on and r.closed_on >= period_start]
    if not before or not after:
        return None
    return before[-1].figures[indicator], after[-1].figures[indicator]


def change_between(before: Sequence[pool.Figure], after: Sequence[pool.Figure]) -> Interval:
    """after − before of two pooled shares, with Newcombe's 95 % interval."""
    b, b_low, b_high, _n = pool.pool_share(before)
    a, a_low, a_high, _m = pool.pool_share(after)
    return _rounded_signed(*stats.share_difference(a, a_low, a_high, b, b_low, b_high))


def _rounded_signed(value: float, low: float, high: float) -> Interval:
    return Interval(round(value, 4), round(low, 4), round(high, 4))


def _changes(
    entries: Sequence[ReachEntry], rounds: Mapping[tuple[str, str], Sequence[RoundFigure]]
) -> dict[str, Change]:
    out = {}
    for indicator in CHANGE_INDICATORS:
        pairs: dict[tuple[str, str], tuple[pool.Figure, pool.Figure]] = {}
        for e in entries:
            found = department_change(
                rounds.get((e.member, e.department), ()),
                period_start=e.period_start,
                indicator=indicator,
            )
            if found is not None:
                pairs[(e.member, e.department)] = found
        if not pool.enough(pairs):
            out[indicator] = Change(indicator, shown=False)
            continue
        out[indicator] = Change(
            indicator,
            shown=True,
            organisations=len({member for member, _d in pairs}),
            departments=len(pairs),
            value=change_between([p[0] for p in pairs.values()], [p[1] for p in pairs.values()]),
        )
    return out


def for_type(
    entries: Iterable[ReachEntry],
    rounds: Iterable[RoundFigure],
    *,
    asking_member: str,
    activity_type: str,
) -> LocalEvidence:
    """The local evidence of ``activity_type`` for ``asking_member`` (see the module doc)."""
    holding = [
        e
        for e in newest(entries)
        if e.activity_type == activity_type and e.member != asking_member and e.sessions > 0
    ]
    if not pool.enough((e.member, e.department) for e in holding):
        return LocalEvidence(activity_type, shown=False)
    by_department: dict[tuple[str, str], list[RoundFigure]] = {}
    for r in rounds:
        if r.member != asking_member:
            by_department.setdefault((r.member, r.department), []).append(r)
    holding.sort(key=lambda e: (e.member, e.department))
    return LocalEvidence(
        activity_type,
        shown=True,
        organisations=len({e.member for e in holding}),
        departments=len(holding),
        sessions=sum(e.sessions for e in holding),
        attendances=sum(e.attendances for e in holding),
        per_session=ratio_interval([e.attendances for e in holding], [e.sessions for e in holding]),
        sessions_a_year=_per_year(holding, "sessions"),
        attendances_a_year=_per_year(holding, "attendances"),
        changes=_changes(holding, by_department),
    )


def for_types(
    entries: Iterable[ReachEntry],
    rounds: Iterable[RoundFigure],
    *,
    asking_member: str,
    activity_types: Iterable[str],
) -> dict[str, LocalEvidence]:
    entries, rounds = list(entries), list(rounds)
    return {
        t: for_type(entries, rounds, asking_member=asking_member, activity_type=t)
        for t in activity_types
    }
