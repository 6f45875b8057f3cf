"""What the decision tool may know of a department from a closed round (see
``surveys/evidence.py``): only shown, disclosure-controlled figures."""

from __future__ import annotations

from typing import Any

from lokalsamfund.core.models import Department

from .. import instrument
from ..evidence import Benchmark, DepartmentEvidence, Share
from ..models import DepartmentResults, RoundStatus, SurveyRound
from .results import benchmark_for, previous_round, round_view, shown


def latest_closed_round(*, department: Department) -> SurveyRound | None:
    """The department's most recently closed round that has results."""
    return (
        SurveyRound.objects.filter(
            departments=department, status=RoundStatus.CLOSED, results__isnull=False
        )
        .order_by("-closed_at", "-pk")
        .first()
    )


def _share(figure: dict[str, Any]) -> Share:
    return Share(
        value=figure["value"],
        ci_low=figure["ci_low"],
        ci_high=figure["ci_high"],
        denominator=figure["denominator"],
    )


def _flag_shares(group: dict[str, Any], block: str) -> dict[str, Share]:
    found = {}
    for code in instrument.canonical().flag_codes(block):
        figure = shown(group, f"{code}_share")
        if figure is not None:
            found[code] = _share(figure)
    return found


def department_evidence(*, round: SurveyRound, department: Department) -> DepartmentEvidence | None:
    """What the decision tool may know of a department from a closed round (see evidence.py).
    None when the round is not closed or the department's group (or its severe loneliness
    figure) is suppressed."""
    view = round_view(round, departments={department.code}, include_breakdowns=False)
    if view is None:
        return None
    group = view.departments.get(department.code)
    severe = shown(group, "severe_loneliness_share")
    if group is None or severe is None:
        return None
    stored = DepartmentResults.objects.filter(round=round, department=department).first()
    raw_counts = stored.ucla_score_counts if stored else {}
    score_counts = {score: int(raw_counts.get(str(score), 0)) for score in range(3, 10)}
    benchmark = benchmark_for(round.organisation, "severe_loneliness_share")
    previous = previous_round(round, department)
    previous_severe = None
    if previous is not None:
        earlier = round_view(previous, departments={department.code}, include_breakdowns=False)
        figure = shown(
            earlier.departments.get(department.code) if earlier else None, "severe_loneliness_share"
        )
        previous_severe = _share(figure) if figure else None
    return DepartmentEvidence(
        round_slug=round.slug,
        department_code=department.code,
        n=group["n"],
        adult_residents=department.adult_residents,
        severe_loneliness=_share(severe),
        ucla_score_counts=score_counts,
        benchmark=Benchmark(
            value=benchmark.value if benchmark else 0.124,
            year=benchmark.year if benchmark else 2021,
            source=benchmark.source if benchmark else "Den Nationale Sundhedsprofil 2021",
        ),
        barrier_shares=_flag_shares(group, "barriers"),
        wish_shares=_flag_shares(group, "wishes"),
        previous_severe_loneliness=previous_severe,
        previous_round_slug=(
            previous.slug if previous is not None and previous_severe is not None else None
        ),
    )
