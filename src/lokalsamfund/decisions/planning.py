"""Compute a plan for a department: evidence + catalogue + parameters → model → plan → JSON.

Reads only (the services save). Every surface (page, API, CLI, demo) comes through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department
from lokalsamfund.surveys.evidence import DepartmentEvidence

from . import evidence_source
from .catalogue import catalogue_for, parameters_for
from .evidence_source import EvidenceKind, FacilityFigures, FacilitySource, LocalEvidence
from .followup import RealisedDriften, RealisedReach, realised_driften_for, realised_reach_for
from .model.distributions import Uncertain, share_from_ci
from .model.inputs import Activity, Resources, Situation, ValueInputs
from .model.montecarlo import Model
from .model.plan import BudgetVariant, PlanOptions, PlanResult, budget_variants, build_plan
from .models import ActivityType, ValueBankEntry, ValueParameter

DEFAULT_COORDINATOR_HOURS = 200.0
DEFAULT_DRIFTEN_HOURS = 50.0
DEFAULT_SEED = 1
DEFAULT_DRAWS = 10_000
MIN_DRAWS, MAX_DRAWS = 100, 100_000
MAX_BUDGET_DKK = 100_000_000
MAX_HOURS = 100_000
REALISED_REACH_SPREAD = 0.2  # ±20 % around realised reach (year-to-year variation)
EXAMPLE_WHEN = frozenset({"no_round", "suppressed"})  # survey problems example data may fill


@dataclass(frozen=True)
class PlanRequest:
    budget_dkk: float
    coordinator_hours: float = DEFAULT_COORDINATOR_HOURS
    driften_hours: float = DEFAULT_DRIFTEN_HOURS
    facility_hours: float | None = None  # None: the free hours in the booking system
    round_slug: str | None = None
    seed: int = DEFAULT_SEED
    draws: int = DEFAULT_DRAWS
    risk_quantile: float | None = None
    allow_example: bool = False  # labelled example data when there is no usable survey
    # The planner's explicit choice: participants from the network's local evidence (where
    # shown and the department has no realised reach of its own) instead of the catalogue's.
    use_local_evidence: bool = False


@dataclass(frozen=True)
class LocalReachUsed:
    """The network's local evidence used for one activity type's participants (different
    people a year per unit, from attendances a year at the catalogue's ratio)."""

    evidence: LocalEvidence
    people: Uncertain
    name: str


@dataclass(frozen=True)
class ComputedPlan:
    department: Department
    request: PlanRequest
    evidence: DepartmentEvidence
    evidence_kind: EvidenceKind
    facility_hours: float
    facility_source: FacilitySource
    facilities: FacilityFigures
    result: PlanResult
    parameters: Mapping[str, ValueParameter]
    societal_source: str
    realised: Mapping[str, RealisedReach] = field(default_factory=dict)
    local_used: Mapping[str, LocalReachUsed] = field(default_factory=dict)
    # Driften's hours on green work recorded in the department over the last twelve ended
    # months: shown next to the driften constraint (the request's figure is what is used).
    driften_recorded: RealisedDriften | None = None
    data: dict[str, Any] = field(default_factory=dict)
    json_text: str = ""


def validate_request(request: PlanRequest) -> None:
    """Raise DomainError naming the first field that is out of range."""

    def bad(name: str, allowed: str, value: Any) -> DomainError:
        return DomainError(
            _("%(field)s: '%(value)s' is not allowed (allowed: %(allowed)s).")
            % {"field": name, "value": value, "allowed": allowed},
            details={"field": name},
        )

    if not 0 <= request.budget_dkk <= MAX_BUDGET_DKK:
        raise bad("budget_dkk", f"0–{MAX_BUDGET_DKK}", request.budget_dkk)
    for name in ("coordinator_hours", "driften_hours"):
        if not 0 <= getattr(request, name) <= MAX_HOURS:
            raise bad(name, f"0–{MAX_HOURS}", getattr(request, name))
    if request.facility_hours is not None and not 0 <= request.facility_hours <= MAX_HOURS:
        raise bad("facility_hours", f"0–{MAX_HOURS}", request.facility_hours)
    if not MIN_DRAWS <= request.draws <= MAX_DRAWS:
        raise bad("draws", f"{MIN_DRAWS}–{MAX_DRAWS}", request.draws)
    if not 0 <= request.seed <= 2**32 - 1:
        raise bad("seed", f"0–{2**32 - 1}", request.seed)
    if request.risk_quantile is not None and not 0.01 <= request.risk_quantile <= 0.5:
        raise bad("risk_quantile", "0.01–0.5", request.risk_quantile)


def uncertain(parameter: ValueParameter, scale: float = 1.0) -> Uncertain:
    clip = parameter.unit.startswith("share")
    return Uncertain(
        parameter.value * scale,
        parameter.low * scale,
        parameter.high * scale,
        parameter.distribution,  # type: ignore[arg-type]
        clip_low=0.0 if clip else None,
        clip_high=1.0 if clip else None,
    )


def people_per_attendance(row: ActivityType) -> float | None:
    """The catalogue's own ratio of different people a year (``participants``) to attendances
    a year (sessions a year × participants per session); None without sessions."""
    planned_attendances = row.sessions_per_year * row.participants_per_session
    return row.participants / planned_attendances if planned_attendances > 0 else None


def realised_people(row: ActivityType, realised: RealisedReach | None) -> float | None:
    """Different people a year from realised attendances (a headcount counts attendances, the
    model needs people), at the catalogue's own ratio of people (``participants``) to
    attendances (sessions a year × participants per session). None when there is nothing to
    convert: then the catalogue's estimate stays."""
    ratio = people_per_attendance(row)
    if realised is None or realised.sessions <= 0 or ratio is None:
        return None
    return realised.participants * ratio


def local_people(row: ActivityType, evidence: LocalEvidence | None) -> Uncertain | None:
    """Different people a year per unit from the network's local evidence: attendances a
    year per department (mean and 95 % interval over the departments that shared) at the
    catalogue's ratio of people to attendances. None when not shown or not convertible."""
    ratio = people_per_attendance(row)
    if evidence is None or not evidence.shown or evidence.attendances_a_year is None:
        return None
    if ratio is None:
        return None
    a_year = evidence.attendances_a_year
    low = max(0.0, a_year.low) * ratio
    high = a_year.high * ratio
    value = min(max(a_year.value * ratio, low), high)
    return Uncertain(value, low, high, "normal_ci", clip_low=0.0)


def to_activity(
    row: ActivityType,
    language: str,
    realised: RealisedReach | None,
    local: LocalReachUsed | None = None,
) -> Activity:
    people = realised_people(row, realised)
    if people is None and local is not None:
        participants = local.people
    elif people is not None:
        r = people
        participants = Uncertain(
            r, r * (1 - REALISED_REACH_SPREAD), r * (1 + REALISED_REACH_SPREAD), "triangular"
        )
    else:
        participants = Uncertain(
            row.participants, row.participants_low, row.participants_high, "triangular"
        )
    return Activity(
        slug=row.slug,
        name=row.name(language),
        evidence_class=row.evidence_class,
        participants=participants,
        lonely_share=Uncertain(
            row.lonely_share, row.lonely_share_low, row.lonely_share_high, "triangular"
        ),
        cost_dkk=row.materials_dkk,
        coordinator_hours=row.coordinator_hours,
        driften_hours=row.driften_hours,
        facility_hours=row.facility_hours,
        volunteer_hours=row.volunteer_hours,
        max_scale=row.max_scale,
        barriers=tuple(row.barriers),
        wishes=tuple(row.wishes),
    )


def societal_value(
    params: Mapping[str, ValueParameter], bank_entry: ValueBankEntry | None
) -> tuple[Uncertain, str]:
    rate = params["gbp_dkk_rate"].value
    if bank_entry is not None:
        value = bank_entry.value * (rate if bank_entry.unit.startswith("GBP") else 1.0)
        return Uncertain.point(value), f"value_bank:{bank_entry.outcome}"
    return uncertain(params["societal_value_per_person_gbp"], rate), "parameters"


def value_inputs(
    params: Mapping[str, ValueParameter], bank_entry: ValueBankEntry | None
) -> tuple[ValueInputs, str]:
    societal, source = societal_value(params, bank_entry)
    return (
        ValueInputs(
            smd={key[4:]: uncertain(p) for key, p in params.items() if key.startswith("smd_")},
            public_value_per_person_dkk=uncertain(params["public_value_per_person"]),
            share_aged_16_64=uncertain(params["share_aged_16_64"]),
            societal_value_per_person_dkk=societal,
            deadweight=uncertain(params["deadweight"]),
            attribution=uncertain(params["attribution"]),
            displacement=uncertain(params["displacement"]),
            drop_off=uncertain(params["drop_off"]),
            discount_rate=params["discount_rate"].value,
            benefit_years=max(1, round(params["benefit_years"].value)),
            coordinator_hour_cost_dkk=params["coordinator_hour_cost"].value,
            driften_hour_cost_dkk=params["driften_hour_cost"].value,
            volunteer_hour_value_dkk=params["volunteer_hour_value"].value,
        ),
        source,
    )


def situation_from(evidence: DepartmentEvidence, adult_residents: int) -> Situation:
    s = evidence.severe_loneliness
    return Situation(
        adult_residents=adult_residents or evidence.adult_residents,
        severe_share=share_from_ci(s.value, s.ci_low, s.ci_high),
        ucla_counts=dict(evidence.ucla_score_counts),
        barrier_shares={code: sh.value for code, sh in evidence.barrier_shares.items()},
    )


def find_evidence(
    department: Department, request: PlanRequest
) -> tuple[DepartmentEvidence, EvidenceKind]:
    """The survey evidence, or labelled example data when the caller asked for it and the
    department has no usable round (never instead of a round the caller named)."""
    try:
        return (
            evidence_source.survey_evidence(department=department, round_slug=request.round_slug),
            "survey",
        )
    except DomainError as exc:
        if (
            request.allow_example
            and not request.round_slug
            and exc.details.get("problem") in EXAMPLE_WHEN
        ):
            return evidence_source.example_evidence(department=department), "example"
        raise


def what_if(computed: ComputedPlan, factors: tuple[float, ...]) -> list[BudgetVariant]:
    """The computed plan at other budgets (``factor`` × its budget), from the same model and
    draws: nothing is read again and the plan itself is not recomputed (factor 1 is the
    plan)."""
    result = computed.result
    others = [f for f in factors if f != 1.0]
    variants = iter(
        budget_variants(
            result.model,
            result.resources,
            result.options,
            [result.resources.budget_dkk * f for f in others],
        )
    )
    rows = []
    for factor in factors:
        if factor == 1.0:
            rows.append(
                BudgetVariant(
                    budget_dkk=result.resources.budget_dkk,
                    cost_dkk=result.cost_dkk,
                    people_helped=result.totals["people_helped"],
                    social_value=result.totals["social_value_dkk"],
                    chosen=tuple((c.activity, c.scale) for c in result.chosen),
                )
            )
        else:
            rows.append(next(variants))
    return rows


def chosen_local_evidence(
    department: Department,
    rows: list[ActivityType],
    realised: Mapping[str, RealisedReach],
    language: str,
) -> dict[str, LocalReachUsed]:
    """The local evidence a plan uses when the planner chose it: per activity type without
    realised reach of the department's own, where the network shows local evidence."""
    found = evidence_source.local_evidence(
        organisation=department.organisation, activity_types=[r.slug for r in rows]
    )
    used = {}
    for row in rows:
        if row.slug in realised:
            continue
        people = local_people(row, found.get(row.slug))
        if people is not None:
            used[row.slug] = LocalReachUsed(
                evidence=found[row.slug], people=people, name=row.name(language)
            )
    return used


def compute_plan(*, department: Department, request: PlanRequest, language: str) -> ComputedPlan:
    """Compute (not save) a plan. Raises DomainError when the input or evidence is missing."""
    from .plan_json import plan_to_json

    validate_request(request)
    evidence, kind = find_evidence(department, request)
    params = parameters_for(department.organisation)
    bank_entry = ValueBankEntry.objects.filter(
        organisation=department.organisation, use_for_loneliness=True
    ).first()
    values, societal_source = value_inputs(params, bank_entry)
    realised = {
        slug: r for slug, r in realised_reach_for(department=department).items() if r.sessions
    }
    rows = catalogue_for(department.organisation)
    local_used = (
        chosen_local_evidence(department, rows, realised, language)
        if request.use_local_evidence
        else {}
    )
    activities = tuple(
        to_activity(row, language, realised.get(row.slug), local_used.get(row.slug)) for row in rows
    )
    facilities = evidence_source.facility_figures(department=department)
    facility_source: FacilitySource
    if request.facility_hours is not None:
        facility_hours, facility_source = request.facility_hours, "input"
    elif facilities.houses:
        facility_hours, facility_source = facilities.free_hours, "bookings"
    else:
        facility_hours, facility_source = 0.0, "no_facility"
    model = Model(activities, values, situation_from(evidence, department.adult_residents))
    resources = Resources(
        budget_dkk=request.budget_dkk,
        coordinator_hours=request.coordinator_hours,
        driften_hours=request.driften_hours,
        facility_hours=facility_hours,
    )
    options = PlanOptions(
        draws=request.draws, seed=request.seed, risk_quantile=request.risk_quantile
    )
    result = build_plan(model, resources, options)
    computed = ComputedPlan(
        department=department,
        request=request,
        evidence=evidence,
        evidence_kind=kind,
        facility_hours=facility_hours,
        facility_source=facility_source,
        facilities=facilities,
        result=result,
        parameters=params,
        societal_source=societal_source,
        realised=realised,
        local_used=local_used,
        driften_recorded=realised_driften_for(department=department),
    )
    with translation.override(language):
        data, text = plan_to_json(computed, language)
    return ComputedPlan(**{**computed.__dict__, "data": data, "json_text": text})
