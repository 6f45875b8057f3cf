"""Reading a tenancy list (CSV or XLSX) as housing administration systems export it.

All or nothing: ``parse_tenancies`` returns every row validated, or raises ``ImportRejected``
with one message per problem, each naming the line, the column (as the file names it), the
value and what is allowed. Nothing here writes to the database.

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
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from lokalsamfund.surveys.importing import ImportRejected, read_table

__all__ = ["MAX_ROWS", "ImportRejected", "TenancyRow", "parse_tenancies"]

MAX_MESSAGES = 100
MAX_ROWS = 100_000
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
    errors: list[str] = []
    for position, name in enumerate(header):
        key = header_key(name)
        if not key or key in ignored:
            continue
        field = _BY_KEY.get(key)
        if field is None:
            errors.append(
                _(
                    "line 1, column %(position)s: '%(column)s' is not a known column (allowed: "
                    "Afdeling, Adresse, Lejemålsnr., E-mail, Telefon, Indflytning, or a column "
                    "to ignore)."
                )
                % {"position": position + 1, "column": name.strip()}
            )
        elif field in positions:
            errors.append(
                _("line 1, column %(position)s: '%(column)s' repeats the column '%(first)s'.")
                % {
                    "position": position + 1,
                    "column": name.strip(),
                    "first": header[positions[field]].strip(),
                }
            )
        else:
            positions[field] = position
    labels = {"department": "Afdeling", "address": "Adresse", "number": "Lejemålsnr."}
    for field in REQUIRED:
        if field not in positions:
            errors.append(
                _("line 1: the column '%(column)s' is missing.") % {"column": labels[field]}
            )
    if errors:
        raise ImportRejected(errors)
    return positions


def _date(text: str) -> dt.date | None:
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None


def parse_tenancies(
    data: bytes, filename: str, *, departments: Iterable[str], ignore: Iterable[str] = ()
) -> list[TenancyRow]:
    """Validate a whole tenancy list; see the module doc. ``departments`` are the
    organisation's department codes."""
    table = read_table(data, filename)
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()
    if not table:
        raise ImportRejected([_("The file is empty.")])
    if len(table) - 1 > MAX_ROWS:
        raise ImportRejected(
            [_("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS}]
        )
    header = table[0]
    positions = _columns(header, ignore)
    names = {field: header[position].strip() for field, position in positions.items()}
    by_code = {code.lower(): code for code in departments}
    errors: list[str] = []
    rows: list[TenancyRow] = []
    first_line: dict[str, int] = {}
    for line, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            field: (cells[position].strip() if position < len(cells) else "")
            for field, position in positions.items()
        }
        row = _row(line, values, names, by_code, first_line, errors)
        if row is not None:
            rows.append(row)
        if len(errors) > MAX_MESSAGES:
            break
    if not rows and not errors:
        errors.append(_("The file has a header but no tenancies."))
    if errors:
        if len(errors) > MAX_MESSAGES:
            errors = [*errors[:MAX_MESSAGES], _("… and more errors; fix these first.")]
        raise ImportRejected(errors)
    return rows


def _problem(line: int, column: str, value: str, what: str) -> str:
    return _("line %(line)s, column %(column)s: '%(value)s' %(what)s") % {
        "line": line,
        "column": column,
        "value": value[:80],
        "what": what,
    }


def _row(
    line: int,
    values: dict[str, str],
    names: dict[str, str],
    by_code: dict[str, str],
    first_line: dict[str, int],
    errors: list[str],
) -> TenancyRow | None:
    before = len(errors)
    department = by_code.get(values["department"].lower())
    if department is None:
        allowed = ", ".join(sorted(by_code.values())[:20]) or "-"
        errors.append(
            _problem(
                line,
                names["department"],
                values["department"],
                _("is not a department of the organisation (known: %(known)s).")
                % {"known": allowed},
            )
        )
    address = " ".join(values["address"].split())
    if not address or len(address) > MAX_ADDRESS:
        errors.append(
            _problem(
                line,
                names["address"],
                address,
                _("is not an address (required, at most %(max)s characters).")
                % {"max": MAX_ADDRESS},
            )
        )
    number = values["number"]
    if not number or len(number) > MAX_NUMBER:
        errors.append(
            _problem(
                line,
                names["number"],
                number,
                _("is not a tenancy number (required, at most %(max)s characters).")
                % {"max": MAX_NUMBER},
            )
        )
    elif number.lower() in first_line:
        errors.append(
            _problem(
                line,
                names["number"],
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
            errors.append(_problem(line, names["email"], email, _("is not an e-mail address.")))
    phone = re.sub(r"[\s\-().]", "", values["phone"]) if "phone" in values else None
    if phone and not _PHONE.match(phone):
        errors.append(
            _problem(
                line,
                names["phone"],
                values["phone"],
                _("is not a phone number (8-15 digits, optionally starting with +)."),
            )
        )
    moved_in = None
    if values.get("moved_in"):
        moved_in = _date(values["moved_in"])
        if moved_in is None:
            errors.append(
                _problem(
                    line,
                    names["moved_in"],
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
