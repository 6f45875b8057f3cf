"""Reading an import file (CSV or XLSX) of responses, per survey-instrument.md's import format.

All or nothing: ``parse_import`` returns every row validated, or raises ``ImportRejected``
with one message per problem, each naming the line, the column, the value and what is
allowed. Nothing here writes to the database (``services.responses_import`` does, in one
transaction).

- The file is read by ``core.tabular`` within its limits (bytes, rows, columns, cell size,
  zip bombs): CSV with ``,`` or ``;`` (detected from the header), UTF-8 with or without BOM,
  or Windows-1252; XLSX: the first sheet, streamed.
- Values: the numeric codes or the Danish or English answer labels, case-insensitive; a flag
  also takes ``ja``/``nej``/``yes``/``no``/``x`` or its own label. Empty = not answered.
- A multiple-choice block counts as answered when any of its flags is non-empty; its empty
  flags are then 0.
- ``progress(done, total)`` (a background job's bar) hears every ``PROGRESS_EVERY`` rows:
  while reading, ``total`` is 0 (not yet known); while checking, ``total`` is twice the rows
  (the second half is storing them, ``services.responses_import``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lokalsamfund.core import tabular
from lokalsamfund.core.import_templates import TemplateColumn
from lokalsamfund.core.tabular import Problems, TableLimits, TableRejected

from . import instrument

MAX_VALUE_SHOWN = 60  # a message quotes at most this much of a wrong value
FLAG_TRUE = {"1", "ja", "yes", "x", "true"}
FLAG_FALSE = {"0", "nej", "no", "false"}
PROGRESS_EVERY = 1000  # rows between two progress reports

Progress = Callable[[int, int], None]


class ImportRejected(TableRejected):
    """The file is rejected as a whole; ``messages`` says why, line by line (the first 50
    and a count of the rest)."""


@dataclass
class ImportRow:
    line: int
    department: str  # the department's code as in the round
    answers: dict[str, int | None]
    extra: dict[str, str] = field(default_factory=dict)
    comment: str = ""


def _accepted_values(item: instrument.Item) -> dict[str, int]:
    """Every accepted spelling (lower case) of every answer of an item, to its code."""
    accepted: dict[str, int] = {}
    if item.kind == "flag":
        accepted |= dict.fromkeys(FLAG_TRUE, 1) | dict.fromkeys(FLAG_FALSE, 0)
        accepted |= {t.lower(): 1 for t in item.texts.values()}
        return accepted
    for option in item.options:
        accepted[option.value.lower()] = option.code
        for label in option.texts.values():
            accepted.setdefault(label.lower(), option.code)
    return accepted


def _message(line: int, column: str, value: str, allowed: Iterable[str]) -> str:
    return _(
        "line %(line)s, column %(column)s: '%(value)s' is not valid (allowed: %(allowed)s)"
    ) % {
        "line": line,
        "column": column,
        "value": value if len(value) <= MAX_VALUE_SHOWN else value[:MAX_VALUE_SHOWN] + "…",
        "allowed": ", ".join(allowed),
    }


def _read_all(
    data: bytes | IO[bytes],
    filename: str,
    limits: TableLimits | None,
    progress: Progress | None = None,
) -> list[tabular.Row]:
    table: list[tabular.Row] = []
    try:
        for row in tabular.read_table(data, filename, limits=limits):
            table.append(row)
            if progress is not None and len(table) % PROGRESS_EVERY == 0:
                progress(len(table), 0)
    except TableRejected as exc:
        raise ImportRejected(exc.messages) from exc
    while table and not any(cell.strip() for cell in table[-1].cells):
        table.pop()
    return table


def parse_import(
    data: bytes | IO[bytes],
    filename: str,
    *,
    departments: Iterable[str],
    extra_items: Mapping[str, list[str]] | None = None,
    ignore: Iterable[str] = (),
    limits: TableLimits | None = None,
    progress: Progress | None = None,
) -> list[ImportRow]:
    """Validate a whole file; see the module doc. ``departments`` are the round's codes;
    ``extra_items`` the organisation's extra questions of the round (code → values)."""
    table = _read_all(data, filename, limits, progress)
    if not table:
        raise ImportRejected([_("The file is empty.")])
    inst = instrument.canonical()
    extra_items = dict(extra_items or {})
    ignored = {c.strip().lower() for c in ignore}
    header = [h.strip().lstrip("\ufeff").lower() for h in table[0].cells]
    errors = Problems()
    known = set(inst.column_codes) | {"department", "comment"} | set(extra_items)
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if name in seen:
            errors.add(_("line 1: the column '%(column)s' appears twice.") % {"column": name})
        seen.add(name)
        if name not in known and name not in ignored:
            errors.add(
                _(
                    "line 1, column %(position)s: '%(column)s' is not a known column "
                    "(an item code, department, comment or an ignored column)."
                )
                % {"position": tabular.column_letter(position), "column": name[:40] or "?"}
            )
    if "department" not in header:
        errors.add(_("line 1: the column 'department' is required."))
    if errors:
        raise ImportRejected(errors.messages())

    by_code = {d.lower(): d for d in departments}
    accepted = {c: _accepted_values(inst.item(c)) for c in inst.column_codes if c in header}
    allowed = {c: inst.item(c).allowed_values() for c in accepted}
    rows: list[ImportRow] = []
    total = 2 * (len(table) - 1)
    for checked, table_row in enumerate(table[1:], start=1):
        if progress is not None and checked % PROGRESS_EVERY == 0:
            progress(checked, total)
        line, cells = table_row.line, table_row.cells
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            errors.add(
                _("line %(line)s: %(found)s cells, but the header has %(expected)s.")
                % {"line": line, "found": len(cells), "expected": len(header)}
            )
            continue
        values = dict(zip(header, (c.strip() for c in cells), strict=False))
        row = _parse_row(line, values, by_code, accepted, allowed, extra_items, errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.add(_("The file has a header but no responses."))
    if errors:
        raise ImportRejected(errors.messages())
    return rows


def _parse_row(
    line: int,
    values: dict[str, str],
    by_code: dict[str, str],
    accepted: dict[str, dict[str, int]],
    allowed: dict[str, list[str]],
    extra_items: Mapping[str, list[str]],
    errors: Problems,
) -> ImportRow | None:
    failed = False
    department = by_code.get(values.get("department", "").lower())
    if department is None:
        errors.add(
            _message(line, "department", values.get("department", ""), sorted(by_code.values()))
        )
        failed = True
    answers: dict[str, int | None] = {}
    for code, spellings in accepted.items():
        raw = values.get(code, "")
        if raw == "":
            answers[code] = None
            continue
        found = spellings.get(raw.lower())
        if found is None:
            errors.add(_message(line, code, raw, allowed[code]))
            failed = True
        answers[code] = found
    extra: dict[str, str] = {}
    for code, options in extra_items.items():
        raw = values.get(code, "")
        if raw == "":
            continue
        match = next((o for o in options if o.lower() == raw.lower()), None)
        if match is None:
            errors.add(_message(line, code, raw, options))
            failed = True
        else:
            extra[code] = match
    if failed:
        return None
    answers = complete_flag_blocks(answers)
    if all(v is None for v in answers.values()) and not extra:
        errors.add(_("line %(line)s: the row has no answers.") % {"line": line})
        return None
    return ImportRow(
        line=line,
        department=department or "",
        answers=answers,
        extra=extra,
        comment=values.get("comment", ""),
    )


def complete_flag_blocks(answers: dict[str, int | None]) -> dict[str, int | None]:
    """A block with any flag given is answered: its other flags become 0; a block with none
    stays unanswered (all empty)."""
    completed = dict(answers)
    for block in instrument.FLAG_BLOCKS:
        codes = instrument.canonical().flag_codes(block)
        if any(completed.get(c) is not None for c in codes):
            for c in codes:
                if completed.get(c) is None:
                    completed[c] = 0
    return completed


def _language() -> str:
    return "da" if (get_language() or "da").startswith("da") else "en"


def template_columns(
    *, departments: Sequence[str], extra_items: Mapping[str, list[str]] | None = None
) -> list[TemplateColumn]:
    """The columns ``parse_import`` reads, in order, described for the template file and the
    format page: department, every canonical item, the round's extra questions, comment."""
    language = _language()
    inst = instrument.canonical()
    columns = [
        TemplateColumn(
            name="department",
            description=_("The department's code, as in the round."),
            required=True,
            allowed=tuple(departments),
            example=departments[0] if departments else "",
        )
    ]
    for code in inst.column_codes:
        item = inst.item(code)
        if item.kind == "flag":
            allowed: tuple[str, ...] = (
                _("1, ja, yes or x: ticked"),
                _("0, nej, no or empty: not ticked"),
            )
            example = "1"
        else:
            allowed = tuple(
                option.value
                if option.value == option.texts[language]
                else f"{option.value} = {option.texts[language]}"
                for option in item.options
            )
            example = item.options[0].value if item.options else ""
        columns.append(
            TemplateColumn(
                name=code, description=item.texts[language], allowed=allowed, example=example
            )
        )
    for code, options in (extra_items or {}).items():
        columns.append(
            TemplateColumn(
                name=code,
                description=_("The organisation's own question in this round."),
                allowed=tuple(options),
                example=options[0] if options else "",
            )
        )
    columns.append(
        TemplateColumn(
            name="comment",
            description=_("A free-text comment, if any."),
        )
    )
    return columns
