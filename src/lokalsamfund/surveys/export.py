"""Flat tables of stored results (one row per group) for CSV and XLSX. Free text never
appears: it is not part of the results. The CSV keeps the stable codes of the results contract
(for scripts); the XLSX is for people: translated headings, typed cells (core.xlsx)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core import xlsx

from . import analysis, labels

if TYPE_CHECKING:
    from .models import SurveyRound

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
        writer.writerow([xlsx.csv_text(v) for v in row])
    return out.getvalue()


def _columns() -> list[xlsx.Column]:
    """The results sheet's columns in the current language, in the order of ``rows``."""
    columns = [
        xlsx.Column(
            _("Department"),
            explanation=_("The department's code; empty = the whole organisation."),
            width=12,
        ),
        xlsx.Column(
            _("Breakdown"),
            explanation=_(
                "What the group is split by (age, household, …); empty = the whole department."
            ),
            width=18,
        ),
        xlsx.Column(_("Group"), explanation=_("The group within the breakdown."), width=22),
        xlsx.Column(_("Respondents"), xlsx.Kind.INTEGER, _("How many answered in the group."), 12),
        xlsx.Column(
            _("Suppressed"),
            xlsx.Kind.BOOLEAN,
            _("Yes when the group's figures are hidden because too few answered (privacy)."),
            11,
        ),
    ]
    lower, upper, answered = _("lower limit"), _("upper limit"), _("answered")
    for item in analysis.indicators():
        name = labels.indicator(item.name)
        share = item.kind == analysis.SHARE
        kind = xlsx.Kind.SHARE if share else xlsx.Kind.DECIMAL
        value_word = _("share") if share else _("mean")
        columns += [
            xlsx.Column(
                f"{name}: {value_word}",
                kind,
                _("Share of those who answered (percent).")
                if share
                else _("Mean of those who answered."),
                16,
            ),
            xlsx.Column(
                f"{name}: {lower}",
                kind,
                _("Lower limit of the 95 percent confidence interval."),
                12,
            ),
            xlsx.Column(
                f"{name}: {upper}",
                kind,
                _("Upper limit of the 95 percent confidence interval."),
                12,
            ),
            xlsx.Column(
                f"{name}: {answered}",
                xlsx.Kind.INTEGER,
                _("How many answered the question(s) behind the figure."),
                12,
            ),
        ]
    return columns


def _labelled(row: list[Any]) -> list[Any]:
    breakdown, cell = row[1], row[2]
    if breakdown:
        row[1] = labels.breakdown(breakdown)
        if cell:
            row[2] = labels.cell(breakdown, cell)
    return row


def to_xlsx(
    groups: Iterable[dict[str, Any]], *, survey_round: SurveyRound, min_cell_size: int
) -> bytes:
    """The results as a workbook in the current language: one row per group, shares as
    percentages, a sheet about the round and the explanation sheet (core.xlsx)."""
    book = xlsx.ExportWorkbook()
    book.add_sheet(_("Results"), _columns(), (_labelled(row) for row in rows(groups)))
    closed = survey_round.closed_at
    book.add_facts(
        _("About the round"),
        [
            (_("Round"), survey_round.title, xlsx.Kind.TEXT),
            (_("Opens"), survey_round.opens_on, xlsx.Kind.DATE),
            (_("Closes"), survey_round.closes_on, xlsx.Kind.DATE),
            (_("Closed"), timezone.localtime(closed).date() if closed else None, xlsx.Kind.DATE),
            (_("Smallest group shown"), min_cell_size, xlsx.Kind.INTEGER),
            (
                _("Note"),
                _(
                    "Groups and figures based on fewer respondents than the smallest group "
                    "shown are suppressed (empty), with complementary suppression."
                ),
                xlsx.Kind.TEXT,
            ),
        ],
    )
    return book.to_bytes()
