"""The documented shape of a plan's JSON (``decisions/plan_json.py``, schema
``lokalsamfund.plan/1``), as returned by ``POST /api/v1/plans`` and ``GET /api/v1/plans/{id}``.

The endpoints return the stored bytes unchanged (same inputs, seed and language give the same
bytes); these schemas only document them in the OpenAPI schema, and the schemathesis run
(tests/api) checks every response against them. Extra keys are allowed, so a new key in the
plan JSON is not a breaking change for clients.
"""

from __future__ import annotations

from ninja import Field, Schema


class Quantiles(Schema):
    """P5, median and P95 of a simulated figure (DKK rounded to whole kroner)."""

    p5: float
    p50: float
    p95: float


class ShareOut(Schema):
    """A share with its 95 % confidence interval and the number of answers behind it."""

    value: float
    ci_low: float
    ci_high: float
    denominator: int


class CodedShareOut(ShareOut):
    code: str
    label: str


class TopBarrierOut(Schema):
    code: str
    label: str
    share: float
    ci_low: float
    ci_high: float


class EvidenceOut(Schema):
    kind: str
    label: str
    respondents: int


class PeriodOut(Schema):
    start: str
    end: str


class ResourcesOut(Schema):
    budget_dkk: float
    coordinator_hours: float
    driften_hours: float
    facility_hours: float
    facility_hours_source: str
    facility_hours_source_label: str
    facility_hours_period: PeriodOut | None
    lonely_residents_expected: float


class BenchmarkOut(Schema):
    value: float
    year: int
    source: str


class PreviousOut(ShareOut):
    round: str


class AnnualCostOut(Schema):
    public_budget: Quantiles
    societal: Quantiles


class WhyOut(Schema):
    adult_residents: int
    severe_loneliness_share: ShareOut
    benchmark: BenchmarkOut
    previous: PreviousOut | None
    lonely_residents: Quantiles
    annual_cost_dkk: AnnualCostOut
    top_barriers: list[TopBarrierOut]
    barriers: list[CodedShareOut]
    wishes: list[CodedShareOut]


class PortfolioItemOut(Schema):
    activity: str
    name: str
    evidence_class: str
    scale: int
    cost_dkk: float
    input_cost_dkk: float
    coordinator_hours: float
    driften_hours: float
    volunteer_hours: float
    facility_hours: float
    participants: Quantiles
    lonely_participants: Quantiles
    people_helped: Quantiles
    social_value_dkk: Quantiles
    public_value_dkk: Quantiles
    addresses: list[str]
    covers_top_barriers: list[str]
    wishes: list[str]
    limited_by: list[str]
    reason: str


class LeftOutOut(Schema):
    activity: str
    name: str
    unit_social_value_dkk: Quantiles
    unit_people_helped: Quantiles
    objective_per_unit: float
    covers_top_barriers: list[str]
    blocked_by: dict[str, float]
    reason: str


class UsageOut(Schema):
    start: str
    end: str
    bookings: int
    booked_hours: float
    community_hours: float
    community_share: float | None
    cross_ownership_bookings: int
    cross_ownership_hours: float
    cross_ownership_share: float | None
    distinct_user_groups: int


class HouseUsageOut(Schema):
    facility: str
    name: str
    free_hours: float
    last_12_months: UsageOut
    next_12_months: UsageOut


class FacilityUsageOut(Schema):
    source: str
    source_label: str
    houses: list[HouseUsageOut]


class TotalsOut(Schema):
    cost_dkk: float
    input_cost_dkk: float
    coordinator_hours: float
    driften_hours: float
    facility_hours: float
    participants: Quantiles
    lonely_participants: Quantiles
    people_helped: Quantiles
    social_value_dkk: Quantiles
    public_value_dkk: Quantiles
    sroi: Quantiles


class CoverageOut(Schema):
    top_barriers: list[str]
    covered: list[str]
    uncovered: list[str]


class SensitivityOut(Schema):
    input: str
    label: str
    input_low: float
    input_high: float
    result_low_dkk: float
    result_high_dkk: float
    baseline_dkk: float
    swing_dkk: float


class OverlapOut(Schema):
    share_of_draws_capped: float


class AssumptionOut(Schema):
    """A model parameter; the organisation's own value bank entry has fewer keys."""

    key: str
    name: str
    value: float
    unit: str
    unit_label: str
    source: str
    used_in_model: bool
    low: float | None = None
    high: float | None = None
    distribution: str | None = None
    year: int | None = None
    note: str | None = None


class MethodOut(Schema):
    effect_to_people: str
    value: str
    portfolio: str


class LocalPeopleOut(Schema):
    value: float
    low: float
    high: float


class LocalEvidenceUsedOut(Schema):
    activity: str
    name: str
    people: LocalPeopleOut
    organisations: int | None
    departments: int | None
    sessions: int | None
    source: str


class LocalEvidenceOut(Schema):
    """Only in plans whose planner chose the network's local evidence for participants."""

    chosen: bool
    label: str
    note: str
    used: list[LocalEvidenceUsedOut]


class PlanOut(Schema):
    """A computed plan (schema ``lokalsamfund.plan/1``); texts are in the request's language."""

    schema_: str = Field(alias="schema", description="lokalsamfund.plan/1")
    language: str
    organisation: str
    department: str
    department_name: str
    round: str | None
    evidence: EvidenceOut
    seed: int
    draws: int
    risk_quantile: float | None
    resources: ResourcesOut
    why: WhyOut
    portfolio: list[PortfolioItemOut]
    facility_usage: FacilityUsageOut
    totals: TotalsOut
    coverage: CoverageOut
    left_out: list[LeftOutOut]
    best_left_out: LeftOutOut | None
    usage: dict[str, float]
    limits: dict[str, float]
    sensitivity: list[SensitivityOut]
    overlap: OverlapOut
    realised_reach_used: list[str]
    local_evidence: LocalEvidenceOut | None = Field(
        None, description="Present only when the planner chose the network's local evidence."
    )
    assumptions: list[AssumptionOut]
    caveats: list[str]
    method: MethodOut


class PlanCreatedOut(Schema):
    """``POST /api/v1/plans``: the saved plan's id (null with ``save: false``) and the plan."""

    id: int | None
    plan: PlanOut
