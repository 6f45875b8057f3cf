"""Reading an uploaded table (CSV or XLSX) into rows of text, within limits.

Every domain that imports a spreadsheet reads it here, so that no file can exhaust a worker:

- The size in bytes is checked before anything is parsed, and counted again while reading.
- XLSX: the zip directory is checked before openpyxl opens the file (the sum of the declared
  uncompressed sizes, the number of entries, each entry's compression ratio, and the size of
  the shared strings, which openpyxl loads whole: a zip bomb is refused unread). Python's
  zip reader never inflates more than the declared size. The sheet is read with openpyxl in
  read-only (streaming) mode and its declared dimension is ignored (``reset_dimensions``): a
  1.5 KB file that declares a million rows costs nothing.
- Rows, columns and the characters of one cell are counted while streaming; the first row
  over a limit stops the reading at once. A cell with a NUL character is refused (PostgreSQL
  cannot store one).
- CSV: UTF-8 with or without BOM, or Windows-1252 (what Danish Excel saves); ``;`` or ``,``
  as delimiter, detected from the header line.

Limits come from settings (``LOKALSAMFUND_TABLE_*``, documented in docs/deployment.md).
A file over a limit raises ``TableRejected`` with a translated message that names the line and
the column (its letter, as the spreadsheet shows it, and its header when known). Nothing here
writes anything: callers collect the rows and write in one transaction afterwards, so a failed
file changes nothing.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import zipfile
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_MESSAGES = 50
_CHUNK = 64 * 1024
_ZIP_MAX_ENTRIES = 1000
# Small entries compress well (repeated XML tags) without being a danger; the ratio is
# checked from this uncompressed size upwards.
_RATIO_GRACE_BYTES = 1024 * 1024
# The shared strings (every distinct text of the workbook) are loaded whole by openpyxl: they
# may unpack to at most this part of the uncompressed limit.
_SHARED_STRINGS_SHARE = 4


@dataclass(frozen=True)
class TableLimits:
    """How much of an uploaded table is read at most (settings ``LOKALSAMFUND_TABLE_*``)."""

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 100_000
    max_columns: int = 250
    max_cell_chars: int = 10_000
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: int = 100

    @classmethod
    def from_settings(cls) -> TableLimits:
        return cls(
            max_bytes=settings.LOKALSAMFUND_TABLE_MAX_BYTES,
            max_rows=settings.LOKALSAMFUND_TABLE_MAX_ROWS,
            max_columns=settings.LOKALSAMFUND_TABLE_MAX_COLUMNS,
            max_cell_chars=settings.LOKALSAMFUND_TABLE_MAX_CELL_CHARS,
            max_uncompressed_bytes=settings.LOKALSAMFUND_TABLE_MAX_UNCOMPRESSED_BYTES,
            max_compression_ratio=settings.LOKALSAMFUND_TABLE_MAX_COMPRESSION_RATIO,
        )


class TableRejected(Exception):
    """The file is rejected as a whole; ``messages`` says why (translated, capped)."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class Row:
    """One row of the sheet: ``line`` is its number as the spreadsheet shows it (1 = header)."""

    line: int
    cells: list[str]


