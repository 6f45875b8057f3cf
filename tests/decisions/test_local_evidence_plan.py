"""The network's local evidence in plans: a plan is the same with or without it unless the
planner chooses it; when chosen, the participants of the types with local evidence come from
it (and the department's own realised reach still comes first), labelled in the JSON, the
report and the API."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.decisions.catalogue import catalogue_for
from lokalsamfund.decisions.planning import PlanRequest, compute_plan, local_people
from lokalsamfund.network import shared_reach
from lokalsamfund.surveys.models import SurveyRound
from tests.network.conftest import (  # noqa: F401 - fixtures
    TYPE,
    dinners,
    make_closed_round,
    own_round,
    reach_orgs,
    sharing_orgs,
)
from tests.surveys.conftest import add_responses, make_round  # noqa: F401 - fixtures

REQUEST = PlanRequest(budget_dkk=150_000, draws=300)
CHOSEN = PlanRequest(budget_dkk=150_000, draws=300, use_local_evidence=True)


def participants(plan: Any, slug: str) -> Any:
    return next(a for a in plan.result.model.activities if a.slug == slug).participants


def test_plan_unchanged_unless_the_planner_chooses_local_evidence(
    sharing_orgs: list[SurveyRound],  # noqa: F811
    own_round: SurveyRound,  # noqa: F811
    dept_a: Department,
    make_department: Callable[..., Department],
) -> None:
    before = compute_plan(department=dept_a, request=REQUEST, language="da").json_text
    for survey_round in sharing_orgs:
        organisation = survey_round.organisation
        for j, department in enumerate(
            Department.objects.filter(organisation=organisation).order_by("code")
        ):
            dinners(organisation, department, 12 + 5 * j)
        shared_reach.reach_share(actor=SYSTEM, organisation=organisation)
    after = compute_plan(department=dept_a, request=REQUEST, language="da")
    assert after.json_text == before
    assert "local_evidence" not in after.data

    chosen = compute_plan(department=dept_a, request=CHOSEN, language="da")
    assert chosen.json_text != before
    section = chosen.data["local_evidence"]
    assert section["chosen"] is True
    used = {u["activity"]: u for u in section["used"]}
    assert set(used) == {TYPE}
    assert used[TYPE]["source"] == "3 organisationer i netværket"
    assert (used[TYPE]["organisations"], used[TYPE]["departments"]) == (3, 6)
    row = next(a for a in catalogue_for(dept_a.organisation) if a.slug == TYPE)
    local = shared_reach.local_evidence_for(dept_a.organisation, [TYPE])[TYPE]
    expected = local_people(row, local)
    assert expected is not None
    assert participants(chosen, TYPE) == expected
    assert participants(after, TYPE).value == row.participants
    # three months of 12-14 (and 17-19) a month, a year: far fewer than the catalogue's guess
    assert expected.value < row.participants
    # the other types keep the catalogue's estimates
    for other in catalogue_for(dept_a.organisation):
        if other.slug != TYPE:
            assert participants(chosen, other.slug) == participants(after, other.slug)


def test_own_realised_reach_comes_before_local_evidence(
    reach_orgs: list[Organisation],  # noqa: F811
    own_round: SurveyRound,  # noqa: F811
    org: Organisation,
    dept_a: Department,
) -> None:
    dinners(org, dept_a, 30)
    chosen = compute_plan(department=dept_a, request=CHOSEN, language="da")
    assert chosen.data["local_evidence"]["used"] == []
    assert TYPE in chosen.data["realised_reach_used"]


def test_report_and_api_label_the_choice(
    reach_orgs: list[Organisation],  # noqa: F811
    own_round: SurveyRound,  # noqa: F811
    coordinator: User,
    board_member: User,
    client_for: Callable[[User | None], Any],
    api_for: Callable[[User | None], Any],
) -> None:
    body = {"department": "A1", "budget_dkk": 150000, "draws": 300, "save": False}
    plain = api_for(board_member).post("/api/v1/plans", body)
    assert plain.status_code == 200, plain.content
    assert "local_evidence" not in plain.json()["plan"]
    chosen = api_for(board_member).post("/api/v1/plans", {**body, "local_evidence": True})
    assert chosen.status_code == 200
    assert chosen.json()["plan"]["local_evidence"]["used"][0]["activity"] == TYPE
    saved = api_for(coordinator).post(
        "/api/v1/plans", {**body, "save": True, "local_evidence": True}
    )
    assert saved.status_code == 201
    page = client_for(board_member).get(f"/beslutninger/planer/{saved.json()['id']}/")
    html = page.content.decode()
    assert 'data-local-evidence="chosen"' in html
    assert "Lokal evidens fra netværket, valgt af den, der lavede planen" in html
    stored = json.loads(
        client_for(coordinator).get(f"/beslutninger/planer/{saved.json()['id']}/plan.json").content
    )
    assert stored["local_evidence"]["used"][0]["source"] == "3 organisationer i netværket"


@pytest.mark.parametrize("checked", [False, True])
def test_planning_page_checkbox(
    reach_orgs: list[Organisation],  # noqa: F811
    own_round: SurveyRound,  # noqa: F811
    dept_a: Department,
    board_member: User,
    client_for: Callable[[User | None], Any],
    checked: bool,
) -> None:
    form: dict[str, Any] = {
        "department": dept_a.pk,
        "budget_dkk": 150000,
        "coordinator_hours": 200,
        "driften_hours": 50,
        "seed": 1,
        "draws": 300,
        "risk_quantile": "",
    }
    if checked:
        form["local_evidence"] = "on"
    page = client_for(board_member).post("/beslutninger/ny/", form, headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert (
        'name="local_evidence"'
        in client_for(board_member).get("/beslutninger/ny/").content.decode()
    )
    assert ('data-local-evidence="chosen"' in page.content.decode()) is checked
