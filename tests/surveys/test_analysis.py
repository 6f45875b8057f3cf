"""Scoring and every indicator against small hand-computed cases; the intervals against
published values."""

from __future__ import annotations

import math

import polars as pl
import pytest

from lokalsamfund.surveys import analysis, stats
from lokalsamfund.surveys.instrument import BREAKDOWNS, canonical

from .conftest import frame_of

UCLA = ("ucla_companionship", "ucla_left_out", "ucla_isolated")
WHO5 = ("who5_1", "who5_2", "who5_3", "who5_4", "who5_5")


def _ucla(a: int, b: int, c: int) -> dict[str, int]:
    return dict(zip(UCLA, (a, b, c), strict=True))


def _who5(*values: int) -> dict[str, int]:
    return dict(zip(WHO5, values, strict=True))


def _org(frame: pl.DataFrame) -> dict[str, object]:
    results = analysis.compute_results(frame, min_cell_size=5)
    return results.filter(pl.col("level") == "organisation").to_dicts()[0]


def test_ucla_score_needs_all_three_items_and_severe_means_seven_or_more() -> None:
    rows = [
        _ucla(3, 3, 3),  # 9: severe
        _ucla(3, 2, 2),  # 7: severe
        _ucla(2, 2, 2),  # 6
        _ucla(1, 1, 1),  # 3
        _ucla(1, 2, 1),  # 4
        {"ucla_companionship": 3, "ucla_left_out": 3},  # incomplete: not counted
    ]
    org = _org(frame_of(rows))
    assert org["n"] == 6
    assert org["severe_loneliness_share__den"] == 5
    assert org["severe_loneliness_share"] == pytest.approx(2 / 5)
    assert org["ucla_mean"] == pytest.approx((9 + 7 + 6 + 3 + 4) / 5)


def test_who5_score_is_sum_times_four_with_low_and_very_low_thresholds() -> None:
    rows = [
        _who5(5, 5, 5, 5, 5),  # 100
        _who5(3, 3, 3, 2, 2),  # 13 * 4 = 52: not low
        _who5(3, 3, 2, 2, 2),  # 12 * 4 = 48: low
        _who5(2, 2, 1, 1, 1),  # 7 * 4 = 28: very low (≤ 28)
        _who5(2, 2, 2, 1, 1),  # 8 * 4 = 32: low, not very low
        {"who5_1": 5},  # incomplete
    ]
    org = _org(frame_of(rows))
    assert org["who5_mean__den"] == 5
    assert org["who5_mean"] == pytest.approx((100 + 52 + 48 + 28 + 32) / 5)
    assert org["who5_low_share"] == pytest.approx(3 / 5)
    assert org["who5_very_low_share"] == pytest.approx(1 / 5)


def test_single_item_shares_use_only_those_who_answered() -> None:
    rows = [
        {"lonely_direct": 5, "unwanted_alone": 4, "participates": 4, "belonging": 5},
        {"lonely_direct": 4, "unwanted_alone": 3, "participates": 2, "belonging": 4},
        {"lonely_direct": 1, "unwanted_alone": 1, "participates": 1, "belonging": 3},
        {"lonely_direct": 5, "unwanted_alone": 4, "participates": 3, "belonging": 1},
        {"lonely_direct": 2, "unwanted_alone": 2, "participates": 1, "belonging": 2},
        {},  # answered nothing of these
    ]
    org = _org(frame_of(rows))
    assert org["lonely_often_share"] == pytest.approx(2 / 5)
    assert org["unwanted_alone_often_share"] == pytest.approx(2 / 5)
    assert org["participation_share"] == pytest.approx(3 / 5)
    assert org["regular_participation_share"] == pytest.approx(1 / 5)
    assert org["belonging_share"] == pytest.approx(2 / 5)
    assert org["belonging_share__den"] == 5


def test_flags_use_respondents_who_answered_the_block() -> None:
    rows = [
        {"barrier_time": 1},  # block answered: other flags count as 0
        {"barrier_time": 1, "barrier_cost": 1},
        {"barrier_cost": 0},  # answered, nothing ticked
        {"barrier_no_need": 1},
        {"barrier_time": 0, "barrier_no_need": 1},
        {"wish_meals": 1},  # did not answer the barriers block
    ]
    org = _org(frame_of(rows))
    assert org["barrier_time_share__den"] == 5
    assert org["barrier_time_share"] == pytest.approx(2 / 5)
    assert org["barrier_cost_share"] == pytest.approx(1 / 5)
    assert org["barrier_no_need_share"] == pytest.approx(2 / 5)
    assert org["wish_meals_share__den"] is None  # 1 < k: suppressed inside a shown group
    assert org["wish_meals_share"] is None
    assert org["wish_meals_share__suppressed"] is True


