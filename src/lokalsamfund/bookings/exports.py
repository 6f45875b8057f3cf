"""The yearly account as CSV, XLSX (openpyxl) and PDF (WeasyPrint, A4, Danish)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .reports import YearlyAccount


def _table(account: YearlyAccount) -> list[list[object]]:
    header: list[object] = [
        _("Booker category"),
        _("Use type"),
        _("Bookings"),
        _("Hours"),
        _("Income (kr.)"),
    ]
    rows: list[list[object]] = [header]
    for row in account.rows:
        rows.append([row.category_label, row.use_type_label, row.bookings, row.hours, row.income])
    rows.append(
        [_("Total"), "", sum(r.bookings for r in account.rows), account.hours, account.income]
    )
    rows.append([_("Costs of the year"), "", "", "", account.costs_total])
    rows.append([_("Own use: income minus costs"), "", "", "", account.result])
    for flag in account.flags:
        rows.append([_("Flag"), flag.message, "", "", ""])
    return rows


def account_csv(account: YearlyAccount) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([account.facility.name, account.year])
    for row in _table(account):
        writer.writerow([str(v) for v in row])
    return out.getvalue()


def account_xlsx(account: YearlyAccount) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has a sheet
    sheet.title = str(account.year)
    sheet.append([f"{account.facility.name} {account.year}"])
    sheet["A1"].font = Font(bold=True)
    for row in _table(account):
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 34
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def account_pdf(account: YearlyAccount) -> bytes:
    from weasyprint import HTML

    html = render_to_string("bookings/account_pdf.html", {"account": account})
    return bytes(HTML(string=html).write_pdf())
