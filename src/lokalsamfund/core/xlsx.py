"""Every XLSX export is written here: text as text, numbers with Danish formats, and a sheet
"Forklaring" (Explanation) that says what each column of each sheet means.

Text never becomes a formula (issue 9 point 9): a text cell is written with openpyxl's
string type ``s`` (never ``f``), and one that starts with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return also gets the "quote prefix" style, so that a spreadsheet keeps it as text
when someone edits the cell. CSV exports go through ``csv_text``, which puts an apostrophe
before such a leading character (a CSV file has no types; the apostrophe is what spreadsheets
read as "this is text").

Number formats are stored in the file in Excel's neutral notation (``#,##0.00``); Danish Excel
and LibreOffice show them with Danish separators: ``1.234,50 kr.``, ``12,5 %``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31


class Kind(StrEnum):
    """What a column holds, and so how its cells are typed and formatted."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    SHARE = "share"  # 0..1, shown as a percentage
    MONEY = "money"  # kroner
    DATE = "date"
    BOOLEAN = "boolean"


NUMBER_FORMATS = {
    Kind.INTEGER: "#,##0",
    Kind.DECIMAL: "#,##0.0",
    Kind.SHARE: "0.0%",
    Kind.MONEY: '#,##0.00" kr."',
    Kind.DATE: "dd-mm-yyyy",
}


def is_risky(text: str) -> bool:
    """Would a spreadsheet read this text as a formula (or a command)?"""
    return text.startswith(FORMULA_START)


def csv_text(value: Any) -> str:
    """A value for a CSV cell: text that a spreadsheet would evaluate gets a leading
    apostrophe."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if is_risky(text) else text


@dataclass(frozen=True)
class Column:
    heading: str
    kind: Kind = Kind.TEXT
    explanation: str = ""
    width: int | None = None


@dataclass
class _SheetNote:
    title: str
    columns: list[Column] = field(default_factory=list)


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()
    return (cleaned or "Ark")[:SHEET_TITLE_MAX]


class ExportWorkbook:
    """A write-only (streaming) workbook built sheet by sheet; ``to_bytes`` adds the
    explanation sheet last."""

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)
        self.notes: list[_SheetNote] = []
        self._bold = Font(bold=True)

    def cell(self, sheet: WriteOnlyWorksheet, value: Any, kind: Kind = Kind.TEXT) -> WriteOnlyCell:
        """One typed cell; text is always a string cell, never a formula."""
        if value is None or value == "":
            return WriteOnlyCell(sheet, value=None)
        if kind is Kind.TEXT or isinstance(value, str):
            text = str(value)
            cell = WriteOnlyCell(sheet)
            cell.value = text
            cell.data_type = "s"
            if is_risky(text):
                cell.quotePrefix = True
            return cell
        if kind is Kind.BOOLEAN:
            return WriteOnlyCell(sheet, value=bool(value))
        if kind is Kind.DATE:
            if isinstance(value, dt.datetime):
                value = value.date()
            cell = WriteOnlyCell(sheet, value=value)
        else:
            number = float(value) if isinstance(value, Decimal) else value
            cell = WriteOnlyCell(sheet, value=number)
        cell.number_format = NUMBER_FORMATS[kind]
        return cell

    def heading(self, sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
        cell = self.cell(sheet, text)
        cell.font = self._bold
        return cell

    def add_sheet(
        self,
        title: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        *,
        before: Iterable[Sequence[Any]] = (),
    ) -> WriteOnlyWorksheet:
        """A sheet with a bold heading row, then ``rows`` typed by ``columns``. ``before``:
        rows of text above the heading (a title line)."""
        sheet = self.workbook.create_sheet(_sheet_title(title))
        for index, column in enumerate(columns):
            if column.width:
                letter = _letter(index + 1)
                sheet.column_dimensions[letter].width = column.width
        for line in before:
            sheet.append([self.heading(sheet, str(v)) if v else None for v in line])
        sheet.append([self.heading(sheet, c.heading) for c in columns])
        for row in rows:
            sheet.append(
                [
                    self.cell(sheet, value, column.kind)
                    for value, column in zip(row, columns, strict=False)
                ]
            )
        self.notes.append(_SheetNote(title=sheet.title, columns=list(columns)))
        return sheet

    def add_facts(self, title: str, facts: Iterable[tuple[str, Any, Kind]]) -> None:
        """A two-column sheet of named values (a heading, then one fact a row)."""
        columns = [Column(_("What"), width=34), Column(_("Value"), width=40)]
        sheet = self.workbook.create_sheet(_sheet_title(title))
        for index, column in enumerate(columns):
            sheet.column_dimensions[_letter(index + 1)].width = column.width
        sheet.append([self.heading(sheet, c.heading) for c in columns])
        for name, value, kind in facts:
            sheet.append([self.cell(sheet, name), self.cell(sheet, value, kind)])

    def to_bytes(self) -> bytes:
        sheet = self.workbook.create_sheet(_sheet_title(_("Explanation")))
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 40
        sheet.column_dimensions["C"].width = 80
        sheet.append(
            [self.heading(sheet, h) for h in (_("Sheet"), _("Column"), _("What it shows"))]
        )
        for note in self.notes:
            for column in note.columns:
                sheet.append(
                    [
                        self.cell(sheet, note.title),
                        self.cell(sheet, column.heading),
                        self.cell(sheet, column.explanation),
                    ]
                )
        out = io.BytesIO()
        self.workbook.save(out)
        return out.getvalue()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
