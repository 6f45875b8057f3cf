"""The modules documented as pure ("no Django") import without Django, so the claim cannot rot
(docs/architecture.md: pure computation in plain modules, testable and benchmarkable alone)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

# The pure modules named in the docs; every module whose docstring says "no Django" is
# checked too (``documented_pure``), so a new one cannot be forgotten.
PURE = {
    "lokalsamfund.surveys.analysis",
    "lokalsamfund.surveys.disclosure",
    "lokalsamfund.surveys.evidence",
    "lokalsamfund.surveys.instrument",
    "lokalsamfund.surveys.stats",
    "lokalsamfund.surveys.synthetic",
    "lokalsamfund.decisions.model",
    "lokalsamfund.decisions.model.distributions",
    "lokalsamfund.decisions.model.inputs",
    "lokalsamfund.decisions.model.montecarlo",
    "lokalsamfund.decisions.model.people",
    "lokalsamfund.decisions.model.plan",
    "lokalsamfund.decisions.model.portfolio",
    "lokalsamfund.decisions.model.sensitivity",
    "lokalsamfund.decisions.model.value",
    "lokalsamfund.decisions.survey_data",
    "lokalsamfund.decisions.value_bank",
    "lokalsamfund.activities.reach",
    "lokalsamfund.activities.recurrence",
    "lokalsamfund.green.allocation",
    "lokalsamfund.bookings.letting",
    "lokalsamfund.bookings.policy",
    "lokalsamfund.bookings.pricing",
    "lokalsamfund.bookings.timeline",
    "lokalsamfund.network.pool",
    "lokalsamfund.network.local_evidence",
    "lokalsamfund.network.bundle",
}

# Imports each module in turn in a fresh, isolated interpreter (-I: no PYTHONPATH, no user
# site, not the test process's Django), refusing any import of Django.
GUARD = """
import importlib, sys
class NoDjango:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError(f"{name} imported by a pure module")
sys.path.insert(0, sys.argv[1])
sys.meta_path.insert(0, NoDjango())
failures = []
for module in sys.argv[2:]:
    try:
        importlib.import_module(module)
    except ImportError as exc:
        failures.append(f"{module}: {exc}")
print("\\n".join(failures))
sys.exit(1 if failures else 0)
"""


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def documented_pure() -> set[str]:
    """Modules whose docstring's first lines say they have no Django import."""
    found = set()
    for path in (SRC / "lokalsamfund").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        head = " ".join(docstring.split("\n\n")[0].split())
        if "no Django" in head:
            found.add(_module_name(path))
    return found


# The guard runs in a fresh interpreter, which the pinned clock does not reach.
pytestmark = pytest.mark.clock_blind


def run_guarded(modules: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", "-c", GUARD, str(SRC), *modules],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_documented_pure_modules_are_listed() -> None:
    assert documented_pure() - PURE == set()


def test_pure_modules_import_without_django() -> None:
    result = run_guarded(sorted(PURE | documented_pure()))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module", ["lokalsamfund.surveys.importing", "lokalsamfund.api.api"])
def test_the_guard_catches_a_module_that_needs_django(module: str) -> None:
    result = run_guarded([module])
    assert result.returncode == 1
    assert f"{module}: django" in result.stdout
