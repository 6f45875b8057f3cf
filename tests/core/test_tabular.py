"""The limited tabular reader: each hostile file of issue 9 point 8, built here, is refused
early, with a message that names what and where, without allocating what the file promises."""

from __future__ import annotations

import io
import re
import secrets
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.utils import translation
from openpyxl import Workbook

from lokalsamfund.core.tabular import (
    Problems,
    TableLimits,
    TableRejected,
    column_letter,
    read_table,
)

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


def _rows(data: bytes, filename: str, **limits: int) -> list[list[str]]:
    return [r.cells for r in read_table(data, filename, limits=TableLimits(**limits))]


def _rejected(data: bytes, filename: str, **limits: int) -> list[str]:
    with pytest.raises(TableRejected) as caught:
        _rows(data, filename, **limits)
    return caught.value.messages


def _workbook(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _entries(xlsx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(parts: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: (name, stored bytes, method, crc, declared size) per entry, so
    that a test can declare what it likes in the directory."""
    out = io.BytesIO()
    central = io.BytesIO()
    for name, raw, method, crc, size in parts:
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                method,
                0,
                0,
                crc,
                len(raw),
                size,
                len(encoded),
                0,
            )
        )
        out.write(encoded + raw)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0,
                crc,
                len(raw),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        central.write(encoded)
    directory = central.getvalue()
    start = out.tell()
    out.write(directory)
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), start, 0)
    )
    return out.getvalue()


def _deflated(parts: dict[str, bytes]) -> list[tuple[str, bytes, int, int, int]]:
    packed = []
    for name, data in parts.items():
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        raw = compressor.compress(data) + compressor.flush()
        packed.append((name, raw, 8, zlib.crc32(data), len(data)))
    return packed


def _bomb_entry(name: str, repeats: int) -> tuple[str, bytes, int, int, int]:
    """A deflate stream of ``repeats`` MiB, made from one compressed MiB
    repeated (a full flush makes each repeat identical): a few KB per declared GB."""
    block = b" " * MB  # white space between rows: valid, and packed about 1000:1
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    return (name, chunk * repeats + final, 8, 0, len(block) * repeats)


def test_csv_utf8_bom_semicolon_and_windows_1252() -> None:
    text = "department;comment\nA1;Grønne områder\n"
    assert _rows(("\ufeff" + text).encode(), "a.csv") == [
        ["department", "comment"],
        ["A1", "Grønne områder"],
    ]
    assert _rows(text.encode("cp1252"), "a.csv")[1] == ["A1", "Grønne områder"]
    assert _rows(b"a,b\n1,2\n", "a.csv") == [["a", "b"], ["1", "2"]]


def test_xlsx_rows_as_text() -> None:
    assert _rows(_workbook([["department", "trust"], ["A1", 3], ["B1", 2.5]]), "a.xlsx") == [
        ["department", "trust"],
        ["A1", "3"],
        ["B1", "2.5"],
    ]


def test_column_letters() -> None:
    assert [column_letter(i) for i in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_xlsx_declaring_a_million_rows_is_read_as_what_it_holds() -> None:
    """1.5 KB that declares A1:XFD1048576 and has a cell in the last row: the dimension is
    ignored, the rows are counted as they stream, and the reading stops at the limit."""
    entries = _entries(_workbook([["department", "trust"], ["A1", 3]]))
    sheet = entries["xl/worksheets/sheet1.xml"].decode()
    declared = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', sheet)
    assert declared != sheet
    entries["xl/worksheets/sheet1.xml"] = declared.encode()
    small = _zip(_deflated(entries))
    assert _rows(small, "a.xlsx") == [["department", "trust"], ["A1", "3"]]

    far = declared.replace(
        "</sheetData>",
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    entries["xl/worksheets/sheet1.xml"] = far.encode()
    bomb = _zip(_deflated(entries))
    assert len(bomb) < 8 * 1024
    tracemalloc.start()
    try:
        messages = _rejected(bomb, "a.xlsx", max_rows=100_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert messages == ["The file has more than 100,000 rows; split it into smaller files."]
    assert peak < 30 * MB  # the old code took a worker to 4.9 GB


def test_zip_bomb_is_refused_from_its_directory_before_inflating() -> None:
    """3.3 MB that unpacks to 3.3 GB."""
    entries = _entries(_workbook([["department"], ["A1"]]))
    parts = _deflated({k: v for k, v in entries.items() if k != "xl/worksheets/sheet1.xml"})
    bomb = _zip([*parts, _bomb_entry("xl/worksheets/sheet1.xml", 3300)])
    assert 3 * MB < len(bomb) < 4 * MB
    tracemalloc.start()
    try:
        messages = _rejected(bomb, "a.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "unpacks to more than 200 MB" in messages[0]
    assert peak < 30 * MB


def test_an_entry_packed_harder_than_the_ratio_is_refused_even_under_the_size() -> None:
    entries = _entries(_workbook([["department"], ["A1"]]))
    parts = _deflated({k: v for k, v in entries.items() if k != "xl/worksheets/sheet1.xml"})
    bomb = _zip([*parts, _bomb_entry("xl/worksheets/sheet1.xml", 20)])  # 20 MiB at ~1000:1
    assert len(_rejected(bomb, "a.xlsx")) == 1


def test_bytes_rows_columns_and_cells_over_the_limits() -> None:
    assert _rejected(b"a\n" * 600, "a.csv", max_bytes=1024) == [
        "The file is larger than 1 KB; split it into smaller files."
    ]
    assert _rejected(b"a\n" * 11, "a.csv", max_rows=10) == [
        "The file has more than 10 rows; split it into smaller files."
    ]
    assert _rejected(b"a,b,c\n1,2,3,4\n", "a.csv", max_columns=3) == [
        "line 2, column D: the row has 4 columns; at most 3 are read."
    ]
    assert _rejected(b"a,b\n1," + b"x" * 11 + b"\n", "a.csv", max_cell_chars=10) == [
        "line 2, column B (b): the cell has more than 10 characters."
    ]


def test_a_csv_field_over_128_kib_is_a_message_not_a_crash() -> None:
    data = b"department,comment\nA1," + b"x" * (129 * 1024) + b"\n"
    assert _rejected(data, "a.csv") == [
        "line 2: the row cannot be read (a cell longer than 10,000 characters, or a quote "
        "that is never closed)."
    ]


def test_200000_columns_give_one_short_message() -> None:
    header = ",".join(f"x{i}" for i in range(200_000)).encode()
    messages = _rejected(header + b"\n", "a.csv")
    assert messages == ["line 1, column IQ: the row has 200,000 columns; at most 250 are read."]


def test_damaged_and_wrong_files() -> None:
    assert _rejected(b"PK\x03\x04 not really", "a.xlsx") == [
        "The file could not be read as an XLSX workbook."
    ]
    assert _rejected(b"x", "a.pdf") == ["Only CSV and XLSX files can be imported."]


def test_problems_keep_the_first_50_and_count_the_rest() -> None:
    problems = Problems()
    for i in range(300):
        problems.add(f"line {i}")
    messages = problems.messages()
    assert len(messages) == 51
    assert messages[49] == "line 49"
    assert messages[50] == "… and 250 more errors; fix these first."
    with translation.override("da"):
        assert Problems().messages() == []


def test_danish_messages_name_the_line_and_column_letter() -> None:
    with translation.override("da"):
        messages = _rejected(b"a,b\n1," + b"x" * 11 + b"\n", "a.csv", max_cell_chars=10)
    assert messages == ["linje 2, kolonne B (b): cellen har mere end 10 tegn."]


def test_shared_strings_over_a_quarter_of_the_unpacked_limit_are_refused() -> None:
    """openpyxl loads every distinct text at once, even read-only: that part has its own cap."""
    texts = "".join(f"<si><t>{secrets.token_hex(32)}</t></si>" for _ in range(20_000))
    strings = (
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{texts}</sst>'
    )
    entries = _entries(_workbook([["department"], ["A1"]]))
    entries["xl/sharedStrings.xml"] = strings.encode()
    data = _zip(_deflated(entries))
    assert len(strings) > MB
    messages = _rejected(data, "a.xlsx", max_uncompressed_bytes=4 * MB)
    assert messages == [
        "The XLSX file holds more than 1 MB of different texts; it is not read. Save it as "
        "CSV (UTF-8) instead."
    ]
    assert _rows(data, "a.xlsx", max_uncompressed_bytes=8 * MB) == [["department"], ["A1"]]
