"""The synthetic generator: seeded, shaped like real responses, near the national figures."""

from __future__ import annotations

import polars as pl

from lokalsamfund.surveys import analysis, instrument, synthetic


def test_same_seed_same_frame_with_every_canonical_column() -> None:
    a = synthetic.responses(500, department_count=4, seed=3)
    b = synthetic.responses(500, department_count=4, seed=3)
    assert a.equals(b)
    assert a.columns == ["department", *instrument.column_codes()]
    assert a["department"].n_unique() == 4
    for item in instrument.canonical().stored_items:
        codes = {o.code for o in item.options}
        assert set(a[item.code].drop_nulls().unique().to_list()) <= codes, item.code


def test_figures_near_the_national_ones_and_departments_differ() -> None:
    frame = synthetic.responses(40_000, department_count=40, seed=11)
    results = analysis.compute_results(frame, min_cell_size=5)
    org = results.filter(pl.col("level") == "organisation").to_dicts()[0]
    assert 0.10 <= org["severe_loneliness_share"] <= 0.17  # national 2021: 12.4 %
    assert 55 <= org["who5_mean"] <= 70
    departments = results.filter(pl.col("level") == "department")["severe_loneliness_share"]
    assert departments.max() - departments.min() > 0.08
