"""The one place that fetches a department's survey evidence and booking figures.

The survey and booking domains provide the selectors; they are imported lazily inside the
functions, so the decision tool works (and says clearly what it used) before they exist.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from django.utils import timezone

from lokalsamfund.core.models import Department
from lokalsamfund.surveys.evidence import DepartmentEvidence

EvidenceKind = Literal["survey", "example"]
FacilitySource = Literal["input", "bookings", "default", "no_facility"]


@dataclass(frozen=True)
class EvidenceLookup:
    evidence: DepartmentEvidence | None
    kind: EvidenceKind | None
    problem: str = (
        ""  # why there is no evidence: no_survey_module, no_round, unknown_round, suppressed
    )


def _surveys() -> Any | None:
    try:
        module = importlib.import_module("lokalsamfund.surveys.selectors")
    except ImportError:
        return None
    if not hasattr(module, "department_evidence") or not hasattr(module, "latest_closed_round"):
        return None
    return module


def _round_by_slug(department: Department, slug: str) -> Any | None:
    try:
        models = importlib.import_module("lokalsamfund.surveys.models")
    except ImportError:
        return None
    survey_round = getattr(models, "SurveyRound", None)
    if survey_round is None:
        return None
    rounds = survey_round.objects.filter(slug=slug)
    field_names = {f.name for f in survey_round._meta.get_fields()}
    if "organisation" in field_names:
        rounds = rounds.filter(organisation=department.organisation)
    return rounds.first()


def survey_evidence(*, department: Department, round_slug: str | None = None) -> EvidenceLookup:
    """The department's evidence from a closed round (the latest when no slug is given)."""
    selectors = _surveys()
    if selectors is None:
        return EvidenceLookup(None, None, "no_survey_module")
    if round_slug:
        survey_round = _round_by_slug(department, round_slug)
        if survey_round is None:
            return EvidenceLookup(None, None, "unknown_round")
    else:
        survey_round = selectors.latest_closed_round(department=department)
        if survey_round is None:
            return EvidenceLookup(None, None, "no_round")
    evidence = selectors.department_evidence(round=survey_round, department=department)
    if evidence is None:
        return EvidenceLookup(None, None, "suppressed")
    return EvidenceLookup(evidence, "survey")


def free_facility_hours(*, department: Department, default: float) -> tuple[float, FacilitySource]:
    """Free fælleshus hours in the coming 12 months, from the booking domain when it can say;
    otherwise ``default`` (and which source was used)."""
    from lokalsamfund.bookings.models import Facility

    facilities = list(Facility.objects.filter(department=department))
    if not facilities:
        return 0.0, "no_facility"
    try:
        selectors = importlib.import_module("lokalsamfund.bookings.selectors")
    except ImportError:
        return default, "default"
    free_hours = getattr(selectors, "free_hours", None)
    if free_hours is None:
        return default, "default"
    start = timezone.now()
    end = start + timedelta(days=365)
    return float(sum(free_hours(facility=f, start=start, end=end) for f in facilities)), "bookings"
