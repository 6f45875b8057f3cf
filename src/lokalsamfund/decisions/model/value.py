"""Value arithmetic with the SROI adjustments of Social Value International.

For people moved out of severe loneliness in the plan year:

    net people  = gross × (1 − deadweight) × (1 − attribution) × (1 − displacement)
    PV factor   = Σ_{t=1..T} (1 − drop_off)^(t−1) / (1 + r)^t
    value (DKK) = net people × value per person and year × PV factor

Year 1 is discounted once (values arrive over the year after the activity); drop-off applies
from the second year. Works on floats and on NumPy arrays alike.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

F = TypeVar("F", float, NDArray[np.float64])


def net_share(deadweight: F, attribution: F, displacement: F) -> F:
    """The share of the gross outcome that the activity may claim."""
    return (1 - deadweight) * (1 - attribution) * (1 - displacement)


def pv_factor(drop_off: F, discount_rate: float, years: int) -> F:
    """Present value of one unit of yearly value lasting ``years`` with drop-off."""
    if years < 1:
        raise ValueError("years must be at least 1")
    total: F = 0.0 * drop_off
    for t in range(1, years + 1):
        total = total + (1 - drop_off) ** (t - 1) / (1 + discount_rate) ** t
    return total


def present_value(
    gross_people: F,
    value_per_person: F,
    *,
    deadweight: F,
    attribution: F,
    displacement: F,
    drop_off: F,
    discount_rate: float,
    years: int,
) -> F:
    """The discounted value (DKK) of ``gross_people`` moved out of severe loneliness."""
    net = gross_people * net_share(deadweight, attribution, displacement)
    return net * value_per_person * pv_factor(drop_off, discount_rate, years)


def sroi(value: F, cost: float) -> F:
    """Social return on investment: value per DKK of input cost (0 when nothing is spent)."""
    if cost <= 0:
        return 0.0 * value
    return value / cost
