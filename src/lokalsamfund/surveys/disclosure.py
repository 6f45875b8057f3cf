"""Statistical disclosure control: the one place of privacy.md's rules (no Django).

Every figure any surface shows (pages, charts, the API, the CLI, exports, the decision tool's
evidence) comes from results that went through ``suppress_groups`` when a round closed; there
is no other way to results (``analysis.compute_results`` calls it, and nothing reads responses
for display). The rules:

1. **Minimum cell size k** (``MIN_CELL_SIZE`` = 5; may be raised, never lowered): a group with
   ``0 < n < k`` shows no figures; an indicator whose ``0 < denominator < k`` is suppressed
   inside an otherwise shown group.
2. **Complementary suppression**: within one partition (the cells, ``unknown`` included, of one
   breakdown of one department; and the departments of the organisation), if any non-empty
   cell is suppressed, further cells are suppressed, smallest first, until the suppressed
   cells hold at least k together; so no suppressed cell is the difference of a shown total
   and the shown cells. Applied to group sizes and, separately, to every indicator's
   denominators (otherwise a suppressed cell's numerator is a difference of shown numerators).
3. **Nesting**: a suppressed department shows nothing of itself, not even its breakdown cells
   (they would add up to it); a department's suppressed indicator is suppressed in all its
   cells.
4. **Fixed partitions**: only department by one breakdown and the organisation's departments.
   No organisation-wide breakdowns: with department cells below them they would make a
   two-way table whose margins single-line suppression does not protect.
5. **Closed rounds only**: enforced by the services, which compute results only on close.
6. **Answers staff typed in do not count towards k** (padding): a coordinator who typed in
   k-1 paper answers of their own knows them, and could read one resident's answers from a
   group of k. So every rule above counts the answers *not entered by staff* (channels code
   and link; paper and import are staff-entered): a group (or an indicator) is shown only
   with at least k of them, and the hidden cells of a partition hold at least k of them.
7. **Dominance**: in a group of fewer than ``DOMINANCE_FACTOR`` x k residents' answers, a
   share of 0 % or 100 % (everyone or no one has the trait) is suppressed, and so is a mean
   with no spread (everyone has the same score); the hidden cells of a partition must not
   together be such a share either. Complementary suppression then protects them as above.

Optional columns (absent = 0): ``n__staff`` and ``<indicator>__sden`` (how many of ``n`` and of
the denominator staff entered), ``<indicator>__num`` and ``__snum`` (numerators, all and
staff-entered), for means ``__ss`` and ``__sss`` (sums of squares).

Group frame columns used here: ``level`` ("organisation", "department" or "cell"),
``department``, ``breakdown``, ``cell``, ``n``, and ``<indicator>__den`` per indicator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import polars as pl

MIN_CELL_SIZE = 5
DOMINANCE_FACTOR = 2  # rule 7 applies to groups of fewer than 2k residents' answers

ORGANISATION = "organisation"
DEPARTMENT = "department"
CELL = "cell"


def effective_k(requested: int | None) -> int:
    """k for a round: the organisation's choice, never below ``MIN_CELL_SIZE``."""
    return max(MIN_CELL_SIZE, requested or MIN_CELL_SIZE)


def complementary_suppression(
    counts: Mapping[str, int],
    k: int,
    forced: Iterable[str] = (),
    known: Mapping[str, int] | None = None,
) -> set[str]:
    """The cells of one partition to suppress, given their counts (reference implementation,
    for small callers such as aggregated counts; ``suppress_groups`` does the same in bulk).

    ``forced`` cells are suppressed whatever their count (e.g. because their parent is);
    ``known`` gives how many of each cell's answers staff entered (rule 6).
    """
    k = effective_k(k)
    known = known or {}

    def residents(cell: str) -> int:
        return counts[cell] - known.get(cell, 0)

    suppressed = {c for c, n in counts.items() if n > 0 and residents(c) < k} | set(forced)
    hidden = [c for c in suppressed if counts.get(c, 0) > 0]
    if not hidden or sum(residents(c) for c in hidden) >= k:
        return suppressed
    for cell in sorted((c for c in counts if c not in suppressed), key=lambda c: (counts[c], c)):
        if counts[cell] > 0:
            suppressed.add(cell)
            break
    return suppressed


