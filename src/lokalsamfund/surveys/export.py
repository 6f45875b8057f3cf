"""Flat tables of stored results (one row per group) for CSV and XLSX. Free text never
appears: it is not part of the results."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from . import analysis

FIELDS = ("value", "ci_low", "ci_high", "denominator")


def header() -> list[str]:
    columns = ["department", "breakdown", "cell", "n", "suppressed"]
    for name in analysis.indicator_names():
        columns += [f"{name}_{f}" for f in FIELDS]
    return columns


def rows(groups: Iterable[dict[str, Any]]) -> Iterable[list[Any]]:
    names = analysis.indicator_names()
    for group in groups:
        row: list[Any] = [
            group["department"],
            group["breakdown"],
            group["cell"],
            group["n"],
            group["suppressed"],
        ]
        indicators = group.get("indicators", {})
        for name in names:
            figure = indicators.get(name) or {}
            row += [figure.get(f) for f in FIELDS]
        yield row


def to_csv(groups: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header())
    for row in rows(groups):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def to_xlsx(groups: Iterable[dict[str, Any]], *, title: str, min_cell_size: int) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("results")
    sheet.append(header())
    for row in rows(groups):
        sheet.append(row)
    about = workbook.create_sheet("about")
    about.append(["round", title])
    about.append(["min_cell_size", min_cell_size])
    about.append(
        [
            "note",
            "Groups and figures based on fewer respondents than min_cell_size are suppressed "
            "(empty), with complementary suppression (privacy.md).",
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
