"""One clock: code reads time through django.utils.timezone only, and every test runs at the
pinned moment of tests/conftest.py (docs/decisions/0005-one-clock.md)."""

from __future__ import annotations

import ast
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import TEST_NOW_VARIABLE, pinned_moment

SRC = Path(__file__).resolve().parents[2] / "src" / "lokalsamfund"

# Calls that read the clock behind django.utils.timezone's back.
FORBIDDEN = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
}


def clock_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (name, node.func.attr) in FORBIDDEN:
                found.append(f"{path}:{node.lineno} {name}.{node.func.attr}()")
    return found


def test_code_reads_the_clock_through_timezone_only() -> None:
    reads = [r for p in sorted(SRC.rglob("*.py")) for r in clock_reads(p)]
    assert reads == []


def test_the_scan_finds_a_clock_read(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt\nx = dt.date.today()\ny = dt.datetime.now(tz=dt.UTC)\n"
    )
    assert len(clock_reads(sample)) == 2


def test_every_test_runs_at_the_pinned_moment(clock: time_machine.Coordinates) -> None:
    assert timezone.now() == pinned_moment()
    assert timezone.now() == timezone.now()  # it stands still


def test_the_moment_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_NOW_VARIABLE, "2027-10-31T02:30:00+01:00")
    assert pinned_moment() == datetime.fromisoformat("2027-10-31T01:30:00+00:00")
    for bad in ("2027-10-31T02:30:00", "31.10.2027"):
        monkeypatch.setenv(TEST_NOW_VARIABLE, bad)
        with pytest.raises(pytest.UsageError, match=TEST_NOW_VARIABLE):
            pinned_moment()
