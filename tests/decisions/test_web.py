"""Pages: who may, who may not, and never another organisation's plans."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lokalsamfund.core.models import AuditEntry, Department, Organisation, User
from lokalsamfund.decisions import services
from lokalsamfund.decisions.models import ActivityType, Plan, ValueBankEntry, ValueParameter
from lokalsamfund.decisions.planning import PlanRequest

from .conftest import make_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(
    coordinator: User,
    outsider: User,
    dept_a: Department,
    dept_b: Department,
    other_dept: Department,
    evidence_for: Callable[..., Any],
) -> dict[str, Plan]:
    evidence_for(A1=make_evidence("A1"), B1=make_evidence("B1"), X1=make_evidence("X1"))
    req = PlanRequest(budget_dkk=60_000, draws=300)
    return {
        "A1": services.plan_create(
            actor=coordinator, department=dept_a, request=req, title="Plan A"
        ),
        "B1": services.plan_create(
            actor=coordinator, department=dept_b, request=req, title="Plan B"
        ),
        "X1": services.plan_create(
            actor=outsider, department=other_dept, request=req, title="Plan X"
        ),
    }


@pytest.mark.parametrize(
    ("persona", "status", "visible"),
    [
        ("admin", 200, {"Plan A", "Plan B"}),
        ("coordinator", 200, {"Plan A", "Plan B"}),
        ("board_member", 200, {"Plan A"}),
        ("outsider", 200, {"Plan X"}),
        ("resident", 403, set()),
        ("caretaker", 403, set()),
        ("neighbour", 403, set()),
        ("no_role", 403, set()),
    ],
)
def test_plan_list_shows_only_own_departments(
    client_for: Callable[..., Any],
    personas: dict[str, User],
    plans: dict[str, Plan],
    persona: str,
    status: int,
    visible: set[str],
) -> None:
    response = client_for(personas[persona]).get("/beslutninger/")
    assert response.status_code == status
    if status == 200:
        shown = {t for t in ("Plan A", "Plan B", "Plan X") if t in response.content.decode()}
        assert shown == visible


@pytest.mark.parametrize(
    ("persona", "plan", "status"),
    [
        ("board_member", "A1", 200),
        ("board_member", "B1", 404),
        ("outsider", "A1", 404),
        ("coordinator", "X1", 404),
        ("resident", "A1", 404),
        ("coordinator", "B1", 200),
    ],
)
def test_plan_detail_pdf_json_scoped(
    client_for: Callable[..., Any],
    personas: dict[str, User],
    plans: dict[str, Plan],
    persona: str,
    plan: str,
    status: int,
) -> None:
    client = client_for(personas[persona])
    pk = plans[plan].pk
    assert client.get(f"/beslutninger/planer/{pk}/").status_code == status
    assert client.get(f"/beslutninger/planer/{pk}/plan.json").status_code == status
    if status == 200:
        response = client.get(f"/beslutninger/planer/{pk}/rapport.pdf")
        assert response["Content-Type"] == "application/pdf"


def test_anonymous_is_sent_to_login(client_for: Callable[..., Any], plans: dict[str, Plan]) -> None:
    response = client_for(None).get(f"/beslutninger/planer/{plans['A1'].pk}/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_coordinator_previews_with_htmx_and_saves(
    client_for: Callable[..., Any],
    coordinator: User,
    dept_a: Department,
    evidence_for: Callable[..., Any],
) -> None:
    evidence_for(A1=make_evidence("A1"))
    client = client_for(coordinator)
    assert client.get("/beslutninger/ny/").status_code == 200
    form = {
        "department": dept_a.pk,
        "budget_dkk": 70000,
        "coordinator_hours": 200,
        "driften_hours": 50,
        "seed": 4,
        "draws": 300,
        "risk_quantile": "",
    }
    preview = client.post("/beslutninger/ny/", form, headers={"HX-Request": "true"})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert body.lstrip().startswith('<div id="preview"')
    assert "<svg" in body
    assert "<html" not in body
    assert not Plan.objects.exists()
    # htmx sends the last clicked button with a preview; a preview never saves.
    late = client.post(
        "/beslutninger/ny/", {**form, "action": "save"}, headers={"HX-Request": "true"}
    )
    assert late.status_code == 200
    assert not Plan.objects.exists()
    saved = client.post("/beslutninger/ny/", {**form, "action": "save", "title": "Til mødet"})
    assert saved.status_code == 302
    plan = Plan.objects.get()
    assert plan.title == "Til mødet"
    assert plan.department == dept_a
    assert plan.seed == 4
    assert AuditEntry.objects.filter(action="decisions.plan_created").count() == 1


def test_bad_planning_input_changes_nothing(
    client_for: Callable[..., Any], coordinator: User, dept_a: Department
) -> None:
    client = client_for(coordinator)
    response = client.post(
        "/beslutninger/ny/",
        {
            "department": dept_a.pk,
            "budget_dkk": -3,
            "coordinator_hours": 1,
            "driften_hours": 1,
            "seed": 1,
            "draws": 300,
            "action": "save",
        },
    )
    assert response.status_code == 200
    assert not Plan.objects.exists()
    no_evidence = client.post(
        "/beslutninger/ny/",
        {
            "department": dept_a.pk,
            "budget_dkk": 5,
            "coordinator_hours": 1,
            "driften_hours": 1,
            "seed": 1,
            "draws": 300,
            "action": "save",
        },
    )
    assert "A1" in no_evidence.content.decode()
    assert not Plan.objects.exists()


def test_board_member_may_not_save_delete_or_edit(
    client_for: Callable[..., Any], board_member: User, dept_a: Department, plans: dict[str, Plan]
) -> None:
    """A board member tries budgets (test_board_scenarios.py) but edits nothing."""
    client = client_for(board_member)
    for url in ("/beslutninger/katalog/", "/beslutninger/parametre/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/beslutninger/planer/{plans['A1'].pk}/slet/").status_code == 403
    assert Plan.objects.filter(pk=plans["A1"].pk).exists()


def test_compare_side_by_side(
    client_for: Callable[..., Any], coordinator: User, plans: dict[str, Plan]
) -> None:
    client = client_for(coordinator)
    response = client.get(
        f"/beslutninger/sammenlign/?plan={plans['A1'].pk}&plan={plans['B1'].pk}&plan={plans['X1'].pk}"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Plan A" in body
    assert "Plan B" in body
    assert "Plan X" not in body


def test_editing_a_shipped_activity_makes_an_organisation_copy(
    client_for: Callable[..., Any], coordinator: User, outsider: User, org: Organisation
) -> None:
    client = client_for(coordinator)
    page = client.get("/beslutninger/katalog/faellesspisning/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    data.update(
        {
            "materials_dkk": 1234,
            "barriers": ["barrier_cost"],
            "wishes": ["wish_meals"],
            "target_groups": "alle",
            "is_active": "on",
            "organisation": "",
        }
    )
    data.pop("organisation")
    response = client.post("/beslutninger/katalog/faellesspisning/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    own = ActivityType.objects.get(organisation=org, slug="faellesspisning")
    assert own.materials_dkk == 1234
    assert (
        ActivityType.objects.get(organisation=None, slug="faellesspisning").materials_dkk == 20000
    )
    other = client_for(outsider).get("/beslutninger/katalog/")
    assert "1.234" not in other.content.decode()


def test_parameter_override_needs_a_valid_interval_and_source(
    client_for: Callable[..., Any], coordinator: User, org: Organisation
) -> None:
    client = client_for(coordinator)
    assert client.get("/beslutninger/parametre/?edit=deadweight").status_code == 200
    bad = client.post(
        "/beslutninger/parametre/?edit=deadweight",
        {
            "key": "deadweight",
            "value": 0.5,
            "low": 0.6,
            "high": 0.7,
            "distribution": "triangular",
            "year": 2025,
            "source": "Egen vurdering",
        },
    )
    assert bad.status_code == 200
    assert not ValueParameter.objects.filter(organisation=org).exists()
    good = client.post(
        "/beslutninger/parametre/?edit=deadweight",
        {
            "key": "deadweight",
            "value": 0.3,
            "low": 0.2,
            "high": 0.4,
            "distribution": "triangular",
            "year": 2025,
            "source": "Egen vurdering",
        },
    )
    assert good.status_code == 302
    assert ValueParameter.objects.get(organisation=org, key="deadweight").value == 0.3


def test_value_bank_import_rejects_the_whole_file(
    client_for: Callable[..., Any], coordinator: User, org: Organisation
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(coordinator)
    good = b"outcome,value,unit,source\nLeaving loneliness,10000,GBP/person/year,Our licence 2024\n"
    client.post("/beslutninger/vaerdibank/", {"file": SimpleUploadedFile("b.csv", good)})
    assert ValueBankEntry.objects.filter(organisation=org).count() == 1
    bad = b"outcome;value;unit;source\nA;12;DKK/person/year;S\nB;abc;DKK/person/year;S\nC;3;EUR;S\n"
    response = client.post(
        "/beslutninger/vaerdibank/", {"file": SimpleUploadedFile("b.csv", bad)}, follow=True
    )
    body = response.content.decode()
    assert "line 3, column value: &#x27;abc&#x27;" in body or "linje 3, kolonne value" in body
    assert "EUR" in body
    assert list(
        ValueBankEntry.objects.filter(organisation=org).values_list("outcome", flat=True)
    ) == ["Leaving loneliness"]
