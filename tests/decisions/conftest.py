"""Evidence built in the tests (the survey domain's contract), injected at the one place the
decision tool reads it (``evidence_source.survey_evidence``), for tests of the plan itself.
The end-to-end tests (``test_end_to_end.py``) use real closed rounds and bookings instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lokalsamfund.core.errors import DomainError
from lokalsamfund.decisions import evidence_source
from lokalsamfund.surveys.evidence import Benchmark, DepartmentEvidence, Share

BENCH = Benchmark(0.124, 2021, "Den Nationale Sundhedsprofil 2021")


def make_evidence(
    code: str = "A1",
    *,
    round_slug: str = "runde-2025",
    severe: int = 20,
    n: int = 140,
    adults: int = 170,
) -> DepartmentEvidence:
    rest = n - severe
    counts = {
        3: rest // 3,
        4: rest // 3,
        5: rest // 6,
        6: rest - 2 * (rest // 3) - rest // 6,
        7: severe // 2,
        8: severe // 4,
        9: severe - severe // 2 - severe // 4,
    }
    return DepartmentEvidence(
        round_slug=round_slug,
        department_code=code,
        n=n,
        adult_residents=adults,
        severe_loneliness=Share(severe / n, severe / n - 0.04, severe / n + 0.05, n),
        ucla_score_counts=counts,
        benchmark=BENCH,
        barrier_shares={
            "barrier_know_nobody": Share(0.34, 0.27, 0.42, n),
            "barrier_time": Share(0.30, 0.23, 0.38, n),
            "barrier_language": Share(0.21, 0.15, 0.29, n),
            "barrier_no_need": Share(0.40, 0.32, 0.48, n),
        },
        wish_shares={"wish_meals": Share(0.4, 0.32, 0.48, n)},
    )


@pytest.fixture
def evidence_for(monkeypatch: pytest.MonkeyPatch) -> Callable[..., dict[str, DepartmentEvidence]]:
    """Make ``survey_evidence`` answer with test evidence per department code."""
    table: dict[str, DepartmentEvidence] = {}

    def fake(*, department: Any, round_slug: str | None = None) -> DepartmentEvidence:
        evidence = table.get(department.code)
        if evidence is None:
            raise DomainError("no round", details={"problem": "no_round"})
        if round_slug and round_slug != evidence.round_slug:
            raise DomainError(f"no round {round_slug}", details={"problem": "unknown_round"})
        return evidence

    monkeypatch.setattr(evidence_source, "survey_evidence", fake)

    def add(**by_code: DepartmentEvidence) -> dict[str, DepartmentEvidence]:
        table.update(by_code)
        return table

    return add


# Real closed rounds for the tests of how evidence is found (the survey domain's fixtures).
from tests.surveys.conftest import add_responses, make_round  # noqa: E402, F401
