"""The house account as XLSX and CSV (issue 10 point 3, issue 9 point 9): Danish sheet names
and headings, money as kroner numbers, the period as dates, an explanation sheet, and a
hostile house name that stays text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

from django.utils import timezone
from openpyxl import load_workbook

from lokalsamfund.bookings.models import Facility
from lokalsamfund.core.models import User

HOSTILE = '=HYPERLINK("http://x";"klik")'


def test_account_workbook_in_danish_with_typed_cells(
    client_for: Callable, board_member: User, facility: Facility, costs: object
) -> None:
    facility.name = HOSTILE
    facility.save(update_fields=["name"])
    year = timezone.localdate().year
    client = client_for(board_member)
    response = client.get(
        f"/facilities/{facility.slug}/account/{year}.xlsx", HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [f"Regnskab {year}", "Om regnskabet", "Forklaring"]
    sheet = workbook[f"Regnskab {year}"]
    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].value == f"{HOSTILE} {year}"
    assert [c.value for c in sheet[2]] == [
        "Bookerkategori",
        "Brugstype",
        "Bookinger",
        "Timer",
        "Beløb (kr.)",
    ]
    money = [row[4] for row in sheet.iter_rows(min_row=3) if row[4].value is not None]
    assert money
    assert all(c.data_type == "n" and c.number_format == '#,##0.00" kr."' for c in money)
    costs_row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "Årets udgifter")
    assert costs_row[4].value > 0
    about = workbook["Om regnskabet"]
    assert about["B2"].data_type == "s"
    assert about["B3"].is_date
    assert about["B3"].value.date() == dt.date(year, 1, 1)
    assert about["B4"].is_date
    assert about["B4"].value.date() == dt.date(year, 12, 31)
    explained = [r[1] for r in workbook["Forklaring"].iter_rows(min_row=2, values_only=True)]
    assert explained == [c.value for c in sheet[2]]

    text = client.get(f"/facilities/{facility.slug}/account/{year}.csv").content.decode()
    first = next(csv.reader(io.StringIO(text), delimiter=";"))
    assert first[0] == "'" + HOSTILE


def test_account_workbook_in_english(
    client_for: Callable, board_member: User, facility: Facility
) -> None:
    year = timezone.localdate().year
    client = client_for(board_member)
    client.cookies["django_language"] = "en"
    response = client.get(
        f"/facilities/{facility.slug}/account/{year}.xlsx", HTTP_ACCEPT_LANGUAGE="en"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [f"Account {year}", "About the account", "Explanation"]