def test_wilson_interval_matches_published_values() -> None:
    # Newcombe (1998), Table I: 81/263 -> 0.2553 to 0.3662; 15/148 -> 0.0624 to 0.1605.
    low, high = stats.wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    low, high = stats.wilson(15, 148)
    assert (round(low, 4), round(high, 4)) == (0.0624, 0.1605)
    assert stats.wilson(0, 10)[0] == 0.0


def test_vectorised_wilson_equals_scalar() -> None:
    frame = pl.DataFrame({"num": [0, 3, 81, 15], "den": [10, 7, 263, 148]})
    low, high = stats.wilson_exprs(pl.col("num"), pl.col("den"))
    out = frame.select(low=low, high=high)
    for (num, den), (lo, hi) in zip(frame.iter_rows(), out.iter_rows(), strict=True):
        assert (lo, hi) == pytest.approx(stats.wilson(num, den))


def test_mean_interval_is_a_t_interval() -> None:
    mean, low, high = stats.mean_interval([1, 2, 3, 4, 5])
    half = 2.7764451051977987 * math.sqrt(2.5) / math.sqrt(5)  # t(0.975, 4) * s / sqrt(n)
    assert (mean, low, high) == pytest.approx((3, 3 - half, 3 + half))
    rows = [_ucla(1, 1, 1), _ucla(1, 1, 2), _ucla(2, 2, 1), _ucla(2, 2, 2), _ucla(3, 3, 3)]
    org = _org(frame_of(rows))
    expected = stats.mean_interval([3, 4, 5, 6, 9])
    assert (org["ucla_mean"], org["ucla_mean__low"], org["ucla_mean__high"]) == pytest.approx(
        expected, abs=1e-3
    )


def test_share_difference_is_newcombes_hybrid_interval() -> None:
    # Newcombe (1998) example: 56/70 vs 48/80 -> difference 0.2, 95 % CI 0.0524 to 0.3339.
    p1, p2 = 56 / 70, 48 / 80
    d, low, high = stats.share_difference(p1, *stats.wilson(56, 70), p2, *stats.wilson(48, 80))
    assert (round(d, 4), round(low, 4), round(high, 4)) == (0.2, 0.0524, 0.3339)


def test_breakdown_cells_include_unknown_and_add_up_to_the_department() -> None:
    rows = [{"age_group": 1}] * 6 + [{"age_group": 7}] * 5 + [{}] * 5
    results = analysis.compute_results(frame_of(rows), min_cell_size=5)
    cells = results.filter(pl.col("breakdown") == "age_group")
    assert dict(zip(cells["cell"], cells["n"], strict=True)) == {"16-24": 6, "75+": 5, "unknown": 5}
    departments = results.filter(pl.col("level") == "department")
    assert departments["n"].to_list() == [16]


def test_every_documented_indicator_exists() -> None:
    names = set(analysis.indicator_names())
    documented = {
        "severe_loneliness_share",
        "ucla_mean",
        "lonely_often_share",
        "unwanted_alone_often_share",
        "who5_mean",
        "who5_low_share",
        "who5_very_low_share",
        "participation_share",
        "regular_participation_share",
        "belonging_share",
    }
    flags = {f"{c}_share" for b in ("barriers", "wishes") for c in canonical().flag_codes(b)}
    assert names == documented | flags
    assert len(flags) == 21
    assert set(BREAKDOWNS) == {"age_group", "household", "years_here", "gender"}


def test_payload_is_the_json_contract() -> None:
    import json

    rows = [_ucla(3, 3, 3)] * 3 + [_ucla(1, 1, 1)] * 4 + [{"age_group": 2}] * 2
    results = analysis.compute_results(frame_of(rows), min_cell_size=5)
    payloads = analysis.to_payloads(results)
    overview = json.loads(payloads.overview)
    department = next(g for g in overview if g["department"] == "A1")
    assert set(department) == {"department", "breakdown", "cell", "n", "suppressed", "indicators"}
    severe = department["indicators"]["severe_loneliness_share"]
    assert severe["value"] == pytest.approx(3 / 7, abs=1e-4)
    assert severe["denominator"] == 7
    assert set(severe) == {"value", "ci_low", "ci_high", "denominator"}
    cells = json.loads(payloads.departments["A1"])
    small = next(g for g in cells if g["breakdown"] == "age_group" and g["cell"] == "25-34")
    assert small == {
        "department": "A1",
        "breakdown": "age_group",
        "cell": "25-34",
        "n": None,
        "suppressed": True,
        "indicators": {},
    }
