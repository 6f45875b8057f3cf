"""Context for the plan's "why", shown next to the plan's own survey figures and read when the
plan is shown (never stored with a plan): what a viewer may see of

- **departments like yours**: the network's benchmark of the department
  (``network.selectors.department_benchmark``, with its pool rule: at least 3 other
  organisations and 5 departments), next to the department's own figures in the plan's round;
- **a well-being signal**: caretakers' concern referrals per quarter by observation and outcome
  (``wellbeing.selectors_statistics.department_signal``: disclosure control with k and
  complementary suppression; a count that is suppressed and a count of none look the same).

Read when shown, because both change under the plan: an organisation that stops sharing a round
leaves every benchmark at once (a stored copy in a saved plan would keep it), and referral
figures are counted again each quarter. Each part follows its own rule in the permission table:
the benchmark whoever sees the department's survey results (``surveys.view_results``), the
referrals whoever sees referral statistics (``wellbeing.view_statistics``: not board members).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.models import Department
from lokalsamfund.core.permissions import Actor
from lokalsamfund.network import labels as network_labels
from lokalsamfund.network import pool
from lokalsamfund.network import selectors as network_selectors
from lokalsamfund.network.views import benchmark_rows
from lokalsamfund.surveys import selectors as survey_selectors
from lokalsamfund.surveys.models import SurveyRound
from lokalsamfund.wellbeing.selectors_statistics import DepartmentSignal, department_signal


@dataclass(frozen=True)
class NetworkComparison:
    """The benchmark rows (own figure, like yours, all) of the department, as the network's
    pages show them; ``shown`` is False when the pool rule allows no figure at all."""

    rows: list[dict[str, Any]]
    kind: str
    size_band: str
    shown: bool
    own_round: str


@dataclass(frozen=True)
class WhySignals:
    network: NetworkComparison | None = None
    referrals: DepartmentSignal | None = None

    @property
    def any(self) -> bool:
        return self.network is not None or self.referrals is not None


def _may_view_benchmark(viewer: Actor, department: Department) -> bool:
    if viewer is permissions.SYSTEM:
        return True
    if isinstance(viewer, permissions.SystemActor):
        return False
    return network_selectors.may_view_benchmark(viewer, department)


def _own_group(department: Department, round_slug: str) -> dict[str, Any] | None:
    """The department's stored, disclosure-controlled group in the plan's round (None for
    example data or a round without stored results)."""
    found = SurveyRound.objects.filter(
        slug=round_slug, organisation=department.organisation
    ).first()
    if found is None:
        return None
    view = survey_selectors.round_view(
        found, departments={department.code}, include_organisation=False, include_breakdowns=False
    )
    group: dict[str, Any] | None = view.departments.get(department.code) if view else None
    return group


def network_comparison(*, department: Department, plan_data: dict[str, Any]) -> NetworkComparison:
    """The network's benchmark of ``department`` next to its own figures in the plan's round."""
    benchmark = network_selectors.department_benchmark(department)
    survey = plan_data.get("evidence", {}).get("kind") == "survey"
    round_slug = str(plan_data.get("round") or "")
    own = _own_group(department, round_slug) if survey and round_slug else None
    shown = any(p.shown for scope in (benchmark.similar, benchmark.all) for p in scope.values())
    return NetworkComparison(
        rows=benchmark_rows(benchmark, own),
        kind=network_labels.kind(benchmark.kind),
        size_band=network_labels.size_band(benchmark.size_band),
        shown=shown,
        own_round=round_slug if own else "",
    )


def why_signals(
    *,
    viewer: Actor,
    department: Department,
    plan_data: dict[str, Any],
    now: datetime,
    include_referrals: bool = True,
) -> WhySignals:
    """What ``viewer`` may see next to the plan's "why" for ``department``."""
    network = (
        network_comparison(department=department, plan_data=plan_data)
        if _may_view_benchmark(viewer, department)
        else None
    )
    referrals = (
        department_signal(actor=viewer, department=department, now=now)
        if include_referrals
        else None
    )
    return WhySignals(network=network, referrals=referrals)


def pool_rule_text() -> str:
    return _(
        "A network figure is shown only when at least %(orgs)s other organisations and "
        "%(depts)s departments share it; your own organisation's departments are never part of it."
    ) % {"orgs": pool.MIN_ORGANISATIONS, "depts": pool.MIN_DEPARTMENTS}
