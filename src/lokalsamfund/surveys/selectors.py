"""Reads of the survey domain. Results come only from a closed round's stored results, which
went through disclosure control when the round closed (disclosure.py); nothing here reads
responses for display.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import NotFound
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import Perm

from . import analysis, instrument, stats
from .evidence import Benchmark, DepartmentEvidence, Share
from .models import (
    DepartmentResults,
    NationalBenchmark,
    RoundResults,
    RoundStatus,
    SurveyResponse,
    SurveyRound,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lokalsamfund.core.models import User

RESULT_PERMS = (Perm.VIEW_SURVEY_RESULTS, Perm.VIEW_PUBLISHED_SURVEY_SUMMARY)


def round_by_slug(slug: str) -> SurveyRound:
    found = SurveyRound.objects.select_related("organisation").filter(slug=slug).first()
    if found is None:
        raise NotFound(f"No survey round '{slug}'.")
    return found


def rounds_for(user: User | AnonymousUser) -> QuerySet[SurveyRound]:
    """Rounds of the organisations where the user has any survey permission."""
    perms = (Perm.MANAGE_SURVEYS, Perm.ENTER_PAPER_ANSWERS, *RESULT_PERMS)
    organisations: set[int] = set()
    for perm in perms:
        organisations |= set(permissions.organisations_for(user, perm).values_list("pk", flat=True))
    return (
        SurveyRound.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .prefetch_related("departments")
    )


def rounds_for_system() -> QuerySet[SurveyRound]:
    """Every round (the command line acts as the system)."""
    return SurveyRound.objects.select_related("organisation").prefetch_related("departments")


def response_counts(survey_round: SurveyRound) -> dict[int, int]:
    """Responses so far per department id (counts only, for following the response rate)."""
    rows = (
        SurveyResponse.objects.filter(round=survey_round)
        .values("department")
        .annotate(n=Count("pk"))
    )
    return {r["department"]: r["n"] for r in rows}


# Stored results --------------------------------------------------------------------------


def stored_results(survey_round: SurveyRound) -> RoundResults | None:
    """The stored results of a closed round (None before it closes)."""
    if survey_round.status != RoundStatus.CLOSED:
        return None
    return RoundResults.objects.filter(round=survey_round).first()


@dataclass
class RoundView:
    """A closed round's results as a viewer may see them (already disclosure-controlled)."""

    survey_round: SurveyRound
    min_cell_size: int
    organisation: dict[str, Any] | None
    departments: dict[str, dict[str, Any]]  # code -> whole-department group
    breakdowns: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def groups(self) -> list[dict[str, Any]]:
        found = [self.organisation] if self.organisation else []
        for code in sorted(self.departments):
            found.append(self.departments[code])
            found.extend(self.breakdowns.get(code, []))
        return found

    def contract(self) -> dict[str, Any]:
        """The JSON contract of survey-instrument.md."""
        return {
            "round": self.survey_round.slug,
            "min_cell_size": self.min_cell_size,
            "title": self.survey_round.title,
            "closed_on": (
                self.survey_round.closed_at.date().isoformat()
                if self.survey_round.closed_at
                else None
            ),
            "groups": self.groups(),
        }


def round_view(
    survey_round: SurveyRound,
    *,
    departments: set[str] | None = None,
    include_organisation: bool = True,
    include_breakdowns: bool = True,
) -> RoundView | None:
    """The stored results, limited to ``departments`` (codes; None = all) and with or without
    the organisation's group and the breakdowns. None when the round has no results."""
    stored = stored_results(survey_round)
    if stored is None:
        return None
    overview = json.loads(stored.overview_json)
    organisation = next((g for g in overview if g["department"] is None), None)
    wholes = {
        g["department"]: g
        for g in overview
        if g["department"] is not None and (departments is None or g["department"] in departments)
    }
    view = RoundView(
        survey_round=survey_round,
        min_cell_size=stored.min_cell_size,
        organisation=organisation if include_organisation else None,
        departments=wholes,
    )
    if include_breakdowns and wholes:
        rows = DepartmentResults.objects.filter(
            round=survey_round, department__code__in=list(wholes)
        ).values_list("department__code", "breakdowns_json")
        view.breakdowns = {code: json.loads(body) for code, body in rows}
    return view


