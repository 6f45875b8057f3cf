"""The pure participation figures (activities/reach.py): sums and disclosure control."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from lokalsamfund.activities import reach
from lokalsamfund.activities.reach import DEPARTMENT, ORGANISATION, HeadcountRow

K = 5


def _row(dept: int, t: str, month: str, total: int, new: int | None = None) -> HeadcountRow:
    return HeadcountRow(1, (dept,), t, month, total, new)


def test_sums_sessions_average_and_new_faces() -> None:
    table = reach.build_table(
        [
            _row(1, "meal", "2026-05", 20, 2),
            _row(1, "meal", "2026-05", 30, 6),
            _row(1, "walk", "2026-05", 12, 5),
            _row(2, "meal", "2026-05", 25, 5),
            _row(2, "walk", "2026-05", 9),
        ],
        k=K,
    )
    cell = table.get((DEPARTMENT, 1, "2026-05", "meal")).shown()
    assert cell == {
        "sessions": 2,
        "attendances": 50,
        "average": 25.0,
        "new_faces": 8,
        "suppressed": False,
    }
    assert table.get((ORGANISATION, "2026-05")).shown()["attendances"] == 96
    # New faces not counted at all: not shown as 0.
    assert table.get((DEPARTMENT, 2, "2026-05", "walk")).shown()["new_faces"] is None


def test_small_cell_is_hidden_with_a_complement() -> None:
    table = reach.build_table(
        [
            _row(1, "meal", "2026-05", 40),
            _row(1, "club", "2026-05", 3),
            _row(1, "walk", "2026-05", 12),
        ],
        k=K,
    )
    club = table.get((DEPARTMENT, 1, "2026-05", "club"))
    assert club.suppressed
    assert club.shown()["attendances"] is None
    assert club.shown()["average"] is None
    assert club.shown()["sessions"] == 1  # held: on the calendar anyway
    # The month's total is shown, so another cell (the smallest) is hidden too.
    assert table.get((DEPARTMENT, 1, "2026-05", "walk")).suppressed
    assert not table.get((DEPARTMENT, 1, "2026-05", "meal")).suppressed


def test_k_is_never_below_five() -> None:
    table = reach.build_table([_row(1, "club", "2026-05", 4), _row(1, "meal", "2026-05", 40)], k=2)
    assert table.k == 5
    assert table.get((DEPARTMENT, 1, "2026-05", "club")).suppressed


def test_raised_k() -> None:
    rows = [_row(1, "club", "2026-05", 7), _row(1, "meal", "2026-05", 40)]
    assert not reach.build_table(rows, k=5).get((DEPARTMENT, 1, "2026-05", "club")).suppressed
    assert reach.build_table(rows, k=10).get((DEPARTMENT, 1, "2026-05", "club")).suppressed


def test_small_new_faces_are_hidden_inside_a_shown_cell() -> None:
    table = reach.build_table(
        [
            _row(1, "meal", "2026-05", 40, 2),
            _row(1, "walk", "2026-05", 12, 9),
            _row(1, "cafe", "2026-05", 15, 8),
        ],
        k=K,
    )
    meal = table.get((DEPARTMENT, 1, "2026-05", "meal")).shown()
    assert meal["attendances"] == 40
    assert meal["new_faces"] is None


def _random_rows(rng: random.Random) -> list[HeadcountRow]:
    rows = []
    for _ in range(rng.randint(1, 30)):
        rows.append(
            _row(
                rng.randint(1, 3),
                rng.choice(["meal", "walk", "club", "cafe"]),
                rng.choice(["2026-04", "2026-05"]),
                rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 30]),
            )
        )
    return rows


def test_no_partition_lets_a_hidden_cell_be_worked_out() -> None:
    """For random tables: every figure below k is hidden, and in every shown total's partition
    the hidden non-empty cells are none, or at least two holding at least k together."""
    rng = random.Random(11)
    for _ in range(300):
        rows = _random_rows(rng)
        table = reach.build_table(rows, k=K)
        months = {r.month for r in rows}
        types = {r.activity_type for r in rows}
        departments = {d for r in rows for d in r.department_ids}
        for key, figure in table.figures.items():
            if 0 < figure.attendances < K:
                assert figure.suppressed, key
        for total, cells in reach._partitions(months, types, departments):
            if table.get(total).suppressed:
                continue
            hidden = [
                table.get(c).attendances
                for c in cells
                if table.get(c).suppressed and table.get(c).attendances > 0
            ]
            assert not hidden or (len(hidden) >= 2 and sum(hidden) >= K), (total, hidden)


def test_department_reach_sums_only_shown_months() -> None:
    table = reach.build_table(
        [
            _row(1, "meal", "2026-04", 30),
            _row(1, "meal", "2026-04", 20),
            _row(1, "meal", "2026-05", 3),
            _row(1, "walk", "2026-05", 40),
        ],
        k=K,
    )
    got = reach.department_reach(table, department_id=1, months=["2026-04", "2026-05"])
    assert got["meal"].attendances == 50
    assert got["meal"].sessions == 2
    assert got["meal"].months_suppressed == 1


def test_month_range() -> None:
    assert reach.month_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_imports_without_django() -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    guard = (
        "import sys\n"
        "class NoDjango:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'django' or name.startswith('django.'):\n"
        "            raise ImportError(name)\n"
        f"sys.path.insert(0, {str(src)!r})\n"
        "sys.meta_path.insert(0, NoDjango())\n"
        "import lokalsamfund.activities.reach\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", guard], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
