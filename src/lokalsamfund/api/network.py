"""/api/v1 endpoints of the network: a department's benchmarks ("departments like yours").

``GET /network/benchmark?department=CODE[&organisation=SLUG]``: whoever sees the department's
survey results (``surveys.view_results``); the same pool rule as the pages and the CLI
(``network.pool``): the caller's own organisation is never in the pool, and a figure is shown
only with at least 3 other organisations and 5 departments.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from lokalsamfund.network import selectors

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
