"""Reads of the network: the benchmarks of a department ("departments like yours") and which
closed rounds an organisation shares. Benchmarks come only from shared, stored figures through
``pool.benchmark`` (the pool rule), never from responses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import Forbidden
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import Perm
from lokalsamfund.surveys import selectors as survey_selectors
from lokalsamfund.surveys.models import RoundStatus, SurveyRound

from . import pool
from .models import SharedDepartment, SharedRound
from .services import local_member, profile_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lokalsamfund.core.models import User


def entries() -> list[pool.Entry]:
    """Every shared department of the network as the pool sees it."""
    rows = SharedDepartment.objects.select_related("shared_round").order_by("pk")
    found = []
    for row in rows:
        shared = row.shared_round
        found.append(
            pool.Entry(
                member=shared.member,
                department=row.label,
                kind=row.kind,
                size_band=row.size_band,
                region=row.region,
                figures={
                    name: pool.Figure(
                        value=float(f["value"]),
                        ci_low=float(f["ci_low"]),
                        ci_high=float(f["ci_high"]),
                        denominator=int(f["denominator"]),
                    )
                    for name, f in (row.figures or {}).items()
                    if name in pool.INDICATORS
                },
                order=f"{shared.closed_on.isoformat() if shared.closed_on else ''}:"
                f"{shared.sequence:010d}",
            )
        )
    return found


def department_benchmark(department: Department) -> pool.Benchmark:
    """The network's benchmarks for ``department`` (its own organisation left out)."""
    kind, band, _region = profile_of(department)
    return pool.benchmark(
        entries(), asking_member=local_member(department.organisation), kind=kind, size_band=band
    )


def may_view_benchmark(user: User | AnonymousUser, department: Department) -> bool:
    """Whoever sees a department's survey results sees its benchmarks."""
    return permissions.has_perm(user, Perm.VIEW_SURVEY_RESULTS, department)


def benchmark_for_user(user: User | AnonymousUser, department: Department) -> pool.Benchmark:
    if not may_view_benchmark(user, department):
        raise Forbidden(_("You may not see this department's benchmarks."))
    return department_benchmark(department)


def own_figures(department: Department) -> tuple[SurveyRound | None, dict[str, Any] | None]:
    """The department's own group in its newest closed round (stored, disclosure-controlled)."""
    newest = (
        SurveyRound.objects.filter(
            organisation=department.organisation,
            status=RoundStatus.CLOSED,
            departments=department,
        )
        .order_by("-closed_at", "-pk")
        .first()
    )
    if newest is None:
        return None, None
    view = survey_selectors.round_view(
        newest, departments={department.code}, include_breakdowns=False
    )
    return newest, (view.departments.get(department.code) if view else None)


@dataclass
class ShareRow:
    survey_round: SurveyRound
    shared: SharedRound | None


def share_rows(organisation: Organisation) -> list[ShareRow]:
    """The organisation's closed rounds with whether each is shared."""
    rounds = list(
        SurveyRound.objects.filter(organisation=organisation, status=RoundStatus.CLOSED).order_by(
            "-closed_at", "-pk"
        )
    )
    shared = {
        s.survey_round_id: s
        for s in SharedRound.objects.filter(survey_round__in=rounds).select_related("shared_by")
    }
    return [ShareRow(r, shared.get(r.pk)) for r in rounds]


def sharing_organisations(user: User | AnonymousUser) -> list[Organisation]:
    return list(permissions.organisations_for(user, Perm.SHARE_WITH_NETWORK).order_by("name"))


def benchmark_departments(user: User | AnonymousUser) -> list[Department]:
    return list(
        permissions.departments_for(user, Perm.VIEW_SURVEY_RESULTS).order_by(
            "organisation__name", "code"
        )
    )
