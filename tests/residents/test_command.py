"""``lokalsamfund residents import FILE --organisation SLUG [--dry-run]``."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.residents.models import Tenancy

from .conftest import HEADER, csv_file


def _file(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "lejemaal.csv"
    path.write_bytes(csv_file(HEADER, *lines))
    return str(path)


def test_dry_run_counts_and_stores_nothing_then_import(
    tmp_path: Path, org: Organisation, dept_a: Department
) -> None:
    path = _file(tmp_path, "A1;Vej 1;1;;", "A1;Vej 2;2;;")
    out = StringIO()
    call_command("residents", "import", path, "--organisation", "test-org", "--dry-run", stdout=out)
    assert "2 added" in out.getvalue()
    assert not Tenancy.objects.exists()
    call_command("residents", "import", path, "--organisation", "test-org", stdout=out)
    assert Tenancy.objects.count() == 2


def test_a_bad_file_prints_every_problem_and_exits_non_zero(
    tmp_path: Path, org: Organisation, dept_a: Department
) -> None:
    path = _file(tmp_path, "A1;Vej 1;1;;", "Q7;Vej 2;1;;")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("residents", "import", path, "--organisation", "test-org", stderr=err)
    assert "linje 3, kolonne A (Afdeling): 'Q7'" in err.getvalue()  # Danish, the default
    assert "linje 3, kolonne C (Lejemålsnr.): '1' står også i linje 2" in err.getvalue()
    assert not Tenancy.objects.exists()


def test_unknown_organisation_or_file(tmp_path: Path, org: Organisation) -> None:
    with pytest.raises(CommandError, match="No organisation"):
        call_command("residents", "import", "x.csv", "--organisation", "nope")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "residents", "import", str(tmp_path / "none.csv"), "--organisation", "test-org"
        )
