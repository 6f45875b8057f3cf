"""From an effect size (SMD) to people moved out of severe loneliness.

The domain rule (value-model.md): model participants' UCLA-3 scores as the department's
observed distribution, shift lonely participants by SMD × SD, and count those who cross below 7.

UCLA-3 scores are integers 3..9; severe loneliness is a score of 7 or more. To shift by a
fraction of a point we treat score ``s`` as spread evenly over [s - 0.5, s + 0.5) (the usual
continuity correction), so the threshold "≥ 7" is the point 6.5. A lonely participant with
score ``s`` moved down by ``d`` points crosses below 6.5 with probability
``clip(d - (s - 7), 0, 1)``: score 7 needs up to one point, 8 between one and two, 9 between
two and three. Effects that point the wrong way (SMD ≥ 0) move nobody: harm is not modelled
as negative help (docs/decisions-tool.md says so).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

SEVERE_THRESHOLD = 7
SCORES = tuple(range(3, 10))
LONELY_SCORES = (7, 8, 9)
# Used only when a department's distribution has no lonely respondents at all: an even spread
# over 7, 8 and 9 (stated in the plan's assumptions when used).
FALLBACK_LONELY_WEIGHTS = (1 / 3, 1 / 3, 1 / 3)
FALLBACK_SD = 1.5


def ucla_sd(counts: Mapping[int, int]) -> float:
    """Population standard deviation of the UCLA-3 scores (3..9) of a department."""
    total = sum(counts.get(s, 0) for s in SCORES)
    if total < 2:
        return FALLBACK_SD
    mean = sum(s * counts.get(s, 0) for s in SCORES) / total
    var = sum(counts.get(s, 0) * (s - mean) ** 2 for s in SCORES) / total
    return math.sqrt(var) if var > 0 else FALLBACK_SD


def lonely_weights(counts: Mapping[int, int]) -> tuple[float, float, float]:
    """Shares of scores 7, 8 and 9 among the department's severely lonely respondents."""
    lonely = [counts.get(s, 0) for s in LONELY_SCORES]
    total = sum(lonely)
    if total == 0:
        return FALLBACK_LONELY_WEIGHTS
    return (lonely[0] / total, lonely[1] / total, lonely[2] / total)


def crossing_share(
    shift_points: NDArray[np.float64], weights: tuple[float, float, float]
) -> NDArray[np.float64]:
    """Share of lonely participants moved below the threshold by a shift of ``shift_points``
    UCLA points (array), given the weights of scores 7, 8, 9."""
    d = np.maximum(np.asarray(shift_points, dtype=np.float64), 0.0)
    result = np.zeros_like(d)
    for weight, score in zip(weights, LONELY_SCORES, strict=True):
        result += weight * np.clip(d - (score - SEVERE_THRESHOLD), 0.0, 1.0)
    return result


def people_helped(
    lonely_participants: NDArray[np.float64],
    smd: NDArray[np.float64],
    counts: Mapping[int, int],
) -> NDArray[np.float64]:
    """People moved out of severe loneliness: lonely participants × crossing share, where the
    shift is −SMD × SD of the department's UCLA distribution (a negative SMD is a benefit)."""
    shift = -np.asarray(smd, dtype=np.float64) * ucla_sd(counts)
    return np.asarray(lonely_participants, dtype=np.float64) * crossing_share(
        shift, lonely_weights(counts)
    )
