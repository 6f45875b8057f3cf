"""The import page's template files (CSV, XLSX) and format page: the header is the importer's
own, a template filled with one line is imported, and only those who import may fetch them."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from openpyxl import load_workbook

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import instrument, services
from lokalsamfund.surveys.importing import parse_import, template_columns
from lokalsamfund.surveys.models import (
    ItemKind,
    SurveyItem,
    SurveyOption,
    SurveyResponse,
    SurveyRound,
)


@pytest.fixture
def open_round(
    make_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
) -> SurveyRound:
    extra = SurveyItem.objects.create(
        organisation=org, code="cafe", section="extra", kind=ItemKind.SINGLE
    )
    SurveyOption.objects.create(item=extra, code=1, value="ja", position=1)
    SurveyOption.objects.create(item=extra, code=2, value="nej", position=2)
    return make_round(org, [dept_a, dept_b], extra_items=[extra])


def _url(survey_round: SurveyRound, tail: str) -> str:
    return f"/undersoegelser/{survey_round.slug}/import/{tail}"


def test_the_template_header_is_what_the_importer_reads() -> None:
    names = [c.name for c in template_columns(departments=["A1"], extra_items={"cafe": ["ja"]})]
    assert names == ["department", *instrument.column_codes(), "cafe", "comment"]
    # Every column of the template is accepted; an unknown one is not (the same check).
    parse_import(
        (",".join(names) + "\nA1" + "," * (len(names) - 1) + "\n")
        .replace("A1,", "A1,16-24,", 1)
        .encode(),
        "t.csv",
        departments=["A1"],
        extra_items={"cafe": ["ja"]},
    )


def test_the_csv_template_filled_with_one_line_is_imported(
    open_round: SurveyRound, coordinator: User, client_for: Callable
) -> None:
    response = client_for(coordinator).get(_url(open_round, "skabelon.csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    template = response.content.decode("utf-8-sig")
    header = template.strip().split(";")
    assert header[0] == "department"
    assert header[-2:] == ["cafe", "comment"]
    values = {"department": "B1", "age_group": "25-34", "trust": "4", "cafe": "ja"}
    line = ";".join(values.get(name, "") for name in header)
    filled = (template + line + "\r\n").encode("utf-8-sig")
    count = services.responses_import(
        actor=SYSTEM, survey_round=open_round, data=filled, filename="skabelon.csv"
    )
    assert count == 1
    stored = SurveyResponse.objects.get()
    assert (stored.department.code, stored.age_group, stored.trust) == ("B1", 2, 4)
    assert stored.extra == {"cafe": "ja"}


def test_the_xlsx_template_filled_with_one_line_is_imported(
    open_round: SurveyRound, coordinator: User, client_for: Callable
) -> None:
    response = client_for(coordinator).get(_url(open_round, "skabelon.xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == [
        c.name
        for c in template_columns(departments=["A1", "B1"], extra_items={"cafe": ["ja", "nej"]})
    ]
    assert book.worksheets[-1].title == "Forklaring"
    sheet.append(
        ["A1" if name == "department" else ("1" if name == "trust" else None) for name in header]
    )
    out = io.BytesIO()
    book.save(out)
    count = services.responses_import(
        actor=SYSTEM, survey_round=open_round, data=out.getvalue(), filename="skabelon.xlsx"
    )
    assert count == 1


def test_the_import_page_links_the_templates_and_the_format(
    open_round: SurveyRound, coordinator: User, client_for: Callable
) -> None:
    page = client_for(coordinator).get(_url(open_round, "")).content.decode()
    for tail in ("format/", "skabelon.csv", "skabelon.xlsx"):
        assert _url(open_round, tail) in page
    fmt = client_for(coordinator).get(_url(open_round, "format/"))
    assert fmt.status_code == 200
    text = fmt.content.decode()
    for code in ("department", "ucla_isolated", "barrier_time", "cafe", "comment"):
        assert f"<code>{code}</code>" in text
    assert "Hvor ofte føler du dig isoleret fra andre?" in text  # the item's Danish text
    assert "16-24" in text
    assert "ja; nej" in text


@pytest.mark.parametrize("tail", ["format/", "skabelon.csv", "skabelon.xlsx"])
def test_only_those_who_import_get_the_template_and_format(
    tail: str,
    open_round: SurveyRound,
    personas: dict[str, User],
    client_for: Callable,
) -> None:
    url = _url(open_round, tail)
    assert client_for(personas["admin"]).get(url).status_code == 200
    for name in ("caretaker", "board_member", "resident", "neighbour", "no_role"):
        assert client_for(personas[name]).get(url).status_code in (403, 404), name
    assert client_for(personas["outsider"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_an_unknown_template_kind_is_not_found(
    open_round: SurveyRound, coordinator: User, client_for: Callable
) -> None:
    assert client_for(coordinator).get(_url(open_round, "skabelon.pdf")).status_code == 404
