"""The import format: every error class, whole-file rejection, encodings, delimiters, XLSX,
labels; the upload page and the service store all or nothing."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from openpyxl import Workbook

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import services
from lokalsamfund.surveys.importing import ImportRejected, parse_import
from lokalsamfund.surveys.models import SurveyComment, SurveyResponse, SurveyRound

DEPARTMENTS = ["A1", "B1"]


@pytest.fixture(autouse=True)
def _english() -> object:
    """Messages in English here (Danish is the default; one test checks it)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def _parse(text: str, filename: str = "svar.csv", **kwargs: object) -> list:
    return parse_import(text.encode("utf-8"), filename, departments=DEPARTMENTS, **kwargs)  # type: ignore[arg-type]


def _rejected(data: bytes | str, filename: str = "svar.csv", **kwargs: object) -> list[str]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(ImportRejected) as caught:
        parse_import(raw, filename, departments=DEPARTMENTS, **kwargs)  # type: ignore[arg-type]
    return caught.value.messages


def test_codes_and_labels_in_danish_and_english_are_accepted() -> None:
    rows = _parse(
        "department,age_group,ucla_isolated,lonely_direct,household,barrier_time,barrier_cost\n"
        "A1,16-24,3,5,alone,1,\n"
        "b1,75 år eller ældre,Ofte,often or always,Jeg bor alene,ja,\n"
        "A1,,,,,,\n".replace("A1,,,,,,\n", "A1,25-34,1,,,,\n")
    )
    assert [r.department for r in rows] == ["A1", "B1", "A1"]
    assert rows[0].answers["age_group"] == 1
    assert rows[1].answers["age_group"] == 7
    assert rows[1].answers["ucla_isolated"] == 3
    assert rows[1].answers["lonely_direct"] == 5
    assert rows[1].answers["household"] == 1
    # A block with any flag given is answered; its empty flags are 0.
    assert rows[0].answers["barrier_time"] == 1
    assert rows[0].answers["barrier_cost"] == 0
    assert rows[2].answers["barrier_time"] is None


def test_semicolon_bom_and_windows_1252() -> None:
    text = "department;household;best_time;comment\nA1;Med en partner;I weekenden;Grønne områder\n"
    rows = parse_import(("\ufeff" + text).encode("utf-8"), "a.csv", departments=DEPARTMENTS)
    assert rows[0].answers["household"] == 2
    assert rows[0].comment == "Grønne områder"
    rows = parse_import(text.encode("cp1252"), "a.csv", departments=DEPARTMENTS)
    assert rows[0].answers["best_time"] == 3
    assert rows[0].comment == "Grønne områder"


def test_xlsx_first_sheet() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["department", "ucla_left_out", "who5_1"])
    sheet.append(["A1", 2, 5])
    sheet.append(["B1", "Sjældent eller aldrig", 0])
    out = io.BytesIO()
    workbook.save(out)
    rows = parse_import(out.getvalue(), "svar.xlsx", departments=DEPARTMENTS)
    assert [(r.answers["ucla_left_out"], r.answers["who5_1"]) for r in rows] == [(2, 5), (1, 0)]


def test_invalid_value_names_line_column_value_and_what_is_allowed() -> None:
    text = "department,ucla_isolated\n" + "A1,1\n" * 12 + "A1,4\n"
    assert _rejected(text) == ["line 14, column ucla_isolated: '4' is not valid (allowed: 1, 2, 3)"]


def test_invalid_value_message_in_danish() -> None:
    from django.utils import translation

    with translation.override("da"):
        messages = _rejected("department,ucla_isolated\nA1,4\n")
    assert messages == ["linje 2, kolonne ucla_isolated: '4' er ikke gyldig (tilladt: 1, 2, 3)"]


def test_unknown_department() -> None:
    assert _rejected("department,trust\nZ9,3\n") == [
        "line 2, column department: 'Z9' is not valid (allowed: A1, B1)"
    ]


def test_missing_department_column_and_unknown_column() -> None:
    messages = _rejected("trust,respondent_id\n3,17\n")
    assert "line 1, column B: 'respondent_id' is not a known column" in messages[0]
    assert messages[1] == "line 1: the column 'department' is required."