def results_for_user(
    user: User | AnonymousUser, survey_round: SurveyRound, *, include_breakdowns: bool = True
) -> RoundView | None:
    """What ``user`` may see of a round's results: coordinators (organisation-wide
    ``VIEW_SURVEY_RESULTS``) everything, board members their own departments, no one else."""
    whole = permissions.has_perm(user, Perm.VIEW_SURVEY_RESULTS, survey_round.organisation)
    allowed = {
        d.code
        for d in permissions.departments_for(
            user, Perm.VIEW_SURVEY_RESULTS, survey_round.organisation
        )
    } & set(survey_round.departments.values_list("code", flat=True))
    if not whole and not allowed:
        return None
    return round_view(
        survey_round,
        departments=None if whole else allowed,
        include_organisation=whole,
        include_breakdowns=include_breakdowns,
    )


def published_summary_for(
    user: User | AnonymousUser, survey_round: SurveyRound, department: Department
) -> dict[str, Any] | None:
    """A department's whole-department group for residents, once published."""
    if not survey_round.summary_published:
        return None
    if not permissions.has_perm(user, Perm.VIEW_PUBLISHED_SURVEY_SUMMARY, department):
        return None
    view = round_view(survey_round, departments={department.code}, include_breakdowns=False)
    if view is None:
        return None
    return view.departments.get(department.code)


def shown(group: dict[str, Any] | None, indicator: str) -> dict[str, Any] | None:
    """An indicator of a group if it is shown (not suppressed and has a value)."""
    if not group or group.get("suppressed"):
        return None
    figure = group.get("indicators", {}).get(indicator)
    if not figure or figure.get("suppressed") or figure.get("value") is None:
        return None
    return figure


# Comparisons -----------------------------------------------------------------------------


def benchmark_for(organisation: Organisation, indicator: str) -> NationalBenchmark | None:
    """The newest national figure for an indicator (an organisation's own entries count)."""
    return benchmarks_for(organisation).get(indicator)


def benchmarks_for(organisation: Organisation) -> dict[str, NationalBenchmark]:
    """The newest national figure of every indicator that has one (whole population)."""
    newest: dict[str, NationalBenchmark] = {}
    for figure in NationalBenchmark.objects.filter(
        Q(organisation=None) | Q(organisation=organisation), breakdown="", cell=""
    ).order_by("-year", "organisation"):
        newest.setdefault(figure.indicator, figure)
    return newest


def previous_round(survey_round: SurveyRound, department: Department) -> SurveyRound | None:
    """The department's closest earlier closed round of the same organisation."""
    if survey_round.closed_at is None:
        return None
    return (
        SurveyRound.objects.filter(
            organisation=survey_round.organisation,
            status=RoundStatus.CLOSED,
            departments=department,
            closed_at__lt=survey_round.closed_at,
        )
        .order_by("-closed_at")
        .first()
    )


def difference(
    current: dict[str, Any] | None, earlier: dict[str, Any] | None, indicator: str
) -> tuple[float, float, float] | None:
    """Difference with a 95 % interval between two shown figures of the same indicator."""
    if current is None or earlier is None or current.get("ci_low") is None:
        return None
    args = (
        current["value"],
        current["ci_low"],
        current["ci_high"],
        earlier["value"],
        earlier["ci_low"],
        earlier["ci_high"],
    )
    kind = next(i.kind for i in analysis.indicators() if i.name == indicator)
    return stats.share_difference(*args) if kind == analysis.SHARE else stats.mean_difference(*args)


# The decision tool's evidence --------------------------------------------------------------


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
