from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lokalsamfund.core.models import Department, User

pytestmark = pytest.mark.django_db


def test_me_needs_a_token(client: Client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_bad_token_is_refused(client: Client) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer lks_nope"})
    assert response.status_code == 401


def test_me_returns_roles(
    api_for: Callable[..., Any], board_member: User, dept_a: Department
) -> None:
    body = api_for(board_member).get("/api/v1/me").json()
    assert body["email"] == board_member.email
    assert body["memberships"] == [
        {
            "organisation": "test-org",
            "organisation_name": "Boligselskabet Test",
            "role": "board_member",
            "departments": ["A1"],
        }
    ]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", ["A1", "B1"]),
        ("coordinator", ["A1", "B1"]),
        ("caretaker", ["A1"]),
        ("board_member", ["A1"]),
        ("resident", ["A1"]),
        ("neighbour", []),
        ("association", []),
        ("outsider", ["X1"]),
        ("no_role", []),
    ],
)
def test_departments_only_the_callers(
    api_for: Callable[..., Any],
    personas: dict[str, User],
    dept_b: Department,
    persona: str,
    expected: list[str],
) -> None:
    body = api_for(personas[persona]).get("/api/v1/departments").json()
    assert [d["code"] for d in body] == expected


def test_unknown_api_path_is_json_404(api_for: Callable[..., Any], coordinator: User) -> None:
    response = api_for(coordinator).get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_openapi_schema_is_published(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/me" in schema["paths"]
    assert schema["components"]["securitySchemes"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/bookings", '{"facility": "a\\u0000b"}'),
        ("post", "/api/v1/plans", '{"department": "A1\\u0000"}'),
        ("get", "/api/v1/departments?x=%00", None),
    ],
)
def test_nul_characters_are_refused_with_400(
    api_for: Callable[..., Any], coordinator: User, method: str, path: str, body: str | None
) -> None:
    client = api_for(coordinator)
    response = client.post(path, body) if method == "post" else client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
