"""Checking an organisation's own licensed value bank (CSV: outcome, value, unit, source).

The file itself is read by ``core.tabular`` (the one reader of uploaded tables, with its limits
on bytes, rows, columns and cells); this module checks its rows. Whole-file rejection: any
error rejects the file, and every message names the line, the column, the value and what is
allowed. Pure: no Django import (messages are translated by the caller through the
``gettext`` function it passes in).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

COLUMNS = ("outcome", "value", "unit", "source")
UNITS = ("DKK/person/year", "GBP/person/year")
MAX_ROWS = 5000
MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class BankRow:
    outcome: str
    value: float
    unit: str
    source: str


class BankFileError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def _number(text: str) -> float | None:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")  # 1.234,5
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def parse_bank(
    table: Iterable[Sequence[str]], gettext: Callable[[str], str] = lambda s: s
) -> list[BankRow]:
    """The bank's rows from the rows of the file (its header first), or ``BankFileError``."""
    _ = gettext
    reader = iter(table)
    first = next(reader, None)
    if first is None:
        raise BankFileError([_("The file is empty.")])
    header = [h.strip().lower() for h in first]
    errors: list[str] = []
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown or len(header) != len(set(header)):
        errors.append(
            _("line 1: the columns must be exactly %(columns)s (found: %(found)s).")
            % {"columns": ", ".join(COLUMNS), "found": ", ".join(header)}
        )
        raise BankFileError(errors)
    index = {c: header.index(c) for c in COLUMNS}
    rows: list[BankRow] = []
    seen: dict[str, int] = {}
    for line_no, fields in enumerate(reader, start=2):
        if not any(f.strip() for f in fields):
            continue
        # The reader drops empty cells at a row's end: they are empty fields, not missing ones.
        fields = [*fields, *[""] * (len(header) - len(fields))]
        if len(fields) != len(header):
            errors.append(
                _("line %(line)s: %(found)s fields, expected %(expected)s.")
                % {"line": line_no, "found": len(fields), "expected": len(header)}
            )
            continue
        cell = {c: fields[index[c]].strip() for c in COLUMNS}
        for column in ("outcome", "source"):
            if not cell[column]:
                errors.append(
                    _("line %(line)s, column %(column)s: must not be empty.")
                    % {"line": line_no, "column": column}
                )
        if len(cell["outcome"]) > 200:
            errors.append(
                _("line %(line)s, column outcome: longer than 200 characters.") % {"line": line_no}
            )
        value = _number(cell["value"])
        if value is None or value < 0:
            errors.append(
                _(
                    "line %(line)s, column value: '%(value)s' is not valid "
                    "(allowed: a number of 0 or more)."
                )
                % {"line": line_no, "value": cell["value"]}
            )
        if cell["unit"] not in UNITS:
            errors.append(
                _("line %(line)s, column unit: '%(value)s' is not valid (allowed: %(allowed)s).")
                % {"line": line_no, "value": cell["unit"], "allowed": ", ".join(UNITS)}
            )
        key = cell["outcome"].casefold()
        if key and key in seen:
            errors.append(
                _("line %(line)s, column outcome: '%(value)s' repeats line %(first)s.")
                % {"line": line_no, "value": cell["outcome"], "first": seen[key]}
            )
        seen.setdefault(key, line_no)
        if value is not None:
            rows.append(BankRow(cell["outcome"], value, cell["unit"], cell["source"]))
        if len(seen) > MAX_ROWS:
            raise BankFileError([_("The file has more than 5,000 rows.")])
    if not errors and not rows:
        errors.append(_("The file has no rows after the header."))
    if errors:
        raise BankFileError(errors)
    return rows
