"""The yearly account as CSV, XLSX (core.xlsx) and PDF (WeasyPrint, A4, Danish)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from lokalsamfund.core import xlsx

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
    writer.writerow([xlsx.csv_text(account.facility.name), account.year])
    for row in _table(account):
        writer.writerow([xlsx.csv_text(v) for v in row])
    return out.getvalue()


def _columns() -> list[xlsx.Column]:
    return [
        xlsx.Column(
            _("Booker category"),
            explanation=_(
                "Who booked (resident, association, …); also the totals, the costs and the result."
            ),
            width=34,
        ),
        xlsx.Column(
            _("Use type"),
            explanation=_("What the house was used for; on a flag row, what the flag says."),
            width=34,
        ),
        xlsx.Column(_("Bookings"), xlsx.Kind.INTEGER, _("Confirmed bookings in the year."), 12),
        xlsx.Column(_("Hours"), xlsx.Kind.DECIMAL, _("Booked hours in the year."), 12),
        xlsx.Column(
            _("Amount (kr.)"),
            xlsx.Kind.MONEY,
            _(
                "Income of the bookings; on the cost and result rows, the costs and "
                "income minus costs."
            ),
            16,
        ),
    ]


def account_xlsx(account: YearlyAccount) -> bytes:
    """The account in the current language (core.xlsx): money in kroner, hours as numbers,
    the period as dates and an explanation sheet."""
    book = xlsx.ExportWorkbook()
    book.add_sheet(
        _("Account %(year)s") % {"year": account.year},
        _columns(),
        _table(account)[1:],
        before=[[f"{account.facility.name} {account.year}"]],
    )
    book.add_facts(
        _("About the account"),
        [
            (_("Common house"), account.facility.name, xlsx.Kind.TEXT),
            (_("From"), dt.date(account.year, 1, 1), xlsx.Kind.DATE),
            (_("To"), dt.date(account.year, 12, 31), xlsx.Kind.DATE),
            (_("Policy profile"), account.policy_name, xlsx.Kind.TEXT),
        ],
    )
    return book.to_bytes()


def account_pdf(account: YearlyAccount) -> bytes:
    from weasyprint import HTML

    html = render_to_string("bookings/account_pdf.html", {"account": account})
    return bytes(HTML(string=html).write_pdf())
