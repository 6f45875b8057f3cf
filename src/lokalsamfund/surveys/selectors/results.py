"""Reads of a closed round's results. They come only from the stored results, which went
through disclosure control when the round closed (disclosure.py); nothing here reads
responses for display."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import Forbidden, NotFound
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import Perm

from .. import analysis, evidence, stats
from ..models import DepartmentResults, NationalBenchmark, RoundResults, RoundStatus, SurveyRound
from .rounds import visible_round

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lokalsamfund.core.models import User


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
        view.breakdowns = {
            code: analysis.complete_breakdowns(code, json.loads(body)) for code, body in rows
        }
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


shown = evidence.shown  # an indicator of a group if it is shown (not suppressed, has a value)


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


@dataclass
class Comparison:
    """One indicator of a department with its national figure and its change since the
    department's previous closed round (from shown figures only)."""

    name: str
    figure: dict[str, Any] | None  # as stored: shown, suppressed or without a value
    benchmark: NationalBenchmark | None
    change: tuple[float, float, float] | None  # difference, ci_low, ci_high


def department_comparisons(
    survey_round: SurveyRound, department: Department, group: dict[str, Any]
) -> tuple[list[Comparison], SurveyRound | None]:
    """Every indicator of a department's (shown) group, compared with the newest national
    figure and with the previous closed round of the department, which is returned too."""
    previous = previous_round(survey_round, department)
    earlier_view = (
        round_view(previous, departments={department.code}, include_breakdowns=False)
        if previous
        else None
    )
    earlier = earlier_view.departments.get(department.code) if earlier_view else None
    benchmarks = benchmarks_for(survey_round.organisation)
    found = [
        Comparison(
            name=ind.name,
            figure=(group.get("indicators") or {}).get(ind.name),
            benchmark=benchmarks.get(ind.name),
            change=difference(shown(group, ind.name), shown(earlier, ind.name), ind.name),
        )
        for ind in analysis.indicators()
    ]
    return found, previous


# The indicators of the residents' published summary of a department.
SUMMARY_INDICATORS = (
    "severe_loneliness_share",
    "who5_low_share",
    "participation_share",
    "belonging_share",
)


def results_contract_for(user: User | AnonymousUser, slug: str) -> dict[str, Any]:
    """The JSON contract of a closed round's results as ``user`` may see them (API).
    ``NotFound`` for a round the user cannot see or that is not closed, ``Forbidden`` for
    one they see but whose results are not theirs."""
    survey_round = visible_round(user, slug)
    if not survey_round.is_closed:
        raise NotFound(_("Results exist only for a closed round."))
    view = results_for_user(user, survey_round)
    if view is None:
        raise Forbidden(_("You may not see this round's results."))
    return view.contract()
