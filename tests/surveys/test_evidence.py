"""The decision tool's evidence: ``department_evidence`` and ``latest_closed_round``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.surveys import selectors
from lokalsamfund.surveys.evidence import DepartmentEvidence
from lokalsamfund.surveys.models import SurveyRound


def _backdate(survey_round: SurveyRound, days: int) -> SurveyRound:
    when = timezone.now() - dt.timedelta(days=days)
    SurveyRound.objects.filter(pk=survey_round.pk).update(closed_at=when)
    survey_round.refresh_from_db()
    return survey_round


def test_evidence_of_a_shown_department_with_its_previous_round(
    make_round: Callable[..., SurveyRound],
    make_closed_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    make_department: Callable[..., Department],
) -> None:
    # B1 is too small in the first round; C1, the smallest other, is hidden with it.
    dept_c = make_department(org, "C1")
    first = make_closed_round(
        org, [dept_a, dept_b, dept_c], {"A1": 80, "B1": 3, "C1": 40}, slug="r2023", seed=1
    )
    second = make_closed_round(org, [dept_a, dept_b], {"A1": 90, "B1": 40}, slug="r2024", seed=2)
    first, second = _backdate(first, 400), _backdate(second, 10)
    open_round = make_round(org, [dept_a], slug="r2025")
    assert selectors.latest_closed_round(department=dept_a) == second
    evidence = selectors.department_evidence(round=second, department=dept_a)
    assert isinstance(evidence, DepartmentEvidence)
    assert evidence.round_slug == "r2024"
    assert evidence.department_code == "A1"
    assert evidence.n == 90
    assert evidence.adult_residents == dept_a.adult_residents
    assert set(evidence.ucla_score_counts) == set(range(3, 10))
    assert sum(evidence.ucla_score_counts.values()) == evidence.severe_loneliness.denominator
    severe = sum(c for s, c in evidence.ucla_score_counts.items() if s >= 7)
    assert evidence.severe_loneliness.value == round(
        severe / evidence.severe_loneliness.denominator, 4
    )
    assert (
        evidence.severe_loneliness.ci_low
        < evidence.severe_loneliness.value
        < evidence.severe_loneliness.ci_high
    )
    assert (evidence.benchmark.value, evidence.benchmark.year) == (0.124, 2021)
    assert "Sundhedsprofil" in evidence.benchmark.source
    assert "barrier_time" in evidence.barrier_shares
    assert "wish_meals" in evidence.wish_shares
    assert evidence.previous_round_slug == "r2023"
    assert evidence.previous_severe_loneliness is not None
    # Suppressed department, open round: no evidence.
    assert selectors.department_evidence(round=first, department=dept_b) is None
    assert selectors.department_evidence(round=first, department=dept_c) is None
    assert selectors.department_evidence(round=open_round, department=dept_a) is None
    assert selectors.latest_closed_round(department=dept_b) == second
