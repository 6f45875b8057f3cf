"""Participation figures through disclosure control: pure computation, no Django.

A headcount counts attendances (one person who comes every week counts every week), never
names. The figures are sums of headcounts per department, month and activity type, and the
organisation's sums of the same; before anyone but an activity's organisers sees them, they go
through the survey's disclosure rules (``surveys.disclosure``, k from the organisation's
settings, never below 5):

1. **Minimum cell size**: a figure with ``0 < attendances < k`` is suppressed.
2. **Complementary suppression** (as ``disclosure.complementary_suppression``): every shown
   total and the cells it is the sum of form a partition (a department's month against its
   types; an organisation's type in a month against its departments; the organisation's month
   against its types and against its departments). Where a partition hides a non-empty cell,
   further cells are hidden, smallest first, until the hidden cells hold at least k
   attendances together and are at least two (so that no hidden cell is a shown total minus
   the shown cells). A hidden total hides all its cells (nesting). The partitions are
   revisited until nothing changes, because a cell belongs to two of them.
3. **Fixed partitions only**: months that have ended, by department and activity type; no
   other filters. New faces go through the same rules on their own counts (inside a shown
   cell), and the occurrences held are shown always (they are on the calendar anyway).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from lokalsamfund.surveys.disclosure import complementary_suppression, effective_k

ORGANISATION = "organisation"
DEPARTMENT = "department"

Key = tuple[Hashable, ...]


@dataclass(frozen=True)
class HeadcountRow:
    """One recorded headcount: its activity, the activity's departments and type, the month
    the occurrence was held ("YYYY-MM"), attendances and new faces (None: not counted)."""

    activity_id: int
    department_ids: tuple[int, ...]
    activity_type: str
    month: str
    total: int
    new_faces: int | None = None


@dataclass
class Figure:
    """Sums of one cell. ``suppressed``: attendances, average and new faces hidden;
    ``new_faces_suppressed``: new faces hidden inside a shown cell."""

    attendances: int = 0
    sessions: int = 0
    new_faces: int = 0
    new_faces_counted: int = 0  # sessions whose headcount counted new faces
    suppressed: bool = False
    new_faces_suppressed: bool = False

    @property
    def average(self) -> float | None:
        if self.suppressed or not self.sessions:
            return None
        return self.attendances / self.sessions

    def shown(self) -> dict[str, int | float | bool | None]:
        """The figure as a viewer may see it (None where suppressed)."""
        hide_new = self.suppressed or self.new_faces_suppressed or not self.new_faces_counted
        return {
            "sessions": self.sessions,
            "attendances": None if self.suppressed else self.attendances,
            "average": None if self.average is None else round(self.average, 1),
            "new_faces": None if hide_new else self.new_faces,
            "suppressed": self.suppressed,
        }


@dataclass
class Table:
    """Figures by key: (ORGANISATION, month), (ORGANISATION, month, type),
    (DEPARTMENT, department id, month), (DEPARTMENT, department id, month, type)."""

    figures: dict[Key, Figure] = field(default_factory=dict)
    k: int = 5

    def get(self, key: Key) -> Figure:
        return self.figures.get(key) or Figure()


def protect(
    counts: Mapping[Key, int],
    partitions: Sequence[tuple[Key, Sequence[Key]]],
    k: int,
    forced: Iterable[Key] = (),
) -> set[Key]:
    """The keys to suppress: primary suppression below k, then complementary suppression in
    every partition ``(total, cells)`` until nothing changes (see the module doc)."""
    k = effective_k(k)
    suppressed = {key for key, n in counts.items() if 0 < n < k} | set(forced)
    changed = True
    while changed:
        changed = False
        for total, cells in partitions:
            before = len(suppressed)
            if total in suppressed:
                suppressed.update(cells)
            else:
                # complementary_suppression names cells by text: by position here.
                local = {c: counts.get(c, 0) for c in cells}
                named = {str(i): c for i, c in enumerate(cells)}
                hidden = [i for i, c in named.items() if c in suppressed]
                by_name = {i: local[c] for i, c in named.items()}
                chosen = complementary_suppression(by_name, k, forced=hidden)
                suppressed |= {named[i] for i in chosen}
                suppressed |= _at_least_two(local, suppressed, total)
            changed |= len(suppressed) != before
    return suppressed


def _at_least_two(counts: Mapping[Key, int], suppressed: set[Key], total: Key) -> set[Key]:
    """One hidden non-empty cell in a partition is its total minus the shown cells: hide the
    smallest other non-empty cell too, or (when there is none) the total."""
    hidden = [c for c in counts if c in suppressed and counts[c] > 0]
    if len(hidden) != 1:
        return set()
    others = sorted(
        (c for c in counts if c not in suppressed and counts[c] > 0),
        key=lambda c: (counts[c], str(c)),
    )
    return {others[0]} if others else {total}


def _partitions(
    months: set[str], types: set[str], departments: set[int]
) -> list[tuple[Key, Sequence[Key]]]:
    parts: list[tuple[Key, Sequence[Key]]] = []
    for m in sorted(months):
        parts.append(((ORGANISATION, m), [(ORGANISATION, m, t) for t in sorted(types)]))
        parts.append(((ORGANISATION, m), [(DEPARTMENT, d, m) for d in sorted(departments)]))
        for d in sorted(departments):
            parts.append(((DEPARTMENT, d, m), [(DEPARTMENT, d, m, t) for t in sorted(types)]))
        for t in sorted(types):
            cells = [(DEPARTMENT, d, m, t) for d in sorted(departments)]
            parts.append(((ORGANISATION, m, t), cells))
    return parts


def build_table(rows: Iterable[HeadcountRow], *, k: int) -> Table:
    """Sum the headcounts of one organisation and suppress what must not be shown. An
    activity of several departments counts in each of them, and once in the organisation."""
    k = effective_k(k)
    figures: dict[Key, Figure] = defaultdict(Figure)
    months: set[str] = set()
    types: set[str] = set()
    departments: set[int] = set()
    for row in rows:
        months.add(row.month)
        types.add(row.activity_type)
        keys: list[Key] = [(ORGANISATION, row.month), (ORGANISATION, row.month, row.activity_type)]
        for d in row.department_ids:
            departments.add(d)
            keys += [(DEPARTMENT, d, row.month), (DEPARTMENT, d, row.month, row.activity_type)]
        for key in keys:
            figure = figures[key]
            figure.attendances += row.total
            figure.sessions += 1
            if row.new_faces is not None:
                figure.new_faces += row.new_faces
                figure.new_faces_counted += 1
    parts = _partitions(months, types, departments)
    hidden = protect({key: f.attendances for key, f in figures.items()}, parts, k)
    hidden_new = protect({key: f.new_faces for key, f in figures.items()}, parts, k, hidden)
    for key, figure in figures.items():
        figure.suppressed = key in hidden
        figure.new_faces_suppressed = key in hidden_new
    return Table(figures=dict(figures), k=k)


def month_range(first: str, last: str) -> list[str]:
    """The months "YYYY-MM" from ``first`` to ``last`` inclusive."""
    year, month = (int(p) for p in first.split("-"))
    end = tuple(int(p) for p in last.split("-"))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass(frozen=True)
class TypeReach:
    """Realised reach of one activity type over a period, from shown figures only."""

    activity_type: str
    attendances: int
    sessions: int
    months_suppressed: int  # months whose figure was hidden: left out, so at least this many


def department_reach(
    table: Table, *, department_id: int, months: Sequence[str]
) -> dict[str, TypeReach]:
    """Attendances and occurrences held per activity type of a department over ``months``,
    summing only the figures a viewer may see (a hidden month is left out and counted in
    ``months_suppressed``), so that the sum discloses nothing the monthly figures do not."""
    out: dict[str, list[int]] = {}
    for (level, *rest), figure in table.figures.items():
        if level != DEPARTMENT or len(rest) != 3:
            continue
        d, m, t = rest
        if d != department_id or m not in months:
            continue
        acc = out.setdefault(str(t), [0, 0, 0])
        if figure.suppressed:
            acc[2] += 1
        else:
            acc[0] += figure.attendances
            acc[1] += figure.sessions
    return {t: TypeReach(t, a, s, h) for t, (a, s, h) in out.items()}
