"""Benchmark: reading an uploaded XLSX through the limited, streaming reader (issue 9 point 8).

Prints time and peak memory (each part in a fresh process, so the peak is its own) of

(a) the streaming reader ``core.tabular.read_table`` on a large valid import file
    (``--rows`` responses × 20 columns, default 50,000), against
(b) the baseline in the same run: openpyxl's ordinary (non-read-only) ``load_workbook`` of the
    same file, then its rows as text;
(c) the reader on a 1.5 KB XLSX that declares A1:XFD1048576 and has a cell in the last row,
    which took the old code to 4.9 GB (now refused at the row limit).

Run: ``.venv/bin/python benchmarks/import_limits.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

COLUMNS = [
    "department",
    "age_group",
    "household",
    "years_here",
    "ucla_left_out",
    "ucla_isolated",
    "ucla_companionship",
    "lonely_direct",
    "who5_1",
    "who5_2",
    "who5_3",
    "who5_4",
    "who5_5",
    "trust",
    "belonging",
    "participates",
    "barrier_time",
    "barrier_cost",
    "wish_meals",
    "comment",
]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_large(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(COLUMNS)
    for i in range(rows):
        sheet.append(
            [f"A{i % 40}", 1 + i % 7, "alone", "1-4", 1 + i % 3, 1 + i % 3, 1 + i % 3, 1 + i % 5]
            + [i % 6] * 5
            + [1 + i % 5, 1 + i % 5, 1 + i % 4, i % 2, 0, 1, "Mere grønt"]
        )
    workbook.save(path)


def make_declared_million(path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["department", "trust"])
    sheet.append(["A1", 3])
    out = io.BytesIO()
    workbook.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml)
    xml = xml.replace(
        "</sheetData>",
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def run_part(part: str, path: str) -> None:
    """In a fresh process: read the file one way, print seconds, the peak memory above the
    process's floor (after Django and openpyxl are imported) in MB, and the rows."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalsamfund.settings")
    import django

    django.setup()
    from django.utils import translation
    from openpyxl import load_workbook

    from lokalsamfund.core import tabular

    translation.activate("en")
    before = _peak_mb()  # Django and openpyxl imported: the process's own floor
    started = time.perf_counter()
    outcome = ""
    if part == "baseline":
        workbook = load_workbook(path)
        sheet = workbook.worksheets[0]
        rows = [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
        count = len(rows)
    else:
        limits = tabular.TableLimits(max_rows=10_000_000, max_bytes=1 << 30)
        if part == "declared":
            limits = tabular.TableLimits.from_settings()
        count = 0
        try:
            with open(path, "rb") as stream:
                for _row in tabular.read_table(stream, "file.xlsx", limits=limits):
                    count += 1
        except tabular.TableRejected as exc:
            outcome = f" (refused: {exc.messages[0]})"
    seconds = time.perf_counter() - started
    print(f"{seconds:.2f} {_peak_mb() - before:.0f} {count}{outcome}")


def measure(part: str, path: Path) -> tuple[float, float, str]:
    done = subprocess.run(
        [sys.executable, __file__, "--part", part, "--file", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, peak, rest = done.stdout.strip().split(" ", 2)
    return float(seconds), float(peak), rest


def _line(label: str, figures: tuple[float, float, str]) -> None:
    seconds, peak, rows = figures
    print(f"{label} {seconds:6.2f} s  {peak:7.0f} MB above the process floor  rows {rows}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--part")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.part:
        run_part(args.part, args.file)
        return
    with tempfile.TemporaryDirectory() as folder:
        large = Path(folder) / "large.xlsx"
        declared = Path(folder) / "declared.xlsx"
        make_large(large, args.rows)
        make_declared_million(declared)
        size_mb = large.stat().st_size / (1024 * 1024)
        print(f"Large valid file: {args.rows:,} rows × {len(COLUMNS)} columns, {size_mb:.1f} MB")
        reader = measure("reader", large)
        baseline = measure("baseline", large)
        _line("(a) streaming reader:         ", reader)
        _line("(b) baseline, openpyxl normal:", baseline)
        print(
            f"    ratio reader/baseline: time {reader[0] / baseline[0]:.2f}, "
            f"peak memory {reader[1] / baseline[1]:.2f}"
        )
        print(f"Declares a million rows: {declared.stat().st_size:,} bytes")
        million = measure("declared", declared)
        _line("(c) streaming reader:         ", million)


if __name__ == "__main__":
    main()
