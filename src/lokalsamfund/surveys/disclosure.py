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

Group frame columns used here: ``level`` ("organisation", "department" or "cell"),
``department``, ``breakdown``, ``cell``, ``n``, and ``<indicator>__den`` per indicator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import polars as pl

MIN_CELL_SIZE = 5

ORGANISATION = "organisation"
DEPARTMENT = "department"
CELL = "cell"


def effective_k(requested: int | None) -> int:
    """k for a round: the organisation's choice, never below ``MIN_CELL_SIZE``."""
    return max(MIN_CELL_SIZE, requested or MIN_CELL_SIZE)


def complementary_suppression(
    counts: Mapping[str, int], k: int, forced: Iterable[str] = ()
) -> set[str]:
    """The cells of one partition to suppress, given their counts (reference implementation,
    for small callers such as aggregated counts; ``suppress_groups`` does the same in bulk).

    ``forced`` cells are suppressed whatever their count (e.g. because their parent is).
    """
    k = effective_k(k)
    suppressed = {c for c, n in counts.items() if 0 < n < k} | set(forced)
    hidden = sum(counts.get(c, 0) for c in suppressed)
    if hidden == 0:
        return suppressed
    for cell in sorted((c for c in counts if c not in suppressed), key=lambda c: (counts[c], c)):
        if hidden >= k:
            break
        if counts[cell] > 0:
            suppressed.add(cell)
            hidden += counts[cell]
    return suppressed


def complement_dense(counts: np.ndarray, forced: np.ndarray, k: int) -> np.ndarray:
    """Bulk form of ``complementary_suppression`` over arrays shaped (..., partition, slot):
    each row of the last axis is one partition's cells (0 where a slot is empty). Returns
    which cells are suppressed.

    A cell that is not primarily suppressed is empty or holds at least k, so one such cell
    (the smallest, ties to the lower slot) always lifts the suppressed total to k or more.
    """
    k = effective_k(k)
    primary = forced | ((counts > 0) & (counts < k))
    if counts.size == 0:
        return primary
    hidden = np.where(primary, counts, 0).sum(axis=-1)
    unavailable = primary | (counts == 0)
    masked = np.where(unavailable, np.iinfo(np.int64).max, counts)
    smallest = masked.argmin(axis=-1)
    available = ~np.take_along_axis(unavailable, smallest[..., None], axis=-1)[..., 0]
    needed = (hidden > 0) & (hidden < k) & available
    extra = np.zeros_like(primary)
    np.put_along_axis(extra, smallest[..., None], needed[..., None], axis=-1)
    return primary | extra


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
        out[i, partition, slot] = frame.get_column(column).fill_null(0).to_numpy()
    return out


def _suppress_partitions(
    frame: pl.DataFrame,
    names: list[str],
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
    forced = np.zeros_like(sizes, dtype=bool)
    forced[0, partition, slot] = forced_group
    group = complement_dense(sizes, forced, k)[0, partition, slot]
    dens = _dense(frame, [f"{i}__den" for i in names], partition, slot, shape)
    forced = np.zeros_like(dens, dtype=bool)
    forced[:, partition, slot] = forced_indicators | group
    indicator = complement_dense(dens, forced, k)[:, partition, slot]
    return frame.with_columns(
        pl.Series("suppressed", group),
        *[pl.Series(f"{name}__suppressed", indicator[i]) for i, name in enumerate(names)],
    )


def suppress_groups(groups: pl.DataFrame, *, indicators: Iterable[str], k: int) -> pl.DataFrame:
    """Add ``suppressed`` (the group) and ``<indicator>__suppressed`` columns, and drop the
    rows of suppressed departments' cells (they are not even listed).

    Rows with ``level`` "organisation", "department", "cell" as described in the module doc.
    """
    k = effective_k(k)
    names = list(indicators)
    org = groups.filter(pl.col("level") == ORGANISATION)
    depts = groups.filter(pl.col("level") == DEPARTMENT).sort("department")
    cells = groups.filter(pl.col("level") == CELL).sort("department", "breakdown", "cell")

    # The organisation's own group: no partition above it.
    org = org.with_columns(suppressed=(pl.col("n") > 0) & (pl.col("n") < k))
    org = org.with_columns(
        [
            (pl.col("suppressed") | ((pl.col(f"{i}__den") > 0) & (pl.col(f"{i}__den") < k))).alias(
                f"{i}__suppressed"
            )
            for i in names
        ]
    )

    # Departments: one partition, against the organisation total.
    count = depts.height
    depts = _suppress_partitions(
        depts,
        names,
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
