"""The residents' form without JavaScript: code or open link, steps, going back keeps the
answers, review, submit; answers stay in the browser until submit; nothing identifying is
stored; other languages (right to left) come from the organisation's texts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import codes, drafts, services
from lokalsamfund.surveys.models import (
    AnswerCode,
    SurveyComment,
    SurveyLanguage,
    SurveyResponse,
    SurveyRound,
    SurveyText,
)


@pytest.fixture
def survey_round(
    make_round: Callable[..., SurveyRound], org: Organisation, dept_a: Department
) -> SurveyRound:
    return make_round(org, [dept_a])


def _start_with_code(client: Client, survey_round: SurveyRound, department: Department) -> str:
    [code] = services.codes_generate(
        actor=SYSTEM, survey_round=survey_round, department=department, count=1
    )
    response = client.post("/s/", {"code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    assert response["Location"] == "/s/start/"
    return code


def test_code_form_answer_go_back_review_and_submit(
    survey_round: SurveyRound, dept_a: Department
) -> None:
    client = Client()
    _start_with_code(client, survey_round, dept_a)
    assert "Fællesskabsmålingen" in client.get("/s/start/").content.decode()
    page = client.get("/s/trin/1/").content.decode()
    assert 'progress max="8" value="1"' in page
    assert "Trin 1 af 8" in page
    client.post("/s/trin/1/", {"age_group": "2", "household": "1", "nav": "next"})
    response = client.post("/s/trin/2/", {"ucla_isolated": "3", "nav": "back"})
    assert response["Location"] == "/s/trin/1/"
    # Going back keeps what was answered on both pages.
    page = client.get("/s/trin/1/").content.decode()
    assert 'name="age_group" value="2" checked' in page
    assert 'name="ucla_isolated" value="3" checked' in client.get("/s/trin/2/").content.decode()
    client.post("/s/trin/5/", {"barriers": ["barrier_time", "barrier_cost"], "nav": "next"})
    client.post("/s/trin/6/", {"wishes": ["none"], "nav": "next"})
    client.post("/s/trin/7/", {"comment": "Mere grønt, tak", "nav": "next"})
    review = client.get("/s/oversigt/").content.decode()
    assert "25-34 år" in review
    assert "Ofte" in review
    assert "Ingen af disse" in review
    assert SurveyResponse.objects.count() == 0  # nothing stored before submit
    assert Session.objects.count() == 0  # not even in the session table
    response = client.post("/s/oversigt/")
    assert response["Location"] == "/s/tak/"
    thanks = client.get("/s/tak/").content.decode()
    assert "Tak for dine svar" in thanks
    assert "70 201 201" in thanks  # Livslinien
    stored = SurveyResponse.objects.get()
    assert (stored.age_group, stored.household, stored.ucla_isolated) == (2, 1, 3)
    assert (stored.barrier_time, stored.barrier_cost, stored.barrier_no_need) == (1, 1, 0)
    assert (stored.wish_meals, stored.wish_cafe) == (0, 0)  # "none of these": answered, 0
    assert stored.trust is None
    assert stored.channel == "code"
    assert list(SurveyComment.objects.values_list("text", flat=True)) == ["Mere grønt, tak"]
    assert AnswerCode.objects.get().used
    # Sent: a second submit (a reload, a double click) stores nothing and thanks again, and
    # the thank-you page survives a reload.
    assert client.post("/s/oversigt/")["Location"] == "/s/tak/"
    assert client.get("/s/tak/").status_code == 200
    assert SurveyResponse.objects.count() == 1


def test_a_response_stores_nothing_that_identifies_the_resident(
    survey_round: SurveyRound, dept_a: Department
) -> None:
    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert not fields & {"ip", "ip_address", "user", "user_agent", "created_at", "email", "code"}
    submitted = SurveyResponse._meta.get_field("submitted_on")
    assert submitted.get_internal_type() == "DateField"
    assert {f.name for f in SurveyComment._meta.get_fields()} == {
        "id",
        "round",
        "department",
        "text",
        "redacted",
    }
    assert {f.name for f in AnswerCode._meta.get_fields()} == {
        "id",
        "round",
        "department",
        "code_hash",
        "used",
    }


def test_open_link_answers_for_its_department(
    survey_round: SurveyRound, dept_a: Department
) -> None:
    client = Client()
    token = survey_round.links.get(department=dept_a).token
    assert client.get(f"/s/l/{token}/")["Location"] == "/s/start/"
    client.post("/s/trin/4/", {"trust": "5", "nav": "next"})
    client.post("/s/oversigt/")
    stored = SurveyResponse.objects.get()
    assert (stored.department, stored.channel, stored.trust) == (dept_a, "link", 5)


def test_wrong_code_and_closed_round(survey_round: SurveyRound, dept_a: Department) -> None:
    client = Client()
    response = client.post("/s/", {"code": "ABCD-EFGH"})
    assert response.status_code == 400
    assert "Koden findes ikke" in response.content.decode()
    code = _start_with_code(client, survey_round, dept_a)
    services.round_close(actor=SYSTEM, survey_round=survey_round)
    assert client.get("/s/trin/1/").status_code == 410
    assert Client().post("/s/", {"code": code}).status_code == 400


def test_tampered_answer_is_refused(survey_round: SurveyRound, dept_a: Department) -> None:
    client = Client()
    _start_with_code(client, survey_round, dept_a)
    response = client.post("/s/trin/1/", {"age_group": "99", "nav": "next"})
    assert response.status_code == 400
    client.cookies[drafts.COOKIE] = "forged"
    assert client.get("/s/trin/1/")["Location"] == "/s/"


def test_an_organisation_language_right_to_left(
    survey_round: SurveyRound, dept_a: Department, org: Organisation
) -> None:
    SurveyLanguage.objects.create(organisation=org, code="ar", name="العربية", direction="rtl")
    SurveyText.objects.create(
        organisation=org, language="ar", key="item.age_group", text="كم عمرك؟"
    )
    client = Client()
    token = survey_round.links.get(department=dept_a).token
    client.get(f"/s/l/{token}/")
    assert 'lang="ar"' in client.get("/s/start/?sprog=ar", follow=True).content.decode()
    page = client.get("/s/trin/1/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "كم عمرك؟" in page
    assert "Hvem bor du sammen med?" in page  # not translated yet: falls back to Danish


def test_staff_type_in_paper_answers_through_the_same_validation(
    survey_round: SurveyRound, dept_a: Department, caretaker: User, resident: User
) -> None:
    client = Client()
    client.force_login(caretaker)
    url = f"/undersoegelser/{survey_round.slug}/papir/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"department": dept_a.pk, "trust": "9"})
    assert response.status_code == 200
    assert SurveyResponse.objects.count() == 0
    client.post(url, {"department": dept_a.pk, "trust": "2", "wishes": ["wish_garden"]})
    stored = SurveyResponse.objects.get()
    assert (stored.channel, stored.trust, stored.wish_garden, stored.wish_meals) == (
        "paper",
        2,
        1,
        0,
    )
    client.force_login(resident)
    assert client.get(url).status_code == 403


def _answered_by_link(client: Client, survey_round: SurveyRound, department: Department) -> str:
    """Begin by the open link and answer a question; returns the draft cookie as it was."""
    token = survey_round.links.get(department=department).token
    client.get(f"/s/l/{token}/")
    client.post("/s/trin/4/", {"trust": "5", "nav": "next"})
    return client.cookies[drafts.COOKIE].value


def test_a_draft_submits_once_however_often_it_is_replayed(
    survey_round: SurveyRound, dept_a: Department
) -> None:
    client = Client()
    kept = _answered_by_link(client, survey_round, dept_a)
    client.post("/s/oversigt/")
    for _ in range(5):
        replay = Client()
        replay.cookies[drafts.COOKIE] = kept  # the draft as it was before submit
        assert replay.post("/s/oversigt/")["Location"] == "/s/tak/"
    assert SurveyResponse.objects.count() == 1


def test_a_draft_cannot_be_submitted_after_its_link_was_switched_off(
    survey_round: SurveyRound, dept_a: Department, coordinator: User
) -> None:
    client = Client()
    _answered_by_link(client, survey_round, dept_a)
    link = survey_round.links.get(department=dept_a)
    services.link_set_active(actor=coordinator, link=link, active=False)
    response = client.post("/s/oversigt/")
    assert response.status_code == 409
    assert "slået fra" in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_a_wrong_code_stays_in_the_field_with_the_error(survey_round: SurveyRound) -> None:
    page = Client().post("/s/", {"code": "abcd-efgh"}).content.decode()
    assert 'value="abcd-efgh"' in page
    assert page.count('role="alert"') == 1


def test_the_code_travels_only_by_post(survey_round: SurveyRound, dept_a: Department) -> None:
    [code] = services.codes_generate(
        actor=SYSTEM, survey_round=survey_round, department=dept_a, count=1
    )
    client = Client()
    # An address with the code starts nothing (it would be in logs and histories) ...
    assert client.get(f"/s/?kode={code}").status_code == 200
    old_letter = client.get(f"/s/k/{code}/")
    assert old_letter.status_code == 200
    assert f'value="{codes.formatted(code)}"' in old_letter.content.decode()  # ... the form
    assert not AnswerCode.objects.get().used
    assert drafts.COOKIE not in client.cookies
