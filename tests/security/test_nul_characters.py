"""Second attack (docs/security.md): a NUL character in an address, a form field or an
uploaded table was a 500 on PostgreSQL, which refuses NUL in a query; the survey's comment
lost the resident's answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.core.tabular import TableLimits, TableRejected, read_table
from lokalsamfund.surveys import services as survey_services
from lokalsamfund.surveys.models import SurveyComment, SurveyResponse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/s/l/ab%00cd/",  # an open link's token, compared with a column
        "/bookings/feed/ab%00cd.ics",  # a calendar feed's key
        "/beslutninger/katalog/?org=a%00b",  # an organisation's slug in the query
        "/api/v1/survey-rounds/a%00b/results",
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_a_nul_character_in_the_address_is_refused_before_any_query(
    path: str, who: str, coordinator: User
) -> None:
    client = Client(raise_request_exception=False)
    if who == "coordinator":
        client.force_login(coordinator)
    assert client.get(path).status_code == 400


def test_a_nul_character_in_the_survey_comment_is_refused_and_the_answers_can_still_be_sent(
    org: Organisation, dept_a: Department
) -> None:
    survey_round = survey_services.round_create(
        actor=SYSTEM, organisation=org, slug="runde", title="T", departments=[dept_a], open_now=True
    )
    [code] = survey_services.codes_generate(
        actor=SYSTEM, survey_round=survey_round, department=dept_a, count=1
    )
    client = Client(raise_request_exception=False)
    client.post("/s/", {"code": code})
    refused = client.post("/s/trin/7/", {"comment": "Mere\x00grønt", "nav": "next"})
    assert refused.status_code == 400
    client.post("/s/trin/7/", {"comment": "Mere grønt", "nav": "next"})
    assert client.post("/s/oversigt/").status_code == 302
    assert SurveyResponse.objects.count() == 1
    assert list(SurveyComment.objects.values_list("text", flat=True)) == ["Mere grønt"]


def test_a_nul_character_in_a_form_field_is_refused_but_files_may_hold_any_byte(
    client_for: Callable[[User | None], Client], coordinator: User, org: Organisation
) -> None:
    client = client_for(coordinator)
    assert client.post("/login/", {"username": "a\x00b@x.dk", "password": "x"}).status_code == 400
    # A binary upload is not refused for its bytes; the reader judges its cells.
    upload = SimpleUploadedFile("bank.xlsx", b"PK\x03\x04\x00\x00")
    response = client.post("/beslutninger/vaerdibank/", {"file": upload}, follow=True)
    assert response.status_code == 200


def test_the_table_reader_refuses_a_cell_with_a_nul_character() -> None:
    with translation.override("en"), pytest.raises(TableRejected) as caught:
        list(read_table(b"a,b\nx,y\x00z\n", "t.csv", limits=TableLimits()))
    assert caught.value.messages == [
        "line 2, column B (b): the cell contains a NUL character; save the file as text."
    ]
