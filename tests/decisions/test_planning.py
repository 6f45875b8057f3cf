"""compute_plan end to end on test evidence: JSON keys, reproducibility, sources, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department
from lokalsamfund.decisions.planning import PlanRequest, compute_plan

from .conftest import make_evidence

pytestmark = pytest.mark.django_db

Q_KEYS = {"p5", "p50", "p95"}


def test_json_has_the_issue_keys(dept_a: Department, evidence_for: Callable[..., Any]) -> None:
    evidence_for(A1=make_evidence("A1"))
    data = compute_plan(
        department=dept_a,
        request=PlanRequest(budget_dkk=120_000, seed=7, draws=2000),
        language="da",
    ).data
    assert {
        "department",
        "round",
        "seed",
        "draws",
        "why",
        "portfolio",
        "totals",
        "left_out",
        "sensitivity",
        "assumptions",
    } <= set(data)
    assert (data["department"], data["round"], data["seed"], data["draws"]) == (
        "A1",
        "runde-2025",
        7,
        2000,
    )
    why = data["why"]
    assert why["adult_residents"] == dept_a.adult_residents
    assert why["severe_loneliness_share"]["value"] == pytest.approx(20 / 140, abs=1e-4)
    assert why["benchmark"] == {
        "value": 0.124,
        "year": 2021,
        "source": "Den Nationale Sundhedsprofil 2021",
    }
    assert set(why["lonely_residents"]) == Q_KEYS
    assert set(why["annual_cost_dkk"]) == {"public_budget", "societal"}
    assert [b["code"] for b in why["top_barriers"]] == [
        "barrier_know_nobody",
        "barrier_time",
        "barrier_language",
    ]
    assert data["portfolio"], "a budget of 120,000 DKK buys something"
    for item in data["portfolio"]:
        for key in ("participants", "people_helped", "social_value_dkk"):
            assert set(item[key]) == Q_KEYS
        assert item["reason"]
        assert item["scale"] >= 1
    assert sum(i["cost_dkk"] for i in data["portfolio"]) == data["totals"]["cost_dkk"] <= 120_000
    assert set(data["totals"]["sroi"]) == Q_KEYS
    assert all(a["source"] for a in data["assumptions"])
    assert not any("HACT" in a["name"] for a in data["assumptions"])


def test_same_seed_same_bytes_other_seed_other_bytes(
    dept_a: Department, evidence_for: Callable[..., Any]
) -> None:
    evidence_for(A1=make_evidence("A1"))
    req = PlanRequest(budget_dkk=80_000, seed=11, draws=1000)
    one = compute_plan(department=dept_a, request=req, language="da").json_text
    two = compute_plan(department=dept_a, request=req, language="da").json_text
    other = compute_plan(
        department=dept_a,
        request=PlanRequest(budget_dkk=80_000, seed=12, draws=1000),
        language="da",
    ).json_text
    assert one == two
    assert one != other
    assert json.loads(one)["seed"] == 11


def test_facility_hours_source_is_shown(
    dept_a: Department, evidence_for: Callable[..., Any]
) -> None:
    evidence_for(A1=make_evidence("A1"))
    data = compute_plan(
        department=dept_a, request=PlanRequest(budget_dkk=50_000, draws=500), language="da"
    ).data
    assert data["resources"]["facility_hours_source"] == "no_facility"
    assert data["resources"]["facility_hours"] == 0
    assert all(p["facility_hours"] == 0 for p in data["portfolio"])
    given = compute_plan(
        department=dept_a,
        request=PlanRequest(budget_dkk=50_000, draws=500, facility_hours=300),
        language="da",
    ).data
    assert given["resources"]["facility_hours_source"] == "input"


def test_no_evidence_is_an_error_unless_example_data_is_allowed(dept_a: Department) -> None:
    with pytest.raises(DomainError) as info:
        compute_plan(department=dept_a, request=PlanRequest(budget_dkk=1000), language="en")
    assert info.value.details["problem"] == "no_round"
    assert "A1" in info.value.message
    data = compute_plan(
        department=dept_a,
        request=PlanRequest(budget_dkk=1000, draws=500, allow_example=True),
        language="en",
    ).data
    assert data["evidence"]["kind"] == "example"
    assert "EXAMPLE" in data["caveats"][0]


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("budget_dkk", {"budget_dkk": -1}),
        ("draws", {"budget_dkk": 1, "draws": 5}),
        ("risk_quantile", {"budget_dkk": 1, "risk_quantile": 0.9}),
    ],
)
def test_bad_input_names_the_field(
    dept_a: Department, evidence_for: Callable[..., Any], field: str, kwargs: dict[str, Any]
) -> None:
    evidence_for(A1=make_evidence("A1"))
    with pytest.raises(DomainError) as info:
        compute_plan(department=dept_a, request=PlanRequest(**kwargs), language="en")
    assert field in info.value.message


def test_more_budget_gives_at_least_the_same_expected_value(
    dept_a: Department, evidence_for: Callable[..., Any]
) -> None:
    evidence_for(A1=make_evidence("A1"))
    values = []
    for budget in (10_000, 40_000, 160_000):
        data = compute_plan(
            department=dept_a,
            request=PlanRequest(budget_dkk=budget, draws=1000, seed=2),
            language="da",
        ).data
        values.append((len(data["coverage"]["covered"]), sum(p["objective_per_unit"] for p in [])))
        values[-1] = (values[-1][0], data["totals"]["cost_dkk"])
    assert values == sorted(values)


def test_the_what_if_table_reuses_the_plan_and_matches_whole_plans(
    dept_a: Department, evidence_for: Callable[..., Any]
) -> None:
    """The table of other budgets comes from the plan's own model and draws and says what a
    whole plan at that budget says."""
    from lokalsamfund.decisions.planning import what_if

    evidence_for(A1=make_evidence("A1"))
    request = PlanRequest(budget_dkk=80_000, draws=400, seed=3)
    computed = compute_plan(department=dept_a, request=request, language="en")
    rows = what_if(computed, (0.5, 1.0, 1.5))
    for factor, row in zip((0.5, 1.0, 1.5), rows, strict=True):
        whole = compute_plan(
            department=dept_a,
            request=PlanRequest(budget_dkk=80_000 * factor, draws=400, seed=3),
            language="en",
        ).data
        assert round(row.cost_dkk) == whole["totals"]["cost_dkk"]
        assert round(row.social_value.p50) == whole["totals"]["social_value_dkk"]["p50"]
        assert [a.slug for a, _ in row.chosen] == [p["activity"] for p in whole["portfolio"]]


def test_one_preview_builds_the_plan_once(
    client_for: Callable[..., Any],
    coordinator: Any,
    dept_a: Department,
    evidence_for: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each change of a field computed the plan four times (the plan and three budgets)."""
    from lokalsamfund.decisions import planning

    evidence_for(A1=make_evidence("A1"))
    calls: list[float] = []
    real = planning.build_plan

    def counting(model: Any, resources: Any, options: Any) -> Any:
        calls.append(resources.budget_dkk)
        return real(model, resources, options)

    monkeypatch.setattr(planning, "build_plan", counting)
    form = {
        "department": dept_a.pk,
        "budget_dkk": 70000,
        "coordinator_hours": 200,
        "driften_hours": 50,
        "seed": 4,
        "draws": 300,
    }
    preview = client_for(coordinator).post(
        "/beslutninger/ny/", form, headers={"HX-Request": "true"}
    )
    assert preview.status_code == 200
    assert len(preview.context["what_if"]) == 3
    assert calls == [70000]
