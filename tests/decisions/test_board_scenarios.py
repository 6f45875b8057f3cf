"""Board members try budgets and see plans as scenarios; only coordinators save (issue 10.5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lokalsamfund.core.models import Department, User
from lokalsamfund.decisions.models import Plan

from .conftest import make_evidence

pytestmark = pytest.mark.django_db


def _form(department: Department, **extra: Any) -> dict[str, Any]:
    return {
        "department": department.pk,
        "budget_dkk": 70000,
        "coordinator_hours": 200,
        "driften_hours": 50,
        "seed": 4,
        "draws": 300,
        "risk_quantile": "",
        **extra,
    }


@pytest.fixture
def evidence(evidence_for: Callable[..., Any]) -> None:
    evidence_for(A1=make_evidence("A1"), B1=make_evidence("B1"), X1=make_evidence("X1"))


def test_board_member_tries_a_budget_of_own_department_but_cannot_save(
    client_for: Callable[..., Any], board_member: User, dept_a: Department, evidence: None
) -> None:
    client = client_for(board_member)
    page = client.get("/beslutninger/ny/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="scenario-notice"' in body
    assert 'value="save"' not in body
    preview = client.post("/beslutninger/ny/", _form(dept_a), headers={"HX-Request": "true"})
    assert preview.status_code == 200
    assert "<svg" in preview.content.decode()
    assert 'id="scenario-notice"' in preview.content.decode()
    saved = client.post("/beslutninger/ny/", _form(dept_a, action="save", title="Nej"))
    assert saved.status_code == 403
    assert not Plan.objects.exists()


def test_coordinator_sees_no_scenario_notice_and_may_save(
    client_for: Callable[..., Any], coordinator: User, dept_a: Department, evidence: None
) -> None:
    client = client_for(coordinator)
    body = client.get("/beslutninger/ny/").content.decode()
    assert 'value="save"' in body
    assert 'id="scenario-notice"' not in body
    assert client.post("/beslutninger/ny/", _form(dept_a, action="save")).status_code == 302
    assert Plan.objects.count() == 1


@pytest.mark.parametrize("persona", ["board_member", "outsider"])
def test_a_department_outside_ones_own_is_not_computed(
    client_for: Callable[..., Any],
    personas: dict[str, User],
    dept_b: Department,
    dept_a: Department,
    evidence: None,
    persona: str,
) -> None:
    """The board member of A1 cannot try B1; another organisation's coordinator cannot try A1."""
    target = dept_b if persona == "board_member" else dept_a
    response = client_for(personas[persona]).post(
        "/beslutninger/ny/", _form(target), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" not in body
    assert 'class="message message-error"' in body
    assert not Plan.objects.exists()


@pytest.mark.parametrize("persona", ["caretaker", "resident", "neighbour", "no_role"])
def test_staff_without_plan_rights_and_residents_may_not_try(
    client_for: Callable[..., Any],
    personas: dict[str, User],
    dept_a: Department,
    evidence: None,
    persona: str,
) -> None:
    client = client_for(personas[persona])
    assert client.get("/beslutninger/ny/").status_code == 403
    assert client.post("/beslutninger/ny/", _form(dept_a)).status_code == 403
    assert not Plan.objects.exists()


def test_anonymous_is_sent_to_login(client_for: Callable[..., Any], dept_a: Department) -> None:
    response = client_for(None).post("/beslutninger/ny/", _form(dept_a))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_plan_list_offers_board_member_to_try_but_not_to_edit(
    client_for: Callable[..., Any], board_member: User, coordinator: User
) -> None:
    body = client_for(board_member).get("/beslutninger/").content.decode()
    assert "/beslutninger/ny/" in body
    assert "/beslutninger/katalog/" not in body
    assert (
        "/beslutninger/katalog/" in client_for(coordinator).get("/beslutninger/").content.decode()
    )


@pytest.mark.parametrize(
    ("persona", "save", "status"),
    [
        ("board_member", False, 200),
        ("board_member", True, 403),
        ("coordinator", False, 200),
        ("caretaker", False, 403),
        ("resident", False, 403),
        ("outsider", False, 404),
    ],
)
def test_api_board_member_computes_without_saving(
    api_for: Callable[..., Any],
    personas: dict[str, User],
    dept_a: Department,
    evidence: None,
    persona: str,
    save: bool,
    status: int,
) -> None:
    body = {"department": "A1", "budget_dkk": 50000, "draws": 300, "save": save}
    response = api_for(personas[persona]).post("/api/v1/plans", body)
    assert response.status_code == status, response.content
    assert not Plan.objects.exists()
    if status != 200:
        assert response.json()["detail"]


def test_api_refusals_name_the_department_in_the_users_language(
    api_for: Callable[..., Any], outsider: User, board_member: User, dept_a: Department
) -> None:
    body = {"department": "A1", "budget_dkk": 50000, "draws": 300}
    hidden = api_for(outsider).post("/api/v1/plans", body, HTTP_ACCEPT_LANGUAGE="da")
    assert hidden.status_code == 404
    assert "afdeling 'A1'" in hidden.json()["detail"]
    save = api_for(board_member).post("/api/v1/plans", body, HTTP_ACCEPT_LANGUAGE="da")
    assert save.status_code == 403
    assert "gemme" in save.json()["detail"]
