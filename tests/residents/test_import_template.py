"""The tenancy import's template files (CSV, XLSX) and format page: the headings are the
importer's own, a template filled with one line is accepted, and only those who manage the
residents may fetch them."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from openpyxl import load_workbook

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.residents import importing
from lokalsamfund.residents.importing import parse_tenancies, template_columns

URL = "/beboere/test-org/import/"


def test_every_template_heading_is_read_as_its_column() -> None:
    columns = template_columns(departments=["A1"])
    assert [c.name for c in columns] == list(importing.HEADINGS.values())
    for field, heading in importing.HEADINGS.items():
        assert importing.header_key(heading) in importing.COLUMNS[field]
    assert [c.name for c in columns if c.required] == [
        importing.HEADINGS[f] for f in importing.REQUIRED
    ]


def test_the_csv_template_filled_with_one_line_is_accepted(
    org: Organisation, dept_a: Department, coordinator: User, client_for: Callable
) -> None:
    response = client_for(coordinator).get(URL + "skabelon.csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    template = response.content.decode("utf-8-sig")
    assert template.strip() == "Afdeling;Adresse;Lejemålsnr.;E-mail;Telefon;Indflytning"
    filled = template + "A1;Ærtebjergvej 3, st. th.;1-0001;ida@eksempel.dk;12345678;01-08-2019\r\n"
    [row] = parse_tenancies(filled.encode("utf-8-sig"), "skabelon.csv", departments=["A1"])
    assert (row.department, row.number, row.email) == ("A1", "1-0001", "ida@eksempel.dk")


def test_the_xlsx_template_filled_with_one_line_is_accepted(
    org: Organisation, dept_a: Department, coordinator: User, client_for: Callable
) -> None:
    response = client_for(coordinator).get(URL + "skabelon.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == list(importing.HEADINGS.values())
    sheet.append(["A1", "Ærtebjergvej 3", "1-0001", None, None, None])
    out = io.BytesIO()
    book.save(out)
    [row] = parse_tenancies(out.getvalue(), "skabelon.xlsx", departments=["A1"])
    assert row.address == "Ærtebjergvej 3"


def test_the_import_page_links_the_templates_and_the_format(
    org: Organisation, dept_a: Department, coordinator: User, client_for: Callable
) -> None:
    page = client_for(coordinator).get(URL).content.decode()
    for tail in ("format/", "skabelon.csv", "skabelon.xlsx"):
        assert URL + tail in page
    text = client_for(coordinator).get(URL + "format/").content.decode()
    for heading in importing.HEADINGS.values():
        assert f"<code>{heading}</code>" in text
    assert "dd-mm-åååå" in text  # Danish, as the page is


@pytest.mark.parametrize("tail", ["format/", "skabelon.csv", "skabelon.xlsx"])
def test_only_those_who_manage_residents_get_the_template(
    tail: str, personas: dict[str, User], client_for: Callable
) -> None:
    url = URL + tail
    assert client_for(personas["admin"]).get(url).status_code == 200
    for name in ("caretaker", "board_member", "resident", "neighbour", "outsider", "no_role"):
        assert client_for(personas[name]).get(url).status_code == 403, name
    assert client_for(None).get(url).status_code == 302
