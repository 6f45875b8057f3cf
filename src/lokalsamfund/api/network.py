"""/api/v1 endpoints of the network: a department's benchmarks ("departments like yours") and
the idea bank (``GET /network/ideas``, ``network.ideas``).

``GET /network/benchmark?department=CODE[&organisation=SLUG]``: whoever sees the department's
survey results (``surveys.view_results``); the same pool rule as the pages and the CLI
(``network.pool``): the caller's own organisation is never in the pool, and a figure is shown
only with at least 3 other organisations and 5 departments.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from lokalsamfund.network import ideas, selectors, shared_reach

from .participation import ErrorOut, _user, resolve_scope

router = Router(tags=["network"])


class NetworkPooledOut(Schema):
    indicator: str
    scope: str
    shown: bool
    organisations: int | None
    departments: int | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    respondents: int | None
    reason: str


class NetworkBenchmarkOut(Schema):
    organisation: str
    department: str
    kind: str
    size_band: str
    similar: dict[str, NetworkPooledOut]
    all: dict[str, NetworkPooledOut]


class NetworkBenchmarkQuery(Schema):
    department: str = Field(..., description="The department's code", min_length=1)
    organisation: str | None = Field(
        None, description="The organisation's short name; needed when you have several"
    )


@router.get(
    "/network/benchmark",
    response={200: NetworkBenchmarkOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A department's benchmarks against similar departments in the network",
)
def benchmark(request: HttpRequest, query: Query[NetworkBenchmarkQuery]) -> dict[str, Any]:
    user = _user(request)
    organisation, department = resolve_scope(user, query.organisation, query.department)
    assert department is not None  # noqa: S101 - the code is required
    result = selectors.benchmark_for_user(user, department)
    return {"organisation": organisation.slug, "department": department.code, **result.as_dict()}


class NetworkIdeaOut(Schema):
    id: int
    organisation: str
    title: str
    problem: str
    tried: str
    place: str
    activity_type: str
    department_kind: str
    cost_dkk: int | None
    reach: str
    results: str
    contact: str
    created_at: str
    department: str | None = Field(None, description="The department it came from, if given")
    realised_reach: dict[str, Any] | None = Field(
        None,
        description="Attendances and sessions of the department and activity type over the "
        "shared twelve months, and before/after survey changes with intervals, where the "
        "organisation shares its participation figures (null otherwise)",
    )


class NetworkIdeaQuery(Schema):
    activity_type: str = Field("", description="A key of the decision tool's catalogue")
    department_kind: str = Field("", description="family, senior or youth")
    q: str = Field("", description="Words in the title, problem or what was tried")


@router.get(
    "/network/ideas",
    response={200: list[NetworkIdeaOut], 400: ErrorOut, 403: ErrorOut},
    summary="The network's idea bank, searched by activity type, kind of housing and text",
)
def idea_list(request: HttpRequest, query: Query[NetworkIdeaQuery]) -> list[dict[str, Any]]:
    found = ideas.ideas_for(
        _user(request),
        activity_type=query.activity_type,
        department_kind=query.department_kind,
        text=query.q,
    )[:200]
    reach = shared_reach.ideas_reach(found)
    return [
        {
            "id": i.pk,
            "organisation": i.organisation.name,
            "created_at": i.created_at.isoformat(),
            **{f: getattr(i, f) for f in ideas.FIELDS},
            "department": i.origin.department.name if hasattr(i, "origin") else None,
            "realised_reach": _as_dict(reach.get(i.pk)),
        }
        for i in found
    ]


def _as_dict(found: shared_reach.IdeaReach | None) -> dict[str, Any] | None:
    return found.as_dict() if found is not None else None
