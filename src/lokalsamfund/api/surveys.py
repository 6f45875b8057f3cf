"""/api/v1 endpoints of the surveys domain: rounds and a closed round's results.

The results are the JSON contract of survey-instrument.md, read from the stored,
disclosure-controlled results: coordinators get every group, board members the groups of
their own departments (without the organisation's), others nothing. Never free text.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from lokalsamfund.surveys import selectors

router = Router(tags=["surveys"])


class ErrorOut(Schema):
    detail: str


class RoundOut(Schema):
    slug: str
    title: str
    organisation: str
    status: str
    departments: list[str]
    opens_on: str | None
    closes_on: str | None
    results_available: bool


@router.get("/survey-rounds", response=list[RoundOut], summary="Survey rounds the caller can see")
def rounds(request: HttpRequest) -> list[RoundOut]:
    return [
        RoundOut(
            slug=r.slug,
            title=r.title,
            organisation=r.organisation.slug,
            status=r.status,
            departments=[d.code for d in r.departments.all()],
            opens_on=r.opens_on.isoformat() if r.opens_on else None,
            closes_on=r.closes_on.isoformat() if r.closes_on else None,
            results_available=r.is_closed,
        )
        for r in selectors.rounds_for(request.user).order_by("-created_at")
    ]


@router.get(
    "/survey-rounds/{slug}/results",
    summary="A closed round's results (disclosure-controlled)",
    response={200: dict[str, Any], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def results(request: HttpRequest, slug: str) -> Any:
    return selectors.results_contract_for(request.user, slug)
