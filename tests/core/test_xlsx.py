"""core.xlsx: text never becomes a formula, numbers keep their type and format, and the
explanation sheet names every column."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from lokalsamfund.core import xlsx

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_a_string_cell_with_the_quote_prefix(text: str) -> None:
    book = xlsx.ExportWorkbook()
    book.add_sheet("Ark", [xlsx.Column("Titel")], [[text]])
    sheet = load_workbook(io.BytesIO(book.to_bytes()))["Ark"]
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value.lstrip("\r\n\t") == text.lstrip("\r\n\t")  # XML reads CR as LF
    assert cell.quotePrefix


def test_csv_text_quotes_a_leading_formula_character() -> None:
    assert [xlsx.csv_text(t)[0] for t in HOSTILE] == ["'"] * len(HOSTILE)
    assert xlsx.csv_text("Fælleshus") == "Fælleshus"
    assert xlsx.csv_text(None) == ""
    assert xlsx.csv_text(12) == "12"


def test_kinds_are_typed_and_formatted() -> None:
    book = xlsx.ExportWorkbook()
    columns = [
        xlsx.Column("Andel", xlsx.Kind.SHARE, "andel"),
        xlsx.Column("Beløb", xlsx.Kind.MONEY, "beløb"),
        xlsx.Column("Dato", xlsx.Kind.DATE, "dato"),
        xlsx.Column("Antal", xlsx.Kind.INTEGER, "antal"),
        xlsx.Column("Timer", xlsx.Kind.DECIMAL, "timer"),
    ]
    day = dt.date(2026, 3, 1)
    book.add_sheet("Ark", columns, [[0.125, Decimal("1234.50"), day, 7, Decimal("2.5")]])
    workbook = load_workbook(io.BytesIO(book.to_bytes()))
    row = workbook["Ark"][2]
    assert [c.data_type for c in row] == ["n", "n", "d", "n", "n"]
    assert row[0].value == 0.125
    assert row[0].number_format == "0.0%"
    assert row[1].value == 1234.5
    assert row[1].number_format == '#,##0.00" kr."'
    assert row[2].value.date() == day
    assert row[2].number_format == "dd-mm-yyyy"


def test_explanation_sheet_in_the_current_language() -> None:
    book = xlsx.ExportWorkbook()
    book.add_sheet("Ark", [xlsx.Column("Andel", xlsx.Kind.SHARE, "Hvor mange")], [])
    with translation.override("da"):
        data = book.to_bytes()
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Ark", "Forklaring"]
    rows = list(workbook["Forklaring"].iter_rows(values_only=True))
    assert rows[1] == ("Ark", "Andel", "Hvor mange")
