"""POST /api/v1/plans and the plan reads, by persona."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lokalsamfund.core.models import Department, User
from lokalsamfund.decisions.models import Plan

from .conftest import make_evidence

pytestmark = pytest.mark.django_db

BODY = {"department": "A1", "budget_dkk": 50000, "draws": 300, "seed": 9}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 201),
        ("admin", 201),
        ("board_member", 403),
        ("resident", 403),
        ("caretaker", 403),
        ("outsider", 404),
        ("neighbour", 404),
        ("no_role", 404),
    ],
)
def test_post_plans_by_persona(
    api_for: Callable[..., Any],
    personas: dict[str, User],
    dept_a: Department,
    evidence_for: Callable[..., Any],
    persona: str,
    status: int,
) -> None:
    evidence_for(A1=make_evidence("A1"))
    response = api_for(personas[persona]).post("/api/v1/plans", BODY)
    assert response.status_code == status, response.content
    assert "detail" in response.json() or status == 201
    assert Plan.objects.count() == (1 if status == 201 else 0)
    if status == 201:
        body = response.json()
        assert body["plan"]["department"] == "A1"
        assert body["plan"]["seed"] == 9
        assert body["id"] == Plan.objects.get().pk


def test_post_without_token_and_with_bad_input(
    api_for: Callable[..., Any],
    coordinator: User,
    dept_a: Department,
    evidence_for: Callable[..., Any],
) -> None:
    evidence_for(A1=make_evidence("A1"))
    assert api_for(None).post("/api/v1/plans", BODY).status_code == 401
    bad = api_for(coordinator).post("/api/v1/plans", {**BODY, "budget_dkk": -1})
    assert bad.status_code == 400
    assert "budget_dkk" in bad.json()["detail"]
    unknown_round = api_for(coordinator).post("/api/v1/plans", {**BODY, "round": "nope"})
    assert unknown_round.status_code == 400
    assert not Plan.objects.exists()


def test_compute_only_is_reproducible(
    api_for: Callable[..., Any],
    coordinator: User,
    dept_a: Department,
    evidence_for: Callable[..., Any],
) -> None:
    evidence_for(A1=make_evidence("A1"))
    client = api_for(coordinator)
    one = client.post("/api/v1/plans", {**BODY, "save": False})
    two = client.post("/api/v1/plans", {**BODY, "save": False})
    assert one.status_code == 200
    assert one.content == two.content
    assert not Plan.objects.exists()


def test_plan_reads_are_scoped(
    api_for: Callable[..., Any],
    coordinator: User,
    board_member: User,
    outsider: User,
    dept_a: Department,
    evidence_for: Callable[..., Any],
) -> None:
    evidence_for(A1=make_evidence("A1"))
    created = api_for(coordinator).post("/api/v1/plans", BODY).json()
    assert [p["id"] for p in api_for(board_member).get("/api/v1/plans").json()] == [created["id"]]
    assert api_for(board_member).get(f"/api/v1/plans/{created['id']}").json()["department"] == "A1"
    assert api_for(outsider).get("/api/v1/plans").json() == []
    assert api_for(outsider).get(f"/api/v1/plans/{created['id']}").status_code == 404