def dominated(num: np.ndarray, den: np.ndarray, k: int) -> np.ndarray:
    """Rule 7 for shares: everyone (or no one) of a group of fewer than 2k has the trait."""
    small = (den > 0) & (den < DOMINANCE_FACTOR * effective_k(k))
    return small & ((num == 0) | (num == den))


def without_spread(num: np.ndarray, squares: np.ndarray, den: np.ndarray, k: int) -> np.ndarray:
    """Rule 7 for means: every one of a group of fewer than 2k has the same score."""
    small = (den > 0) & (den < DOMINANCE_FACTOR * effective_k(k))
    return small & (squares * den == num * num)


def complement_dense(
    counts: np.ndarray,
    forced: np.ndarray,
    k: int,
    known: np.ndarray | None = None,
    numerators: np.ndarray | None = None,
) -> np.ndarray:
    """Bulk form of ``complementary_suppression`` over arrays shaped (..., partition, slot):
    each row of the last axis is one partition's cells (0 where a slot is empty). Returns
    which cells are suppressed.

    ``known``: staff-entered answers per cell (rule 6). ``numerators``: the residents'
    numerators of a share, so that the hidden cells together are not dominated (rule 7).
    A cell that is not primarily suppressed holds at least k residents' answers, so one
    extra cell (the smallest, ties to the lower slot) lifts the hidden cells to k; only
    dominance can need more, hence the loop (at most one round per slot).
    """
    k = effective_k(k)
    residents = counts - known if known is not None else counts
    nonempty = counts > 0
    suppressed = forced | (nonempty & (residents < k))
    if counts.size == 0:
        return suppressed
    for _ in range(counts.shape[-1]):
        hidden = suppressed & nonempty
        hidden_residents = np.where(hidden, residents, 0).sum(axis=-1)
        need = hidden.any(axis=-1) & (hidden_residents < k)
        if numerators is not None:
            hidden_numerator = np.where(hidden, numerators, 0).sum(axis=-1)
            need |= dominated(hidden_numerator, hidden_residents, k)
        available = ~suppressed & nonempty
        need &= available.any(axis=-1)
        if not need.any():
            break
        masked = np.where(available, counts, np.iinfo(np.int64).max)
        smallest = masked.argmin(axis=-1)
        extra = np.zeros_like(suppressed)
        np.put_along_axis(extra, smallest[..., None], need[..., None], axis=-1)
        suppressed = suppressed | extra
    return suppressed


def _dense(
    frame: pl.DataFrame,
    columns: list[str],
    partition: np.ndarray,
    slot: np.ndarray,
    shape: tuple[int, int],
) -> np.ndarray:
    """Columns of a long frame as an array (column, partition, slot), 0 where empty."""
    out = np.zeros((len(columns), *shape), dtype=np.int64)
    for i, column in enumerate(columns):
        if column in frame.columns:
            out[i, partition, slot] = frame.get_column(column).fill_null(0).to_numpy()
    return out


