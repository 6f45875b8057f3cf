"""Survey anonymity against those who run the survey (docs/security.md, "Survey anonymity and
logs"): padding a group with staff-entered answers, live counts, free text before the close,
cells that would say they are not empty."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import instrument, selectors, services
from lokalsamfund.surveys.models import Channel, SurveyComment, SurveyResponse, SurveyRound

from .conftest import blank_answers

pytestmark = pytest.mark.django_db


def _answer(survey_round: SurveyRound, department: Department, channel: str, **kw: object) -> None:
    services.response_submit(
        survey_round=survey_round,
        department=department,
        channel=channel,
        answers=blank_answers(ucla_companionship=3, ucla_left_out=3, ucla_isolated=3),
        **kw,  # type: ignore[arg-type]
    )


def test_a_group_padded_with_paper_answers_shows_nothing(
    make_round: Callable[..., SurveyRound],
    add_responses: Callable[..., object],
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    make_department: Callable[..., Department],
    coordinator: User,
) -> None:
    """k-1 paper answers of the coordinator's own and one resident's answer by link: n = k,
    yet showing A1 would show that one resident's answers."""
    c1 = make_department(org, "C1")
    survey_round = make_round(org, [dept_a, dept_b, c1], slug="polstret")
    add_responses(survey_round, {"B1": 40, "C1": 40})
    for _ in range(4):
        _answer(survey_round, dept_a, Channel.PAPER, actor=coordinator)
    _answer(survey_round, dept_a, Channel.LINK)
    services.round_close(actor=SYSTEM, survey_round=survey_round)
    survey_round.refresh_from_db()
    view = selectors.round_view(survey_round)
    assert view is not None
    a1 = view.departments["A1"]
    assert a1["suppressed"] is True
    assert a1["n"] is None
    assert not a1["indicators"]
    # And it cannot be recovered as the organisation minus the shown departments.
    shown = [g["n"] for g in view.departments.values() if not g["suppressed"]]
    assert view.organisation is not None
    assert view.organisation["n"] - sum(shown) >= 5 + 4


def test_every_breakdown_lists_every_cell_empty_or_hidden_alike(
    make_closed_round: Callable[..., SurveyRound], org: Organisation, dept_a: Department
) -> None:
    survey_round = make_closed_round(org, [dept_a], {"A1": 12}, slug="smaa-celler")
    view = selectors.round_view(survey_round)
    assert view is not None
    groups = view.breakdowns["A1"]
    for breakdown in instrument.BREAKDOWNS:
        options = [o.value for o in instrument.canonical().item(breakdown).options]
        cells = [g["cell"] for g in groups if g["breakdown"] == breakdown]
        assert cells == [*options, "unknown"], breakdown
    hidden = [g for g in groups if g["suppressed"]]
    assert hidden
    # An empty cell and a suppressed one read the same.
    assert {tuple(sorted(g)) for g in hidden} == {tuple(sorted(hidden[0]))}
    assert all(g["n"] is None and g["indicators"] == {} for g in hidden)


def test_free_text_only_after_the_close_in_no_arrival_order(
    make_round: Callable[..., SurveyRound],
    add_responses: Callable[..., object],
    org: Organisation,
    dept_a: Department,
    coordinator: User,
    client_for: Callable[..., Client],
) -> None:
    survey_round = make_round(org, [dept_a], slug="fritekst")
    add_responses(survey_round, {"A1": 10})
    texts = [f"kommentar {i:02d}" for i in range(12)]
    for text in texts:
        _answer(survey_round, dept_a, Channel.LINK, comment=text)
    client = client_for(coordinator)
    page = client.get("/undersoegelser/fritekst/kommentarer/").content.decode()
    assert not any(t in page for t in texts)
    services.round_close(actor=SYSTEM, survey_round=survey_round)
    page = client.get("/undersoegelser/fritekst/kommentarer/").content.decode()
    shown = sorted(texts, key=page.index)
    assert set(shown) == set(texts)
    assert shown != texts  # not in the order they came in
    by_id = [c.text for c in SurveyComment.objects.filter(round=survey_round).order_by("pk")]
    assert shown != by_id


def test_responses_and_comments_get_ids_that_do_not_follow_arrival(
    make_round: Callable[..., SurveyRound],
    add_responses: Callable[..., object],
    org: Organisation,
    dept_a: Department,
) -> None:
    survey_round = make_round(org, [dept_a], slug="tilfaeldige-id")
    for i in range(12):
        _answer(survey_round, dept_a, Channel.LINK, comment=f"k{i}")
    add_responses(survey_round, {"A1": 12})  # the bulk path (imports, demo) too
    for model in (SurveyResponse, SurveyComment):
        ids = list(model.objects.filter(round=survey_round).values_list("pk", flat=True))
        assert len(set(ids)) == len(ids)
        assert ids != sorted(ids) or len(ids) < 2
        assert max(ids) > 10**9  # drawn from a huge range, not counted up
    response = SurveyResponse.objects.filter(round=survey_round).first()
    assert response is not None
    assert type(response.submitted_on).__name__ == "date"  # the day, never the time
