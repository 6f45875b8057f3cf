"""The results workbook (issue 10 point 3, issue 9 point 9): Danish headings and sheet names
(English for English users), shares as numbers with a percentage format, dates as dates, an
explanation of every column, and a hostile title as a string cell."""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import load_workbook

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.surveys import analysis, export


def _workbook(
    make_closed_round: Callable,
    org: Organisation,
    dept_a: Department,
    coordinator: User,
    client_for: Callable,
    language: str = "da",
) -> object:
    survey_round = make_closed_round(
        org, [dept_a], {"A1": 40}, slug="farlig", title='=HYPERLINK("http://x";"klik")'
    )
    client = client_for(coordinator)
    response = client.get(
        f"/undersoegelser/{survey_round.slug}/resultater.xlsx", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)), survey_round


def test_results_workbook_in_danish_with_typed_cells(
    make_closed_round: Callable,
    org: Organisation,
    dept_a: Department,
    coordinator: User,
    client_for: Callable,
) -> None:
    workbook, survey_round = _workbook(make_closed_round, org, dept_a, coordinator, client_for)
    assert workbook.sheetnames == ["Resultater", "Om runden", "Forklaring"]
    sheet = workbook["Resultater"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Afdeling", "Opdeling", "Gruppe", "Besvarelser", "Skjult"]
    codes = export.header()
    department_row = next(
        r for r in sheet.iter_rows(min_row=2) if r[0].value == "A1" and r[1].value is None
    )
    kinds = {i.name: i.kind for i in analysis.indicators()}
    for column, code in enumerate(codes):
        _name, _sep, field = code.rpartition("_")
        cell = department_row[column]
        if cell.value is None or field not in {"value", "low", "high"}:
            continue
        base = code.removesuffix("_value").removesuffix("_ci_low").removesuffix("_ci_high")
        assert cell.data_type == "n"
        if kinds[base] == analysis.SHARE:
            assert cell.number_format == "0.0%"
            assert 0 <= cell.value <= 1
    assert department_row[3].data_type == "n"
    about = {r[0]: r[1] for r in workbook["Om runden"].iter_rows(min_row=2, values_only=True)}
    assert about["Runde"] == survey_round.title
    closed = workbook["Om runden"]["B5"]
    assert closed.is_date
    explained = {
        (r[0], r[1]) for r in workbook["Forklaring"].iter_rows(min_row=2, values_only=True)
    }
    assert {("Resultater", h) for h in header} <= explained


def test_hostile_title_is_a_string_cell(
    make_closed_round: Callable,
    org: Organisation,
    dept_a: Department,
    coordinator: User,
    client_for: Callable,
) -> None:
    workbook, survey_round = _workbook(make_closed_round, org, dept_a, coordinator, client_for)
    cell = workbook["Om runden"]["B2"]
    assert cell.value == survey_round.title
    assert cell.data_type == "s"


def test_english_users_get_english_headings(
    make_closed_round: Callable,
    org: Organisation,
    dept_a: Department,
    coordinator: User,
    client_for: Callable,
) -> None:
    workbook, _round = _workbook(make_closed_round, org, dept_a, coordinator, client_for, "en")
    assert workbook.sheetnames == ["Results", "About the round", "Explanation"]
    assert workbook["Results"]["A1"].value == "Department"
