"""Reading a tenancy list (CSV or XLSX) as housing administration systems export it.

All or nothing: ``parse_tenancies`` returns every row validated, or raises ``ImportRejected``
with one message per problem (the first 50 and a count of the rest), each naming the line,
the column (its letter and header), the value and what is allowed. The file is read by
``core.tabular`` within its limits (bytes, rows, columns, cell size, zip checks). Nothing
here writes to the database.

Columns (header names case-insensitive; spaces, dots, dashes and underscores ignored):

- department (required): ``Afdeling``, ``Afd.nr.``, ``Afd``, ``Afdelingsnr.``, ``Department``
- address (required): ``Adresse``, ``Address``
- tenancy number (required): ``Lejemålsnr.``, ``Lejemål``, ``Lejemålsnummer``, ``Lejenr.``,
  ``Tenancy``
- e-mail: ``E-mail``, ``Mail``, ``E-mailadresse``, ``Email``
- phone: ``Telefon``, ``Mobil``, ``Tlf.``, ``Telefonnr.``, ``Mobilnr.``, ``Phone``
- moved in: ``Indflytning``, ``Indflytningsdato``, ``Moved in`` (dd-mm-yyyy, dd.mm.yyyy or
  yyyy-mm-dd)

Other columns are refused unless named in ``ignore`` (so that names and other personal data
from the export are not read by accident).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from lokalsamfund.core import tabular
from lokalsamfund.core.import_templates import TemplateColumn
from lokalsamfund.core.tabular import Problems, TableLimits, TableRejected

__all__ = ["ImportRejected", "TenancyRow", "parse_tenancies", "template_columns"]

MAX_NUMBER = 40
MAX_ADDRESS = 300
MAX_EMAIL = 254

COLUMNS: dict[str, tuple[str, ...]] = {
    "department": (
        "afdeling",
        "afdnr",
        "afd",
        "afdelingsnr",
        "afdelingsnummer",
        "department",
    ),
    "address": ("adresse", "address"),
    "number": (
        "lejemålsnr",
        "lejemål",
        "lejemålsnummer",
        "lejemaalsnr",
        "lejemaal",
        "lejenr",
        "tenancy",
        "tenancynumber",
    ),
    "email": ("email", "mail", "emailadresse"),
    "phone": ("telefon", "mobil", "tlf", "telefonnr", "mobilnr", "phone"),
    "moved_in": ("indflytning", "indflytningsdato", "movedin"),
}
REQUIRED = ("department", "address", "number")
# The heading of each column in the template file (one of its accepted names, as the housing
# administration systems write it).
HEADINGS: dict[str, str] = {
    "department": "Afdeling",
    "address": "Adresse",
    "number": "Lejemålsnr.",
    "email": "E-mail",
    "phone": "Telefon",
    "moved_in": "Indflytning",
}


class ImportRejected(TableRejected):
    """The tenancy list is rejected as a whole; ``messages`` says why, line by line."""


_PHONE = re.compile(r"^\+?\d{8,15}$")
_DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class TenancyRow:
    line: int
    department: str  # the department's code as the organisation writes it
    address: str
    number: str
    email: str | None  # None: the file has no e-mail column (keep what is stored)
    phone: str | None  # None: the file has no phone column
    moved_in: dt.date | None

    def as_json(self) -> dict[str, Any]:
        """For keeping the checked rows until the person confirms (the import page)."""
        return {**asdict(self), "moved_in": self.moved_in.isoformat() if self.moved_in else ""}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TenancyRow:
        moved_in = dt.date.fromisoformat(data["moved_in"]) if data["moved_in"] else None
        return cls(**{**data, "moved_in": moved_in})


def header_key(name: str) -> str:
    """A header as it is compared: lower case, without spaces, dots, dashes, underscores."""
    return re.sub(r"[\s._\-]", "", name.strip().lstrip("\ufeff").lower())


_BY_KEY = {alias: field for field, aliases in COLUMNS.items() for alias in aliases}


def _columns(header: list[str], ignore: Iterable[str]) -> dict[str, int]:
    """The position of each known column; refuses unknown, doubled and missing columns."""
    ignored = {header_key(c) for c in ignore}
    positions: dict[str, int] = {}
    errors = Problems()
    for position, name in enumerate(header):
        key = header_key(name)
        if not key or key in ignored:
            continue
        field = _BY_KEY.get(key)
        if field is None:
            errors.add(
                _(
                    "line 1, column %(position)s: '%(column)s' is not a known column (allowed: "
                    "%(allowed)s, or a column to ignore)."
                )
                % {
                    "position": tabular.column_letter(position + 1),
                    "column": name.strip()[:40],
                    "allowed": ", ".join(HEADINGS.values()),
                }
            )
        elif field in positions:
            errors.add(
                _("line 1, column %(position)s: '%(column)s' repeats the column '%(first)s'.")
                % {
                    "position": tabular.column_letter(position + 1),
                    "column": name.strip()[:40],
                    "first": header[positions[field]].strip()[:40],
                }
            )
        else:
            positions[field] = position
    for field in REQUIRED:
        if field not in positions:
            errors.add(
                _("line 1: the column '%(column)s' is missing.") % {"column": HEADINGS[field]}
            )
    if errors:
        raise ImportRejected(errors.messages())
    return positions


def _date(text: str) -> dt.date | None:
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None


def _read_all(
    data: bytes | IO[bytes], filename: str, limits: TableLimits | None
) -> list[tabular.Row]:
    try:
        table = list(tabular.read_table(data, filename, limits=limits))
    except TableRejected as exc:
        raise ImportRejected(exc.messages) from exc
    while table and not any(cell.strip() for cell in table[-1].cells):
        table.pop()
    return table


def parse_tenancies(
    data: bytes | IO[bytes],
    filename: str,
    *,
    departments: Iterable[str],
    ignore: Iterable[str] = (),
    limits: TableLimits | None = None,
) -> list[TenancyRow]:
    """Validate a whole tenancy list; see the module doc. ``departments`` are the
    organisation's department codes."""
    table = _read_all(data, filename, limits)
    if not table:
        raise ImportRejected([_("The file is empty.")])
    header = table[0].cells
    positions = _columns(header, ignore)
    columns = {field: position + 1 for field, position in positions.items()}
    by_code = {code.lower(): code for code in departments}
    errors = Problems()
    rows: list[TenancyRow] = []
    first_line: dict[str, int] = {}
    for table_row in table[1:]:
        cells = table_row.cells
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            field: (cells[position].strip() if position < len(cells) else "")
            for field, position in positions.items()
        }
        place = {
            field: tabular.where(table_row.line, column, header)
            for field, column in columns.items()
        }
        row = _row(table_row.line, values, place, by_code, first_line, errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.add(_("The file has a header but no tenancies."))
    if errors:
        raise ImportRejected(errors.messages())
    return rows


def _problem(place: str, value: str, what: str) -> str:
    return _("%(place)s: '%(value)s' %(what)s") % {
        "place": place,
        "value": value[:80],
        "what": what,
    }


def _row(
    line: int,
    values: dict[str, str],
    place: dict[str, str],
    by_code: dict[str, str],
    first_line: dict[str, int],
    errors: Problems,
) -> TenancyRow | None:
    before = len(errors)
    department = by_code.get(values["department"].lower())
    if department is None:
        allowed = ", ".join(sorted(by_code.values())[:20]) or "-"
        errors.add(
            _problem(
                place["department"],
                values["department"],
                _("is not a department of the organisation (known: %(known)s).")
                % {"known": allowed},
            )
        )
    address = " ".join(values["address"].split())
    if not address or len(address) > MAX_ADDRESS:
        errors.add(
            _problem(
                place["address"],
                address,
                _("is not an address (required, at most %(max)s characters).")
                % {"max": MAX_ADDRESS},
            )
        )
    number = values["number"]
    if not number or len(number) > MAX_NUMBER:
        errors.add(
            _problem(
                place["number"],
                number,
                _("is not a tenancy number (required, at most %(max)s characters).")
                % {"max": MAX_NUMBER},
            )
        )
    elif number.lower() in first_line:
        errors.add(
            _problem(
                place["number"],
                number,
                _("appears also on line %(first)s; a tenancy number is listed once.")
                % {"first": first_line[number.lower()]},
            )
        )
    else:
        first_line[number.lower()] = line
    email = values["email"].lower() if "email" in values else None
    if email:
        try:
            if len(email) > MAX_EMAIL:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            errors.add(_problem(place["email"], email, _("is not an e-mail address.")))
    phone = re.sub(r"[\s\-().]", "", values["phone"]) if "phone" in values else None
    if phone and not _PHONE.match(phone):
        errors.add(
            _problem(
                place["phone"],
                values["phone"],
                _("is not a phone number (8-15 digits, optionally starting with +)."),
            )
        )
    moved_in = None
    if values.get("moved_in"):
        moved_in = _date(values["moved_in"])
        if moved_in is None:
            errors.add(
                _problem(
                    place["moved_in"],
                    values["moved_in"],
                    _("is not a date (dd-mm-yyyy or yyyy-mm-dd)."),
                )
            )
    if len(errors) > before or department is None:
        return None
    return TenancyRow(
        line=line,
        department=department,
        address=address,
        number=number,
        email=email,
        phone=phone,
        moved_in=moved_in,
    )


def template_columns(*, departments: Sequence[str]) -> list[TemplateColumn]:
    """The columns ``parse_tenancies`` reads, under the template's headings, described for
    the template file and the format page."""
    what = {
        "department": (
            _("The department's code in the organisation."),
            tuple(departments),
            departments[0] if departments else "",
        ),
        "address": (
            _("The home's address (at most %(max)s characters).") % {"max": MAX_ADDRESS},
            (),
            "Ærtebjergvej 3, st. th.",
        ),
        "number": (
            _("The tenancy number, once per file (at most %(max)s characters).")
            % {"max": MAX_NUMBER},
            (),
            "1-0001",
        ),
        "email": (
            _(
                "The tenant's e-mail address. An empty cell removes a stored one; leave the "
                "column out to keep what is stored."
            ),
            (),
            "beboer@eksempel.dk",
        ),
        "phone": (
            _(
                "The phone number: 8-15 digits, optionally starting with +. An empty cell "
                "removes a stored one; leave the column out to keep what is stored."
            ),
            (),
            "+45 12 34 56 78",
        ),
        "moved_in": (
            _("The moving-in date, if known: dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd."),
            (),
            "01-08-2019",
        ),
    }
    return [
        TemplateColumn(
            name=HEADINGS[field],
            description=description,
            required=field in REQUIRED,
            allowed=allowed,
            example=example,
        )
        for field, (description, allowed, example) in what.items()
    ]
