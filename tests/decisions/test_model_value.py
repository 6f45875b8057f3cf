"""Value arithmetic and the SMD-to-people conversion against hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lokalsamfund.decisions.model.distributions import Uncertain
from lokalsamfund.decisions.model.people import (
    crossing_share,
    lonely_weights,
    people_helped,
    ucla_sd,
)
from lokalsamfund.decisions.model.value import net_share, present_value, pv_factor, sroi


def test_net_share_multiplies_the_three_adjustments() -> None:
    assert net_share(0.2, 0.25, 0.1) == pytest.approx(0.8 * 0.75 * 0.9)


def test_pv_factor_by_hand() -> None:
    # year 1: 1/1.035; year 2: 0.5/1.035^2
    assert pv_factor(0.5, 0.035, 2) == pytest.approx(1 / 1.035 + 0.5 / 1.035**2)
    assert pv_factor(0.0, 0.0, 3) == pytest.approx(3.0)
    with pytest.raises(ValueError, match="years"):
        pv_factor(0.5, 0.035, 0)


def test_present_value_by_hand() -> None:
    # 1 person, 1,000 DKK/year, deadweight 20 %, attribution 25 %, displacement 10 %,
    # drop-off 50 %, 3.5 %, 2 years: 1000 × 0.54 × (0.966184 + 0.466755) = 773.79
    value = present_value(
        1.0,
        1000.0,
        deadweight=0.2,
        attribution=0.25,
        displacement=0.1,
        drop_off=0.5,
        discount_rate=0.035,
        years=2,
    )
    assert value == pytest.approx(773.787, abs=0.01)


def test_value_works_on_arrays_and_sroi() -> None:
    values = present_value(
        np.array([1.0, 2.0]),
        np.array([1000.0, 1000.0]),
        deadweight=np.array([0.0, 0.5]),
        attribution=np.zeros(2),
        displacement=np.zeros(2),
        drop_off=np.zeros(2),
        discount_rate=0.0,
        years=1,
    )
    assert values.tolist() == pytest.approx([1000.0, 1000.0])
    assert sroi(500.0, 250.0) == 2.0
    assert sroi(500.0, 0.0) == 0.0


def test_ucla_sd_and_lonely_weights_by_hand() -> None:
    counts = {5: 2, 7: 1, 9: 1}  # mean 6.5, variance (2·2.25 + 0.25 + 6.25)/4 = 2.75
    assert ucla_sd(counts) == pytest.approx(math.sqrt(2.75))
    assert lonely_weights(counts) == (0.5, 0.0, 0.5)


def test_crossing_share_by_score() -> None:
    # a shift of 1.5 points moves every 7 (needs ≤ 1), half of the 8s (1..2), no 9 (2..3)
    assert crossing_share(np.array([1.5]), (1 / 3, 1 / 3, 1 / 3))[0] == pytest.approx(0.5)
    assert crossing_share(np.array([3.5]), (0.2, 0.3, 0.5))[0] == pytest.approx(1.0)
    assert crossing_share(np.array([-1.0]), (1.0, 0.0, 0.0))[0] == 0.0


def test_smd_to_people_on_a_known_distribution() -> None:
    counts = {5: 2, 7: 1, 9: 1}
    # SMD −0.6 × SD 1.6583 = 0.995 points: half the lonely are 7s and cross with p 0.995,
    # the 9s would need 2..3 points: 10 lonely participants → 10 × 0.5 × 0.995 = 4.975
    helped = people_helped(np.array([10.0]), np.array([-0.6]), counts)
    assert helped[0] == pytest.approx(10 * 0.5 * 0.6 * math.sqrt(2.75), rel=1e-9)
    assert people_helped(np.array([10.0]), np.array([0.3]), counts)[0] == 0.0


def test_uncertain_quantiles_match_the_interval() -> None:
    smd = Uncertain(-0.50, -0.78, -0.17, "normal_ci")
    assert smd.quantile(0.025) == pytest.approx(-0.78, abs=1e-6)
    assert smd.quantile(0.5) == pytest.approx(-0.50)
    assert smd.quantile(0.975) == pytest.approx(-0.17, abs=1e-6)
    tri = Uncertain(0.25, 0.1, 0.4, "triangular")
    assert tri.quantile(0.0) == pytest.approx(0.1)
    assert tri.quantile(0.5) == pytest.approx(0.25)
    assert tri.quantile(1.0) == pytest.approx(0.4)
    with pytest.raises(ValueError, match="contain"):
        Uncertain(1.0, 2.0, 3.0)
