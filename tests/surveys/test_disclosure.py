"""Disclosure control (privacy.md): minimum cell size, complementary suppression, nesting;
unit cases and property-based tests of the rules on random tables."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lokalsamfund.surveys import analysis, disclosure, synthetic

K = 5


def test_k_can_be_raised_never_lowered() -> None:
    assert disclosure.effective_k(3) == 5
    assert disclosure.effective_k(None) == 5
    assert disclosure.effective_k(10) == 10


def test_small_cell_is_suppressed_with_the_smallest_other_cell() -> None:
    counts = {"16-24": 2, "25-34": 40, "35-44": 9, "unknown": 0}
    assert disclosure.complementary_suppression(counts, K) == {"16-24", "35-44"}


def test_small_cells_that_together_reach_k_need_no_complement() -> None:
    counts = {"a": 3, "b": 4, "c": 50}
    assert disclosure.complementary_suppression(counts, K) == {"a", "b"}


def test_nothing_suppressed_when_every_cell_is_large_or_empty() -> None:
    assert disclosure.complementary_suppression({"a": 0, "b": 5, "c": 9}, K) == set()


def test_forced_cells_count_towards_the_hidden_total() -> None:
    counts = {"a": 7, "b": 2, "c": 30}
    assert disclosure.complementary_suppression(counts, K, forced={"a"}) == {"a", "b"}


partitions = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "unknown"]),
    st.integers(min_value=0, max_value=40),
    min_size=1,
)


@given(partitions, st.integers(min_value=5, max_value=12))
def test_property_suppressed_cells_cannot_be_recovered_by_differencing(
    counts: dict[str, int], k: int
) -> None:
    suppressed = disclosure.complementary_suppression(counts, k)
    shown = {c: n for c, n in counts.items() if c not in suppressed}
    # Rule 1: every shown non-empty cell has at least k.
    assert all(n == 0 or n >= k for n in shown.values())
    # Rule 2: total minus the shown cells is 0 or at least k, so no single hidden cell
    # (or small group of them) can be worked out.
    hidden_total = sum(counts.values()) - sum(shown.values())
    assert hidden_total == 0 or hidden_total >= k or sum(counts.values()) < k
    # Minimal: at most one cell beyond the primary suppression.
    primary = {c for c, n in counts.items() if 0 < n < k}
    assert primary <= suppressed
    assert len(suppressed - primary) <= 1


@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=8),
        min_size=1,
        max_size=6,
    ),
    st.integers(min_value=5, max_value=9),
)
def test_property_bulk_form_equals_reference(rows: list[list[int]], k: int) -> None:
    width = max(len(r) for r in rows)
    counts = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        counts[i, : len(row)] = row
    bulk = disclosure.complement_dense(counts, np.zeros_like(counts, dtype=bool), k)
    for i in range(len(rows)):
        cells = {f"{j:02d}": int(counts[i, j]) for j in range(width)}
        reference = disclosure.complementary_suppression(cells, k)
        assert {f"{j:02d}" for j in range(width) if bulk[i, j]} == reference


def _check_table(results: pl.DataFrame, raw: pl.DataFrame, k: int) -> None:
    """The rules on a whole results table, against the raw counts behind it."""
    names = analysis.indicator_names()
    key = ["level", "department", "breakdown", "cell"]
    merged = results.join(raw, on=key, how="left", suffix="__raw", nulls_equal=True)
    # Rule 1 for groups and indicators.
    assert merged.filter(~pl.col("suppressed") & (pl.col("n") < k)).height == 0
    for name in names:
        shown = merged.filter(~pl.col(f"{name}__suppressed"))
        assert shown.filter((pl.col(f"{name}__den") > 0) & (pl.col(f"{name}__den") < k)).height == 0
        # Suppressed figures carry no numbers.
        hidden = merged.filter(pl.col(f"{name}__suppressed"))
        assert hidden.select(pl.col(name).is_not_null().sum()).item() == 0
    # Rule 3: a suppressed department lists no cells.
    departments = merged.filter(pl.col("level") == "department")
    hidden_departments = set(departments.filter(pl.col("suppressed"))["department"])
    cells = merged.filter(pl.col("level") == "cell")
    assert not set(cells["department"]) & hidden_departments

    # Rule 2 on group sizes: within each partition the hidden cells hold 0 or ≥ k.
    def hidden_ok(frame: pl.DataFrame, total: int, count: str) -> None:
        hidden = frame.filter(pl.col("suppressed__x"))[count].sum()
        assert hidden == 0 or hidden >= k or total < k

    organisation = merged.filter(pl.col("level") == "organisation")
    total = organisation["n__raw"].item()
    hidden_ok(departments.with_columns(suppressed__x=pl.col("suppressed")), total, "n__raw")
    for (department, _breakdown), part in cells.group_by("department", "breakdown"):
        parent = departments.filter(pl.col("department") == department)["n__raw"].item()
        hidden_ok(part.with_columns(suppressed__x=pl.col("suppressed")), parent, "n__raw")
        for name in names:
            den = f"{name}__den__raw"
            parent_den = departments.filter(pl.col("department") == department)[den].item()
            hidden_ok(
                part.with_columns(suppressed__x=pl.col(f"{name}__suppressed")), parent_den, den
            )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=5),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=5, max_value=8),
)
def test_property_whole_tables_follow_every_rule(sizes: list[int], seed: int, k: int) -> None:
    codes = [f"D{i}" for i in range(len(sizes))]
    frame = synthetic.responses(sum(sizes), departments=codes, sizes=sizes, seed=seed)
    results = analysis.compute_results(frame, min_cell_size=k)
    raw = (
        analysis.aggregate(frame)
        .drop("__rank")
        .rename(lambda c: c if c in {"level", "department", "breakdown", "cell"} else f"{c}__raw")
    )
    _check_table(results, raw, k)
