"""Uncertain inputs: a central value with a 95 % interval and a distribution shape.

Every draw is made through the quantile function (``ppf``) of uniform numbers, so the Monte
Carlo, the sensitivity analysis (inputs at their 5th and 95th percentiles) and the tests all
use one code path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtri

Distribution = Literal["point", "uniform", "triangular", "normal_ci"]
DISTRIBUTIONS: tuple[str, ...] = ("point", "uniform", "triangular", "normal_ci")
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Uncertain:
    """``value`` is the central value (mode or median), ``low``/``high`` the interval.

    - ``point``: no uncertainty (``low`` and ``high`` are ignored);
    - ``uniform``: every value in [low, high] equally likely;
    - ``triangular``: low, mode ``value``, high;
    - ``normal_ci``: a two-piece normal with median ``value`` whose 2.5th and 97.5th
      percentiles are ``low`` and ``high`` (fits asymmetric published 95 % CIs).
    ``clip`` bounds the draws (e.g. shares to [0, 1]).
    """

    value: float
    low: float
    high: float
    distribution: Distribution = "triangular"
    clip_low: float | None = None
    clip_high: float | None = None

    def __post_init__(self) -> None:
        if self.distribution not in DISTRIBUTIONS:
            raise ValueError(f"unknown distribution {self.distribution!r}")
        if self.distribution != "point" and not self.low <= self.value <= self.high:
            raise ValueError(f"interval [{self.low}, {self.high}] must contain {self.value}")

    @classmethod
    def point(cls, value: float) -> Uncertain:
        return cls(value, value, value, "point")

    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        """The quantile function at ``u`` (uniform numbers in (0, 1))."""
        u = np.asarray(u, dtype=np.float64)
        out: NDArray[np.float64]
        if self.distribution == "point" or self.low == self.high:
            out = np.full(u.shape, float(self.value))
        elif self.distribution == "uniform":
            out = self.low + u * (self.high - self.low)
        elif self.distribution == "triangular":
            out = _triangular_ppf(u, self.low, self.value, self.high)
        else:
            z = ndtri(np.clip(u, 1e-12, 1 - 1e-12))
            sd_low = (self.value - self.low) / Z95
            sd_high = (self.high - self.value) / Z95
            out = self.value + z * np.where(z < 0, sd_low, sd_high)
        if self.clip_low is not None or self.clip_high is not None:
            out = np.clip(out, self.clip_low, self.clip_high)
        return out

    def quantile(self, p: float) -> float:
        return float(self.ppf(np.array([p]))[0])


def _triangular_ppf(
    u: NDArray[np.float64], low: float, mode: float, high: float
) -> NDArray[np.float64]:
    span = high - low
    split = (mode - low) / span
    left = low + np.sqrt(u * span * (mode - low))
    right = high - np.sqrt((1 - u) * span * (high - mode))
    result: NDArray[np.float64] = np.where(u < split, left, right)
    return result


def share_from_ci(value: float, ci_low: float, ci_high: float) -> Uncertain:
    """A survey share with its (Wilson) 95 % interval, drawn as a two-piece normal in [0, 1]."""
    low, high = min(ci_low, value), max(ci_high, value)
    return Uncertain(value, low, high, "normal_ci", clip_low=0.0, clip_high=1.0)
