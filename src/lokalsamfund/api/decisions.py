"""/api/v1 endpoints of the decisions domain: compute and save plans, read saved plans."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Field, Path, Query, Router, Schema

from lokalsamfund.decisions import planning, selectors, services

from .plan_schemas import PlanCreatedOut, PlanOut

router = Router(tags=["decisions"])


class PlanIn(Schema):
    department: str = Field(..., description="Department code, e.g. A1.", examples=["A1"])
    organisation: str | None = Field(None, description="Organisation short name (if ambiguous).")
    round: str | None = Field(None, description="Survey round slug (default: latest closed).")
    budget_dkk: float = Field(..., ge=0, le=planning.MAX_BUDGET_DKK, examples=[150000])
    coordinator_hours: float = Field(
        planning.DEFAULT_COORDINATOR_HOURS, ge=0, le=planning.MAX_HOURS
    )
    driften_hours: float = Field(planning.DEFAULT_DRIFTEN_HOURS, ge=0, le=planning.MAX_HOURS)
    facility_hours: float | None = Field(None, ge=0, le=planning.MAX_HOURS)
    # The largest seed a saved plan can store (PostgreSQL integer); the model allows 2**32 - 1.
    seed: int = Field(planning.DEFAULT_SEED, ge=0, le=2**31 - 1)
    draws: int = Field(
        planning.DEFAULT_DRAWS, ge=planning.MIN_DRAWS, le=planning.MAX_DRAWS, examples=[1000]
    )
    risk_quantile: float | None = Field(None, ge=0.01, le=0.5)
    example_data: bool = Field(False, description="Allow labelled example data without a survey.")
    local_evidence: bool = Field(
        False,
        description="Take participants from the network's local evidence where shown (the "
        "plan then says so under local_evidence); otherwise the catalogue's estimates.",
    )
    title: str = Field("", max_length=200)
    save: bool = Field(True, description="Save the plan (false: compute only).")


class PlanSummaryOut(Schema):
    id: int
    department: str
    title: str
    round: str
    evidence: str
    budget_dkk: float
    seed: int
    draws: int
    created_at: str


class ErrorOut(Schema):
    detail: str


@router.post(
    "/plans",
    response={
        200: PlanCreatedOut,
        201: PlanCreatedOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
    },
    by_alias=True,
    summary="Compute a plan (and save it unless save=false)",
    description="201 with the saved plan's id; 200 with id null when save is false.",
)
def plan_create(request: HttpRequest, payload: PlanIn) -> HttpResponse:
    department = selectors.department_for_plan(
        request.user, code=payload.department, organisation=payload.organisation, save=payload.save
    )
    plan_request = planning.PlanRequest(
        budget_dkk=payload.budget_dkk,
        coordinator_hours=payload.coordinator_hours,
        driften_hours=payload.driften_hours,
        facility_hours=payload.facility_hours,
        round_slug=payload.round,
        seed=payload.seed,
        draws=payload.draws,
        risk_quantile=payload.risk_quantile,
        allow_example=payload.example_data,
        use_local_evidence=payload.local_evidence,
    )
    computed = planning.compute_plan(
        department=department, request=plan_request, language=get_language() or "da"
    )
    plan_id = None
    status = 200
    if payload.save:
        plan = services.plan_create(
            actor=request.user,
            department=department,
            request=plan_request,
            title=payload.title,
            computed=computed,
        )
        plan_id, status = plan.pk, 201
    body = json.dumps({"id": plan_id, "plan": computed.data}, sort_keys=True, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json")


@router.get("/plans", response=list[PlanSummaryOut], summary="Saved plans you may see")
def plan_list(request: HttpRequest) -> list[PlanSummaryOut]:
    return [
        PlanSummaryOut(
            id=p.pk,
            department=p.department.code,
            title=p.title,
            round=p.round_slug,
            evidence=p.evidence_kind,
            budget_dkk=p.budget_dkk,
            seed=p.seed,
            draws=p.draws,
            created_at=p.created_at.isoformat(),
        )
        for p in selectors.plans_for(request.user)[:200]
    ]


@router.get(
    "/plans/{plan_id}",
    response={200: PlanOut, 400: ErrorOut, 404: ErrorOut},
    by_alias=True,
    summary="One saved plan (the JSON as computed)",
)
def plan_detail(request: HttpRequest, plan_id: int = Path(..., ge=1, le=2**63 - 1)) -> HttpResponse:
    plan = selectors.plan_get(request.user, plan_id)
    return HttpResponse(plan.result_json, content_type="application/json")


class CatalogueQuery(Schema):
    organisation: str | None = Field(None, description="Organisation short name (if several).")


@router.get(
    "/catalogue",
    response={200: list[dict[str, Any]], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="The activity catalogue with research and local evidence",
    description=(
        "Per activity type: the research evidence (class, source), the catalogue's planning "
        "estimates and, labelled separately, the network's local evidence (realised reach and "
        "before/after survey changes other organisations share; shown only when at least 3 "
        "other organisations and 5 departments share it). Who: as the catalogue page "
        "(decisions.manage_plans); another organisation is 404."
    ),
)
def catalogue(request: HttpRequest, query: Query[CatalogueQuery]) -> list[dict[str, Any]]:
    organisation = selectors.catalogue_organisation(request.user, query.organisation)
    return selectors.catalogue_data(organisation, get_language() or "da")