def _suppress_partitions(
    frame: pl.DataFrame,
    names: list[str],
    means: set[str],
    partition: np.ndarray,
    slot: np.ndarray,
    forced_group: np.ndarray,
    forced_indicators: np.ndarray,
    k: int,
) -> pl.DataFrame:
    """Group sizes first, then every indicator's denominators, within each partition.

    ``forced_group`` (rows) and ``forced_indicators`` (indicator, row) come from the parent.
    """
    shape = (
        int(partition.max()) + 1 if len(partition) else 0,
        int(slot.max()) + 1 if len(slot) else 0,
    )
    sizes = _dense(frame, ["n"], partition, slot, shape)
    staff = _dense(frame, ["n__staff"], partition, slot, shape)
    forced = np.zeros_like(sizes, dtype=bool)
    forced[0, partition, slot] = forced_group
    group = complement_dense(sizes, forced, k, known=staff)[0, partition, slot]
    suppressed = []
    for i, name in enumerate(names):
        den, sden, num, snum, ss, sss = _dense(
            frame,
            [f"{name}__{part}" for part in ("den", "sden", "num", "snum", "ss", "sss")],
            partition,
            slot,
            shape,
        )
        forced = np.zeros_like(den, dtype=bool)
        forced[partition, slot] = forced_indicators[i] | group
        has_numerators = f"{name}__num" in frame.columns
        if has_numerators and name in means:
            forced |= without_spread(num - snum, ss - sss, den - sden, k)
        elif has_numerators:
            forced |= dominated(num - snum, den - sden, k)
        numerators = num - snum if has_numerators and name not in means else None
        suppressed.append(complement_dense(den, forced, k, known=sden, numerators=numerators))
    return frame.with_columns(
        pl.Series("suppressed", group),
        *[
            pl.Series(f"{name}__suppressed", suppressed[i][partition, slot])
            for i, name in enumerate(names)
        ],
    )


def suppress_groups(
    groups: pl.DataFrame, *, indicators: Iterable[str], k: int, means: Iterable[str] = ()
) -> pl.DataFrame:
    """Add ``suppressed`` (the group) and ``<indicator>__suppressed`` columns, and drop the
    rows of suppressed departments' cells (they are not even listed).

    Rows with ``level`` "organisation", "department", "cell" as described in the module doc.
    """
    k = effective_k(k)
    names = list(indicators)
    mean_names = set(means)
    org = groups.filter(pl.col("level") == ORGANISATION)
    depts = groups.filter(pl.col("level") == DEPARTMENT).sort("department")
    cells = groups.filter(pl.col("level") == CELL).sort("department", "breakdown", "cell")

    # The organisation's own group: a partition of one, nothing above it.
    org = _suppress_partitions(
        org,
        names,
        mean_names,
        np.zeros(org.height, dtype=np.int64),
        np.arange(org.height),
        np.zeros(org.height, dtype=bool),
        np.zeros((len(names), org.height), dtype=bool),
        k,
    )

    # Departments: one partition, against the organisation total.
    count = depts.height
    depts = _suppress_partitions(
        depts,
        names,
        mean_names,
        np.zeros(count, dtype=np.int64),
        np.arange(count),
        np.zeros(count, dtype=bool),
        np.zeros((len(names), count), dtype=bool),
        k,
    )

    # Cells: one partition per department and breakdown, against the department; a
    # department's suppression (group or indicator) is forced onto all its cells.
    parent = depts.select(
        "department",
        pl.col("suppressed").alias("parent__suppressed"),
        *[pl.col(f"{i}__suppressed").alias(f"parent__{i}") for i in names],
    )
    cells = cells.join(parent, on="department", how="left", maintain_order="left")
    new_partition = (
        (pl.col("department") != pl.col("department").shift())
        | (pl.col("breakdown") != pl.col("breakdown").shift())
    ).fill_null(True)
    partition = cells.select(new_partition.cum_sum() - 1).to_series().to_numpy().astype(np.int64)
    starts = np.searchsorted(partition, partition, side="left")
    slot = np.arange(cells.height) - starts
    forced_indicators = (
        cells.select([f"parent__{i}" for i in names]).to_numpy().T.astype(bool)
        if cells.height
        else np.zeros((len(names), 0), dtype=bool)
    )
    cells = _suppress_partitions(
        cells,
        names,
        mean_names,
        partition,
        slot,
        cells.get_column("parent__suppressed").to_numpy().astype(bool),
        forced_indicators,
        k,
    )
    cells = cells.filter(~pl.col("parent__suppressed")).drop(
        "parent__suppressed", *[f"parent__{i}" for i in names]
    )
    return pl.concat([org, depts, cells], how="vertical")
