"""Template files and format descriptions for the imports (survey responses, tenancy lists).

An importer describes its columns as ``TemplateColumn``s, made from the importer's own column
definitions, so the template's header row is exactly what the importer reads and cannot drift
from it. From those columns this module writes:

- a CSV template: the header row only, ``;``-separated, UTF-8 with a BOM (what Danish Excel
  opens without asking), so that the file, filled in and uploaded unchanged, is accepted;
- an XLSX template (``core.xlsx``): the header row on the first sheet, which the importer
  reads, and the sheet "Forklaring" explaining each column;
- the rows of the format page (``core/import_format.html``): each column, whether it is
  required, what it holds, the allowed values and an example.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse

from . import xlsx


@dataclass(frozen=True)
class TemplateColumn:
    name: str  # the header exactly as the importer reads it
    description: str  # what the column holds (translated)
    required: bool = False
    allowed: Sequence[str] = field(default_factory=tuple)  # empty: free text (see description)
    example: str = ""


def csv_template(columns: Sequence[TemplateColumn]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(c.name for c in columns)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_template(sheet_title: str, columns: Sequence[TemplateColumn]) -> bytes:
    book = xlsx.ExportWorkbook()
    book.add_sheet(
        sheet_title,
        [
            xlsx.Column(c.name, explanation=_explanation(c), width=max(12, len(c.name) + 2))
            for c in columns
        ],
        [],
    )
    return book.to_bytes()


def _explanation(column: TemplateColumn) -> str:
    parts = [column.description]
    if column.allowed:
        parts.append(", ".join(column.allowed))
    return " · ".join(p for p in parts if p)


def download(content: bytes, filename: str) -> HttpResponse:
    """The template as a download (``filename`` ends in .csv or .xlsx)."""
    content_type = (
        "text/csv; charset=utf-8"
        if filename.endswith(".csv")
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
