"""How a plan finds its evidence in real survey rounds, and when it is refused."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.decisions.evidence_source import survey_evidence
from lokalsamfund.decisions.planning import PlanRequest, compute_plan
from lokalsamfund.decisions.survey_data import evidence_from_responses
from lokalsamfund.surveys import disclosure, frames, instrument, selectors, services, synthetic
from lokalsamfund.surveys.models import Channel, DepartmentResults, SurveyRound
from tests.surveys.conftest import frame_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(
    make_round: Callable[..., SurveyRound], add_responses: Callable[..., Any]
) -> Callable[..., SurveyRound]:
    """A closed round of ``organisation`` with synthetic responses: ``{department: count}``."""

    def close(
        organisation: Organisation, sizes: dict[Department, int], slug: str, seed: int = 3
    ) -> SurveyRound:
        survey_round = make_round(organisation, list(sizes), slug=slug)
        add_responses(survey_round, {d.code: n for d, n in sizes.items()}, seed=seed)
        services.round_close(actor=SYSTEM, survey_round=survey_round)
        survey_round.refresh_from_db()
        return survey_round

    return close


def _refusal(department: Department, **kwargs: Any) -> DomainError:
    with pytest.raises(DomainError) as info:
        compute_plan(
            department=department,
            request=PlanRequest(budget_dkk=50_000, draws=200, **kwargs),
            language="en",
        )
    return info.value


def test_a_named_round_must_be_a_closed_round_of_the_organisation_covering_the_department(
    org: Organisation,
    other_org: Organisation,
    dept_a: Department,
    dept_b: Department,
    other_dept: Department,
    closed: Callable[..., SurveyRound],
    make_round: Callable[..., SurveyRound],
) -> None:
    closed(other_org, {other_dept: 40}, "andet-2024")
    closed(org, {dept_b: 40}, "kun-b1-2024")
    make_round(org, [dept_a], slug="aaben-2025")
    good = closed(org, {dept_a: 60}, "a1-2024")

    cases = {
        "findes-ikke": "unknown_round",
        "andet-2024": "unknown_round",  # another organisation's round: as if unknown
        "kun-b1-2024": "round_not_covering",
        "aaben-2025": "round_not_closed",
    }
    for slug, problem in cases.items():
        refused = _refusal(dept_a, round_slug=slug, allow_example=True)
        assert refused.details["problem"] == problem
        assert f"'{slug}'" in refused.message
    assert "Anden" not in _refusal(dept_a, round_slug="andet-2024").message

    data = compute_plan(
        department=dept_a,
        request=PlanRequest(budget_dkk=50_000, draws=200, round_slug="a1-2024"),
        language="en",
    ).data
    assert (data["round"], data["evidence"]["kind"]) == (good.slug, "survey")


def test_a_suppressed_department_is_refused_naming_the_round_and_may_use_example_data(
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    make_department: Callable[..., Department],
    closed: Callable[..., SurveyRound],
) -> None:
    # A1 (3 answers) is suppressed, and C1, the smallest other department, with it.
    dept_c = make_department(org, "C1")
    closed(org, {dept_a: 3, dept_b: 60, dept_c: 50}, "lille-2024")
    refused = _refusal(dept_a)
    assert refused.details["problem"] == "suppressed"
    assert "'lille-2024'" in refused.message
    assert "A1" in refused.message
    assert _refusal(dept_a, round_slug="lille-2024", allow_example=True).details["problem"] == (
        "suppressed"
    )
    example = compute_plan(
        department=dept_a,
        request=PlanRequest(budget_dkk=50_000, draws=200, allow_example=True),
        language="en",
    ).data
    assert (example["round"], example["evidence"]["kind"]) == ("eksempeldata", "example")
    assert "EXAMPLE" in example["caveats"][0]
    # Example data is never used when the department has survey evidence.
    survey = compute_plan(
        department=dept_b,
        request=PlanRequest(budget_dkk=50_000, draws=200, allow_example=True),
        language="en",
    ).data
    assert (survey["round"], survey["evidence"]["kind"]) == ("lille-2024", "survey")


def test_the_default_round_is_the_latest_with_shown_results(
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    make_department: Callable[..., Department],
    closed: Callable[..., SurveyRound],
) -> None:
    """A later round in which A1 is suppressed does not hide the earlier round with results;
    a named suppressed round is still refused by name."""
    dept_c = make_department(org, "C1")
    closed(org, {dept_a: 60, dept_b: 40}, "stor-2023")
    closed(org, {dept_a: 3, dept_b: 60, dept_c: 50}, "lille-2024", seed=5)
    data = compute_plan(
        department=dept_a, request=PlanRequest(budget_dkk=50_000, draws=200), language="en"
    ).data
    assert (data["round"], data["evidence"]["kind"]) == ("stor-2023", "survey")
    assert _refusal(dept_a, round_slug="lille-2024").details["problem"] == "suppressed"
    later = compute_plan(
        department=dept_b, request=PlanRequest(budget_dkk=50_000, draws=200), language="en"
    ).data
    assert later["round"] == "lille-2024"


def test_example_data_is_stable_and_made_by_the_survey_analysis(dept_a: Department) -> None:
    request = PlanRequest(budget_dkk=50_000, draws=200, allow_example=True)
    one = compute_plan(department=dept_a, request=request, language="da").data
    two = compute_plan(department=dept_a, request=request, language="da").data
    assert one["why"] == two["why"]
    assert one["evidence"]["respondents"] == round(dept_a.adult_residents * 0.35)
    assert {b["code"] for b in one["why"]["barriers"]} <= set(
        instrument.canonical().flag_codes("barriers")
    )


def test_the_benchmark_path_reads_a_round_as_the_stored_results_do(
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    make_department: Callable[..., Department],
    closed: Callable[..., SurveyRound],
) -> None:
    """``evidence_from_responses`` (benchmark, example data) and the stored results of a
    closed round (``surveys.selectors.department_evidence``) give the same evidence."""
    dept_c = make_department(org, "C1")
    survey_round = closed(org, {dept_a: 70, dept_b: 4, dept_c: 30}, "samme-2024")
    stored = selectors.department_evidence(round=survey_round, department=dept_a)
    assert stored is not None
    computed = evidence_from_responses(
        frames.responses_frame(survey_round.pk),
        round_slug=survey_round.slug,
        adult_residents={d.code: d.adult_residents for d in (dept_a, dept_b, dept_c)},
        benchmark=stored.benchmark,
    )
    assert computed["A1"] == stored
    assert computed["B1"] is None  # n = 4 < k
    assert computed["C1"] is None  # the smallest other department, suppressed with B1
    assert survey_evidence(department=dept_a) == stored


def test_cli_and_api_refuse_a_round_with_its_name(
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    coordinator: User,
    api_for: Callable[..., Any],
    closed: Callable[..., SurveyRound],
) -> None:
    closed(org, {dept_b: 40}, "kun-b1-2024")
    with pytest.raises(CommandError, match="kun-b1-2024"):
        call_command(
            "plan",
            "--department=A1",
            "--round=kun-b1-2024",
            "--budget=1000",
            "--format=json",
            "--language=en",
            stdout=io.StringIO(),
        )
    response = api_for(coordinator).post(
        "/api/v1/plans", {"department": "A1", "round": "kun-b1-2024", "budget_dkk": 1000}
    )
    assert response.status_code == 400
    assert "kun-b1-2024" in response.json()["detail"]


def test_the_planning_page_offers_closed_rounds_and_names_a_refused_one(
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    coordinator: User,
    client_for: Callable[..., Any],
    closed: Callable[..., SurveyRound],
    make_round: Callable[..., SurveyRound],
) -> None:
    closed(org, {dept_b: 40}, "kun-b1-2024")
    closed(org, {dept_a: 40}, "a1-2024")
    make_round(org, [dept_a], slug="aaben-2025")
    client = client_for(coordinator)
    page = client.get("/beslutninger/ny/").content.decode()
    assert 'value="kun-b1-2024"' in page
    assert 'value="a1-2024"' in page
    assert 'value="aaben-2025"' not in page
    fields = {
        "department": dept_a.pk,
        "budget_dkk": 50000,
        "coordinator_hours": 200,
        "driften_hours": 50,
        "seed": 1,
        "draws": 200,
    }
    refused = client.get("/beslutninger/ny/", {**fields, "round": "kun-b1-2024"})
    assert refused.status_code == 200
    assert "kun-b1-2024" in refused.context["error"]
    shown = client.get("/beslutninger/ny/", {**fields, "round": "a1-2024"})
    assert "error" not in shown.context
    assert shown.context["plan"]["round"] == "a1-2024"


def test_a_department_padded_with_staff_entered_answers_gives_the_plan_no_survey_figure(
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    make_department: Callable[..., Department],
    make_round: Callable[..., SurveyRound],
    add_responses: Callable[..., Any],
) -> None:
    """Issue 10 point 4: A1 has k-1 answers by link and many typed in by staff (paper), so its
    results are suppressed; nothing the decision tool reads or shows may carry A1's own
    loneliness share or UCLA counts: the plan falls back to example data and the benchmark."""
    dept_c = make_department(org, "C1")
    survey_round = make_round(org, [dept_a, dept_b, dept_c], slug="polstret-2025")
    add_responses(survey_round, {"B1": 40, "C1": 40}, seed=5)
    k = disclosure.effective_k(survey_round.min_cell_size)
    add_responses(survey_round, {"A1": k - 1}, seed=6)
    paper = synthetic.responses(60, departments=["A1"], sizes=[60], seed=7)
    frames.responses_insert(
        round_id=survey_round.pk,
        frame=paper,
        department_ids={"A1": dept_a.pk},
        channel=Channel.PAPER,
        submitted_on=timezone.localdate(),
    )
    services.round_close(actor=SYSTEM, survey_round=survey_round)
    survey_round.refresh_from_db()

    assert selectors.department_evidence(round=survey_round, department=dept_a) is None
    # The stored results keep no figure of A1 that a later reader could pick up.
    stored = DepartmentResults.objects.filter(round=survey_round, department=dept_a).first()
    assert stored is None or not any(stored.ucla_score_counts.values())
    refused = _refusal(dept_a)
    assert refused.details["problem"] == "suppressed"

    data = compute_plan(
        department=dept_a,
        request=PlanRequest(budget_dkk=50_000, draws=200, allow_example=True),
        language="en",
    ).data
    assert data["evidence"]["kind"] == "example"
    assert data["round"] != survey_round.slug
    assert survey_round.slug not in json.dumps(data)


def test_a_department_whose_loneliness_figure_is_hidden_stores_no_ucla_counts(
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    make_department: Callable[..., Department],
    make_round: Callable[..., SurveyRound],
    add_responses: Callable[..., Any],
) -> None:
    """A1's group is shown (k or more residents' answers), but its severe-loneliness share is
    hidden by the dominance rule (no one lonely, in a small group): the stored results then
    keep no UCLA distribution for A1 either (it would tell the same thing), so no later reader,
    the decision tool included, can work the hidden figure out."""
    dept_c = make_department(org, "C1")
    survey_round = make_round(org, [dept_a, dept_b, dept_c], slug="dominans-2025")
    add_responses(survey_round, {"B1": 40, "C1": 40}, seed=5)
    k = disclosure.effective_k(survey_round.min_cell_size)
    calm = frame_of([{"ucla_companionship": 1, "ucla_left_out": 1, "ucla_isolated": 1}] * (k + 1))
    frames.responses_insert(
        round_id=survey_round.pk,
        frame=calm,
        department_ids={"A1": dept_a.pk},
        channel=Channel.LINK,
        submitted_on=timezone.localdate(),
    )
    services.round_close(actor=SYSTEM, survey_round=survey_round)
    survey_round.refresh_from_db()
    view = selectors.round_view(survey_round)
    assert view is not None
    a1 = view.departments["A1"]
    assert not a1["suppressed"]
    assert selectors.shown(a1, "severe_loneliness_share") is None
    assert selectors.department_evidence(round=survey_round, department=dept_a) is None
    stored = DepartmentResults.objects.get(round=survey_round, department=dept_a)
    assert not any(stored.ucla_score_counts.values())
    # A department whose share is shown keeps its distribution (the decision tool needs it);
    # one of B1 and C1 is hidden with A1 (complementary suppression), the other is shown.
    kept = {
        r.department.code: sum(r.ucla_score_counts.values())
        for r in DepartmentResults.objects.filter(round=survey_round).select_related("department")
    }
    shown = {
        c for c in ("B1", "C1") if selectors.shown(view.departments[c], "severe_loneliness_share")
    }
    assert shown
    assert all(kept[c] > 0 for c in shown)
    assert all(kept[c] == 0 for c in {"B1", "C1"} - shown)
