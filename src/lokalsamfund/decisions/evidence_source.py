"""The one place that fetches a department's survey evidence and booking figures for a plan.

Survey evidence comes from ``lokalsamfund.surveys.selectors`` (a closed round's stored,
disclosure-controlled results); the fælleshus's free hours and usage from
``lokalsamfund.bookings.selectors``. When a department has no usable evidence, a plan is
refused with a message naming the department (and round), unless the caller asked for
labelled example data (``example_evidence``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.bookings import selectors as booking_selectors
from lokalsamfund.bookings.models import Facility
from lokalsamfund.bookings.selectors import FacilityUsage
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.network.local_evidence import LocalEvidence
from lokalsamfund.surveys import selectors as survey_selectors
from lokalsamfund.surveys import synthetic
from lokalsamfund.surveys.evidence import Benchmark, DepartmentEvidence
from lokalsamfund.surveys.models import RoundStatus, SurveyRound

from .survey_data import evidence_from_responses

EvidenceKind = Literal["survey", "example"]
FacilitySource = Literal["input", "bookings", "no_facility"]

EXAMPLE_ROUND = "eksempeldata"
EXAMPLE_RESPONSE_RATE = 0.35  # of adult residents, at least EXAMPLE_MIN_RESPONSES
EXAMPLE_MIN_RESPONSES = 30
PLANNING_DAYS = 365


def _refuse(message: str, problem: str, department: Department, slug: str | None) -> DomainError:
    return DomainError(
        message
        % {"code": department.code, "round": slug or "", "organisation": department.organisation},
        details={"field": "round", "problem": problem, "round": slug},
    )


def survey_round(*, department: Department, slug: str) -> SurveyRound:
    """The closed round ``slug`` of the department's organisation that covers the department.
    Raises DomainError naming the round otherwise (a round of another organisation is
    reported as unknown, so its existence is not revealed)."""
    found = SurveyRound.objects.filter(slug=slug, organisation=department.organisation).first()
    if found is None:
        raise _refuse(
            _("There is no survey round '%(round)s' in %(organisation)s."),
            "unknown_round",
            department,
            slug,
        )
    if not found.departments.filter(pk=department.pk).exists():
        raise _refuse(
            _("Survey round '%(round)s' does not cover department %(code)s."),
            "round_not_covering",
            department,
            slug,
        )
    if found.status != RoundStatus.CLOSED:
        raise _refuse(
            _(
                "Survey round '%(round)s' is not closed yet: results exist only once a round "
                "is closed."
            ),
            "round_not_closed",
            department,
            slug,
        )
    return found


def survey_evidence(*, department: Department, round_slug: str | None = None) -> DepartmentEvidence:
    """The department's evidence from a closed round: the round named, or else the latest
    closed round whose results for the department are shown (a later round in which the
    department is suppressed does not hide an earlier one with results).
    Raises DomainError (``details["problem"]``: ``unknown_round``, ``round_not_covering``,
    ``round_not_closed``, ``no_round`` or ``suppressed``) with a message naming what is wrong."""
    if round_slug:
        named = survey_round(department=department, slug=round_slug)
        evidence = survey_selectors.department_evidence(round=named, department=department)
        if evidence is None:
            raise _suppressed(department, named.slug)
        return evidence
    latest: SurveyRound | None = None
    for candidate in closed_rounds_with_results(department=department):
        latest = latest or candidate
        evidence = survey_selectors.department_evidence(round=candidate, department=department)
        if evidence is not None:
            return evidence
    if latest is None:
        raise _refuse(
            _("Department %(code)s has no closed survey round with results."),
            "no_round",
            department,
            None,
        )
    raise _suppressed(department, latest.slug)


def closed_rounds_with_results(*, department: Department) -> list[SurveyRound]:
    """The department's closed rounds with stored results, newest first (as
    ``surveys.selectors.latest_closed_round`` orders them)."""
    return list(
        SurveyRound.objects.filter(
            departments=department, status=RoundStatus.CLOSED, results__isnull=False
        )
        .distinct()
        .order_by("-closed_at", "-pk")
    )


def _suppressed(department: Department, slug: str) -> DomainError:
    return _refuse(
        _(
            "The results of department %(code)s in survey round '%(round)s' are suppressed "
            "(too few answers)."
        ),
        "suppressed",
        department,
        slug,
    )


def example_evidence(*, department: Department) -> DepartmentEvidence:
    """Labelled example data for a department without usable survey results: synthetic
    responses from the survey domain's generator (seeded by the department code), analysed by
    the survey's own analysis and disclosure control. Never the department's own figures."""
    respondents = max(
        EXAMPLE_MIN_RESPONSES, round(department.adult_residents * EXAMPLE_RESPONSE_RATE)
    )
    frame = synthetic.responses(
        respondents,
        departments=[department.code],
        sizes=[respondents],
        seed=zlib.crc32(department.code.encode("utf-8")),
    )
    national = survey_selectors.benchmark_for(department.organisation, "severe_loneliness_share")
    benchmark = Benchmark(
        value=national.value if national else 0.124,
        year=national.year if national else 2021,
        source=national.source if national else "Den Nationale Sundhedsprofil 2021",
    )
    found = evidence_from_responses(
        frame,
        round_slug=EXAMPLE_ROUND,
        adult_residents={department.code: department.adult_residents},
        benchmark=benchmark,
    )[department.code]
    if found is None:  # pragma: no cover - at least 30 responses are never suppressed
        raise DomainError(
            _("No example data could be made for %(code)s.") % {"code": department.code}
        )
    return found


# Booking figures ------------------------------------------------------------------------


def planning_period(today: date | None = None) -> tuple[datetime, datetime]:
    """The plan's year: from the start of today (local time) for 365 days. Whole days, so the
    same plan computed twice on one day gives the same figures."""
    day = today or timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=PLANNING_DAYS), time.min))
    return start, end


@dataclass(frozen=True)
class HouseFigures:
    """One fælleshus: free hours in the plan's year and how it is used (confirmed bookings)."""

    slug: str
    name: str
    free_hours: float
    last_year: FacilityUsage  # the 365 days before the plan's year
    coming_year: FacilityUsage  # confirmed so far for the plan's year


@dataclass(frozen=True)
class FacilityFigures:
    start: datetime
    end: datetime
    houses: tuple[HouseFigures, ...]

    @property
    def free_hours(self) -> float:
        return round(sum(h.free_hours for h in self.houses), 2)


def facility_figures(*, department: Department, today: date | None = None) -> FacilityFigures:
    """Free hours and usage of the department's fælleshuse from the booking domain."""
    start, end = planning_period(today)
    before = start - timedelta(days=PLANNING_DAYS)
    houses = tuple(
        HouseFigures(
            slug=facility.slug,
            name=facility.name,
            free_hours=booking_selectors.free_hours(facility=facility, start=start, end=end),
            last_year=booking_selectors.facility_usage(facility=facility, start=before, end=start),
            coming_year=booking_selectors.facility_usage(facility=facility, start=start, end=end),
        )
        for facility in Facility.objects.filter(department=department).order_by("slug")
    )
    return FacilityFigures(start=start, end=end, houses=houses)


# The network's local evidence -------------------------------------------------------------


def local_evidence(
    *, organisation: Organisation, activity_types: list[str]
) -> dict[str, LocalEvidence]:
    """The network's local evidence per activity type for ``organisation``: realised reach and
    before/after survey changes other organisations share, pooled by the network's pool rule
    (``network.local_evidence``; the organisation's own figures are never in it)."""
    from lokalsamfund.network import shared_reach

    return shared_reach.local_evidence_for(organisation, activity_types)