def test_unknown_column_can_be_ignored() -> None:
    rows = _parse("department,respondent_id,trust\nA1,17,4\n", ignore=["respondent_id"])
    assert rows[0].answers["trust"] == 4


def test_duplicate_column() -> None:
    assert _rejected("department,trust,trust\nA1,3,3\n") == [
        "line 1: the column 'trust' appears twice."
    ]


def test_too_many_cells() -> None:
    assert _rejected("department,trust\nA1,3,4\n") == ["line 2: 3 cells, but the header has 2."]


def test_row_without_answers() -> None:
    assert _rejected("department,trust\nA1,\n") == ["line 2: the row has no answers."]


def test_empty_file_and_header_only() -> None:
    assert _rejected("") == ["The file is empty."]
    assert _rejected("department,trust\n") == ["The file has a header but no responses."]


def test_wrong_file_type_and_damaged_xlsx_and_bad_encoding() -> None:
    assert _rejected("x", filename="svar.pdf") == ["Only CSV and XLSX files can be imported."]
    assert _rejected(b"not a zip", filename="svar.xlsx") == [
        "The file could not be read as an XLSX workbook."
    ]
    assert _rejected(b"department\n\x81\x8d\x8f\n") == [
        "The file is neither UTF-8 nor Windows-1252 text; save it as CSV (UTF-8)."
    ]


def test_flag_values() -> None:
    assert _rejected("department,wish_meals\nA1,2\n") == [
        "line 2, column wish_meals: '2' is not valid (allowed: 0, 1)"
    ]
    rows = _parse("department,wish_meals,wish_cafe\nA1,Fællesspisning,nej\n")
    assert (rows[0].answers["wish_meals"], rows[0].answers["wish_cafe"]) == (1, 0)


def test_every_error_in_the_file_is_reported() -> None:
    messages = _rejected("department,trust,belonging\nA1,9,1\nZ9,1,1\nA1,1,0\n")
    assert len(messages) == 3
    assert [m.split(",")[0] for m in messages] == ["line 2", "line 3", "line 4"]


@pytest.fixture
def open_round(
    make_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
) -> SurveyRound:
    return make_round(org, [dept_a, dept_b])


def test_service_rejects_the_whole_file_and_stores_nothing(open_round: SurveyRound) -> None:
    data = b"department,trust,comment\nA1,3,fin\nA1,3,fin\nA1,7,fin\n"
    with pytest.raises(ImportRejected):
        services.responses_import(
            actor=SYSTEM, survey_round=open_round, data=data, filename="svar.csv"
        )
    assert SurveyResponse.objects.count() == 0
    assert SurveyComment.objects.count() == 0


def test_service_imports_a_good_file_with_comments_apart(open_round: SurveyRound) -> None:
    data = "department,trust,comment\nA1,3,Mere grønt\nB1,5,\n".encode()
    count = services.responses_import(
        actor=SYSTEM, survey_round=open_round, data=data, filename="svar.csv"
    )
    assert count == 2
    assert set(SurveyResponse.objects.values_list("channel", flat=True)) == {"import"}
    assert list(SurveyComment.objects.values_list("text", flat=True)) == ["Mere grønt"]


def test_upload_page_shows_every_problem_and_stores_nothing(
    open_round: SurveyRound, coordinator: User, board_member: User, client_for: Callable
) -> None:
    url = f"/undersoegelser/{open_round.slug}/import/"
    upload = io.BytesIO(b"department,trust\nA1,9\n")
    upload.name = "svar.csv"
    response = client_for(coordinator).post(url, {"file": upload})
    assert response.status_code == 400
    assert "line 2, column trust: &#x27;9&#x27; is not valid" in response.content.decode() or (
        "linje 2, kolonne trust" in response.content.decode()
    )
    assert SurveyResponse.objects.count() == 0
    assert client_for(board_member).get(url).status_code == 403


def test_a_long_wrong_value_is_quoted_shortened() -> None:
    """50 messages quoting 10,000-character cells would make a 500 KB page."""
    [message] = _rejected("department,trust\nA1," + "x" * 5000 + "\n")
    assert message.startswith("line 2, column trust: '" + "x" * 60 + "…'")
    assert len(message) < 200
