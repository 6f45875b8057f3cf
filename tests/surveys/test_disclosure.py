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


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
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


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
    # Rule 1 for groups and indicators, counting residents' own answers only (rule 6).
    assert merged.filter(~pl.col("suppressed") & (pl.col("n") < k)).height == 0
    residents = pl.col("n__raw") - pl.col("n__staff__raw")
    assert merged.filter(~pl.col("suppressed") & (residents < k)).height == 0
    means = {i.name for i in analysis.indicators() if i.kind == analysis.MEAN}
    for name in names:
        shown = merged.filter(~pl.col(f"{name}__suppressed"))
        res_den = pl.col(f"{name}__den__raw") - pl.col(f"{name}__sden__raw")
        assert shown.filter((res_den > 0) & (res_den < k)).height == 0
        if name in means:
            continue
        # Rule 7: no shown 0 % or 100 % of residents in a group below 2k.
        res_num = pl.col(f"{name}__num__raw") - pl.col(f"{name}__snum__raw")
        unanimous = (res_den > 0) & (res_den < 2 * k) & ((res_num == 0) | (res_num == res_den))
        assert shown.filter(unanimous).height == 0, name
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
    # About a third typed in by staff (paper, import), who know those answers.
    staff = np.random.default_rng(seed).random(frame.height) < 0.3
    frame = frame.with_columns(pl.Series("staff", staff))
    results = analysis.compute_results(frame, min_cell_size=k)
    raw = (
        analysis.aggregate(frame)
        .drop("__rank")
        .rename(lambda c: c if c in {"level", "department", "breakdown", "cell"} else f"{c}__raw")
    )
    _check_table(results, raw, k)


# Rule 6 (padding) and rule 7 (dominance) -------------------------------------------------

cells_with_staff = st.lists(
    st.tuples(st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=30)),
    min_size=1,
    max_size=8,
)


def _arrays(cells: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """(counts, staff-entered) of one partition from (residents, staff) per cell."""
    counts = np.array([[r + s for r, s in cells]], dtype=np.int64)
    known = np.array([[s for _r, s in cells]], dtype=np.int64)
    return counts, known


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells_with_staff, st.integers(min_value=5, max_value=9))
def test_property_staff_answers_never_count_towards_k(cells: list[tuple[int, int]], k: int) -> None:
    """A coordinator knows the answers they typed in: every shown cell holds at least k
    answers of residents themselves, and so do the hidden cells together."""
    counts, known = _arrays(cells)
    suppressed = disclosure.complement_dense(counts, np.zeros_like(counts, dtype=bool), k, known)
    residents = counts - known
    shown = ~suppressed[0] & (counts[0] > 0)
    assert (residents[0][shown] >= k).all()
    hidden = suppressed[0] & (counts[0] > 0)
    hidden_residents = residents[0][hidden].sum()
    everything = residents[0].sum()
    assert not hidden.any() or hidden_residents >= k or hidden_residents == everything


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells_with_staff, st.integers(min_value=5, max_value=9))
def test_property_reference_and_bulk_agree_with_staff_answers(
    cells: list[tuple[int, int]], k: int
) -> None:
    counts, known = _arrays(cells)
    bulk = disclosure.complement_dense(counts, np.zeros_like(counts, dtype=bool), k, known)
    names = {f"{j:02d}": int(counts[0, j]) for j in range(counts.shape[1])}
    staff = {f"{j:02d}": int(known[0, j]) for j in range(counts.shape[1])}
    reference = disclosure.complementary_suppression(names, k, known=staff)
    assert {f"{j:02d}" for j in range(counts.shape[1]) if bulk[0, j]} == reference


shares = st.lists(
    st.tuples(st.integers(min_value=0, max_value=25), st.floats(min_value=0, max_value=1)),
    min_size=1,
    max_size=8,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shares, st.integers(min_value=5, max_value=8))
def test_property_no_shown_or_hidden_unanimity_in_small_groups(
    cells: list[tuple[int, float]], k: int
) -> None:
    """Rule 7: no shown cell below 2k is 0 % or 100 %, and the hidden cells together are
    not either (else 'everyone in the hidden cells' could be read off the totals)."""
    den = np.array([[n for n, _ in cells]], dtype=np.int64)
    num = np.array([[round(n * p) for n, p in cells]], dtype=np.int64)
    forced = disclosure.dominated(num, den, k)
    suppressed = disclosure.complement_dense(den, forced, k, numerators=num)[0]
    small = (den[0] > 0) & (den[0] < 2 * k)
    unanimous = (num[0] == 0) | (num[0] == den[0])
    assert not (~suppressed & small & unanimous).any()
    hidden = suppressed & (den[0] > 0)
    if hidden.any() and (~suppressed & (den[0] > 0)).any():
        hidden_den, hidden_num = den[0][hidden].sum(), num[0][hidden].sum()
        assert hidden_den >= k
        assert hidden_den >= 2 * k or 0 < hidden_num < hidden_den


def test_a_group_padded_with_staff_answers_shows_nothing() -> None:
    """The coordinator's k-1 paper answers plus one resident's: n = k, but one resident."""
    groups = pl.DataFrame(
        {
            "level": ["organisation", "department", "department"],
            "department": [None, "A1", "B1"],
            "breakdown": [None, None, None],
            "cell": [None, None, None],
            "n": [5 + 40, 5, 40],
            "n__staff": [4, 4, 0],
            "x__den": [45, 5, 40],
            "x__sden": [4, 4, 0],
        }
    )
    out = disclosure.suppress_groups(groups, indicators=["x"], k=5)
    by_department = dict(zip(out["department"], out["suppressed"], strict=True))
    assert by_department["A1"] is True
    # B1 alone would be the organisation minus it: it is hidden with A1.
    assert by_department["B1"] is True