class Problems:
    """Error messages of one file, capped: the first ``MAX_MESSAGES`` are kept and the rest
    only counted, so that a file with 200,000 bad cells gives a short page."""

    def __init__(self, limit: int = MAX_MESSAGES) -> None:
        self.limit = limit
        self.kept: list[str] = []
        self.count = 0

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.kept) < self.limit:
            self.kept.append(message)

    def __bool__(self) -> bool:
        return self.count > 0

    def __len__(self) -> int:
        return self.count

    def messages(self) -> list[str]:
        rest = self.count - len(self.kept)
        if rest <= 0:
            return list(self.kept)
        more = ngettext(
            "… and %(n)s more error; fix these first.",
            "… and %(n)s more errors; fix these first.",
            rest,
        ) % {"n": number_format(rest, force_grouping=True)}
        return [*self.kept, more]

    def raise_if_any(self) -> None:
        if self:
            raise TableRejected(self.messages())


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 1-based column: 1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def where(line: int, column: int, header: Sequence[str] = ()) -> str:
    """'line 3, column C (trust)': a place in the sheet, for messages."""
    if 0 < column <= len(header) and header[column - 1].strip():
        return _("line %(line)s, column %(letter)s (%(header)s)") % {
            "line": line,
            "letter": column_letter(column),
            "header": header[column - 1].strip()[:40],
        }
    return _("line %(line)s, column %(letter)s") % {"line": line, "letter": column_letter(column)}


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{_n(size // (1024 * 1024))} MB"
    return f"{_n(max(1, size // 1024))} KB"


def _size(source: bytes | IO[bytes]) -> int:
    if isinstance(source, bytes | bytearray):
        return len(source)
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    return size


def limits_for_people(limits: TableLimits | None = None) -> dict[str, str]:
    """The size and row limits as an upload page states them ('20 MB', '100.000')."""
    limits = limits or TableLimits.from_settings()
    return {"size": _size_text(limits.max_bytes), "rows": _n(limits.max_rows)}


def _too_big(limits: TableLimits) -> TableRejected:
    return TableRejected(
        [
            _("The file is larger than %(max)s; split it into smaller files.")
            % {"max": _size_text(limits.max_bytes)}
        ]
    )


def read_table(
    source: bytes | IO[bytes], filename: str, *, limits: TableLimits | None = None
) -> Iterator[Row]:
    """The rows of a CSV or XLSX file as text (header first), streamed within ``limits``.

    Raises ``TableRejected`` (possibly after some rows have been yielded: collect the rows
    before writing anything)."""
    limits = limits or TableLimits.from_settings()
    stream: IO[bytes] = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    if _size(stream) > limits.max_bytes:
        raise _too_big(limits)
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(stream, limits)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(stream, limits)
    else:
        raise TableRejected([_("Only CSV and XLSX files can be imported.")])
    return _checked(rows, limits)


def _checked(rows: Generator[list[str]], limits: TableLimits) -> Iterator[Row]:
    """Number the rows and hold them to the row, column and cell limits while streaming.
    The inner reader is closed however this ends (its file is released at once)."""
    try:
        yield from _numbered(rows, limits)
    finally:
        rows.close()


def _numbered(rows: Iterator[list[str]], limits: TableLimits) -> Iterator[Row]:
    header: list[str] = []
    for line, cells in enumerate(rows, start=1):
        if line > limits.max_rows:
            raise TableRejected(
                [
                    _("The file has more than %(max)s rows; split it into smaller files.")
                    % {"max": _n(limits.max_rows)}
                ]
            )
        while cells and not cells[-1].strip():
            cells.pop()
        if len(cells) > limits.max_columns:
            raise TableRejected(
                [
                    _("%(where)s: the row has %(found)s columns; at most %(max)s are read.")
                    % {
                        "where": where(line, limits.max_columns + 1, header),
                        "found": _n(len(cells)),
                        "max": _n(limits.max_columns),
                    }
                ]
            )
        for column, cell in enumerate(cells, start=1):
            if len(cell) > limits.max_cell_chars:
                raise TableRejected(
                    [
                        _("%(where)s: the cell has more than %(max)s characters.")
                        % {"where": where(line, column, header), "max": _n(limits.max_cell_chars)}
                    ]
                )
            if "\x00" in cell:
                # A NUL character is never text a person typed, and PostgreSQL cannot store
                # it in a text column: refused here rather than failing at the write.
                raise TableRejected(
                    [
                        _("%(where)s: the cell contains a NUL character; save the file as text.")
                        % {"where": where(line, column, header)}
                    ]
                )
        if line == 1:
            header = list(cells)
        yield Row(line=line, cells=cells)


# CSV --------------------------------------------------------------------------------------


def _encoding(stream: IO[bytes], limits: TableLimits) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes so, else Windows-1252; counts
    the bytes read against the limit (the size a stream reports is not trusted)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    read = 0
    utf8 = True
    stream.seek(0)
    while chunk := stream.read(_CHUNK):
        read += len(chunk)
        if read > limits.max_bytes:
            raise _too_big(limits)
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    stream.seek(0)
    if utf8:
        return "utf-8-sig"
    return "cp1252"


def _csv_rows(stream: IO[bytes], limits: TableLimits) -> Generator[list[str]]:
    encoding = _encoding(stream, limits)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    line = 0
    try:
        first = text.readline(_CHUNK)
        delimiter = ";" if first.count(";") > first.count(",") else ","
        text.seek(0)
        reader = csv.reader(text, delimiter=delimiter, strict=False)
        for cells in reader:
            line += 1
            yield cells
    except csv.Error as exc:
        raise TableRejected(
            [
                _(
                    "line %(line)s: the row cannot be read (a cell longer than %(max)s "
                    "characters, or a quote that is never closed)."
                )
                % {"line": line + 1, "max": _n(limits.max_cell_chars)}
            ]
        ) from exc
    except UnicodeDecodeError as exc:
        raise TableRejected(
            [_("The file is neither UTF-8 nor Windows-1252 text; save it as CSV (UTF-8).")]
        ) from exc
    finally:
        with contextlib.suppress(ValueError):  # the caller closed the file already
            text.detach()


# XLSX -------------------------------------------------------------------------------------


def check_zip(stream: IO[bytes], limits: TableLimits) -> None:
    """Refuse a zip (an XLSX file) whose directory promises too much, before opening it."""
    damaged = TableRejected([_("The file could not be read as an XLSX workbook.")])
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise damaged from exc
    finally:
        stream.seek(0)
    bomb = TableRejected(
        [
            _(
                "The XLSX file unpacks to more than %(max)s or is packed suspiciously "
                "hard; it is not read. Save it again from the spreadsheet program, or as CSV."
            )
            % {"max": _size_text(limits.max_uncompressed_bytes)}
        ]
    )
    if len(entries) > _ZIP_MAX_ENTRIES:
        raise bomb
    total = 0
    for entry in entries:
        if (
            entry.filename.lower().endswith("sharedstrings.xml")
            and entry.file_size > limits.max_uncompressed_bytes // _SHARED_STRINGS_SHARE
        ):
            # openpyxl holds every shared string in memory at once, even read-only.
            raise TableRejected(
                [
                    _(
                        "The XLSX file holds more than %(max)s of different texts; it is not "
                        "read. Save it as CSV (UTF-8) instead."
                    )
                    % {"max": _size_text(limits.max_uncompressed_bytes // _SHARED_STRINGS_SHARE)}
                ]
            )
        total += entry.file_size
        if total > limits.max_uncompressed_bytes:
            raise bomb
        if (
            entry.file_size > _RATIO_GRACE_BYTES
            and entry.file_size > entry.compress_size * limits.max_compression_ratio
        ):
            raise bomb


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(stream: IO[bytes], limits: TableLimits) -> Generator[list[str]]:
    from openpyxl import load_workbook

    check_zip(stream, limits)
    damaged = TableRejected([_("The file could not be read as an XLSX workbook.")])
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise damaged from exc
    try:
        if not workbook.worksheets:
            raise damaged
        sheet = workbook.worksheets[0]
        reset = getattr(sheet, "reset_dimensions", None)
        if reset is not None:
            reset()  # never trust the declared dimension (A1:XFD1048576)
        read_chars = 0
        rows = sheet.iter_rows(min_row=1, values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except TableRejected:
                raise
            except Exception as exc:  # a damaged sheet part (bad XML, CRC)
                raise damaged from exc
            cells = [_cell_text(v) for v in values]
            read_chars += sum(len(c) for c in cells)
            if read_chars > limits.max_uncompressed_bytes:
                raise TableRejected(
                    [
                        _("The sheet holds more than %(max)s of text; it is not read.")
                        % {"max": _size_text(limits.max_uncompressed_bytes)}
                    ]
                )
            yield cells
    finally:
        workbook.close()
