"""``lokalsamfund survey``: rounds, import (non-zero exit, nothing stored on error), results."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.surveys.models import SurveyResponse, SurveyRound


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("survey", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_round_create_list_close(org: Organisation, dept_a: Department, dept_b: Department) -> None:
    assert "is open" in _run(
        "round", "create", "r2025", "--departments", "A1,B1", "--title", "Runde"
    )
    survey_round = SurveyRound.objects.get(slug="r2025")
    assert survey_round.is_open
    assert survey_round.organisation == org
    assert "r2025\topen\ttest-org\tA1,B1\tRunde" in _run("round", "list")
    assert "closed" in _run("round", "close", "r2025")
    with pytest.raises(CommandError, match="Kun en åben måling kan lukkes"):
        _run("round", "close", "r2025")
    with pytest.raises(CommandError, match="findes allerede"):
        _run("round", "create", "r2025", "--departments", "A1")
    with pytest.raises(CommandError, match="Unknown departments"):
        _run("round", "create", "r2026", "--departments", "A1,Z9")


def test_round_create_needs_the_organisation_when_there_are_several(
    org: Organisation, other_org: Organisation, dept_a: Department
) -> None:
    with pytest.raises(CommandError, match="--organisation"):
        _run("round", "create", "x", "--departments", "A1")
    _run("round", "create", "x", "--departments", "A1", "--organisation", "test-org")


def test_import_ok_and_rejected(org: Organisation, dept_a: Department, tmp_path: Path) -> None:
    _run("round", "create", "imp", "--departments", "A1")
    good = tmp_path / "svar.csv"
    good.write_text("department;trust\nA1;4\nA1;Helt enig\n", encoding="utf-8")
    assert "Imported 2 responses" in _run("import", "--round", "imp", str(good))
    bad = tmp_path / "fejl.csv"
    bad.write_text("department,trust\nA1,4\nA1,6\n", encoding="utf-8")
    errors = io.StringIO()
    with pytest.raises(CommandError, match="rejected, nothing stored"):
        call_command(
            "survey", "import", "--round", "imp", str(bad), stdout=io.StringIO(), stderr=errors
        )
    assert "kolonne trust: '6'" in errors.getvalue() or "column trust: '6'" in errors.getvalue()
    assert SurveyResponse.objects.count() == 2


def test_import_of_a_file_over_the_row_limit_stores_nothing(
    org: Organisation, dept_a: Department, tmp_path: Path, settings: Any
) -> None:
    settings.LOKALSAMFUND_TABLE_MAX_ROWS = 1000
    _run("round", "create", "stor", "--departments", "A1")
    big = tmp_path / "stor.csv"
    big.write_text("department,trust\n" + "A1,4\n" * 5000, encoding="utf-8")
    errors = io.StringIO()
    with pytest.raises(CommandError, match="rejected, nothing stored"):
        call_command(
            "survey", "import", "--round", "stor", str(big), stdout=io.StringIO(), stderr=errors
        )
    assert "1.000" in errors.getvalue() or "1,000" in errors.getvalue()
    assert SurveyResponse.objects.count() == 0


@pytest.mark.clock_blind
def test_the_command_exits_non_zero_on_a_rejected_file(tmp_path: Path) -> None:
    """The real command, as an administrator runs it (its own SQLite database)."""
    env = {"LOKALSAMFUND_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "lokalsamfund"]
    subprocess.run([*command, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*command, "demo"], env=env, check=True, capture_output=True)
    bad = tmp_path / "fejl.csv"
    bad.write_text("department,ucla_isolated\nA1,4\n", encoding="utf-8")
    done = subprocess.run(
        [*command, "survey", "import", "--round", "eksempel-2025", str(bad)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "linje 2, kolonne ucla_isolated: '4' er ikke gyldig (tilladt: 1, 2, 3)" in done.stderr
    results = subprocess.run(
        [*command, "survey", "results", "--round", "eksempel-2024", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(results.stdout)
    assert data["round"] == "eksempel-2024"
    assert data["min_cell_size"] == 5
    assert {g["department"] for g in data["groups"]} == {None, "A1", "A2", "B1"}
