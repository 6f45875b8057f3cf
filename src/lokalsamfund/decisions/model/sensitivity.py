"""Which inputs move the result most: a one-at-a-time tornado.

Every input at its median, then each input alone at its 5th and at its 95th percentile; the
result is the plan's total social value (DKK) with the chosen scales. One vectorised call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .montecarlo import Array, Model, evaluate

LOW_P, HIGH_P = 0.05, 0.95


@dataclass(frozen=True)
class Bar:
    name: str
    input_low: float
    input_high: float
    result_low: float
    result_high: float
    baseline: float

    @property
    def swing(self) -> float:
        return abs(self.result_high - self.result_low)


def tornado(model: Model, scales: Array, *, limit: int | None = None) -> list[Bar]:
    names = list(model.inputs)
    rows = 1 + 2 * len(names)
    columns = {name: np.full(rows, 0.5) for name in names}
    for j, name in enumerate(names):
        columns[name][1 + 2 * j] = LOW_P
        columns[name][2 + 2 * j] = HIGH_P
    total = evaluate(model, columns, scales).social_value.sum(axis=1)
    baseline = float(total[0])
    bars = []
    for j, name in enumerate(names):
        low, high = float(total[1 + 2 * j]), float(total[2 + 2 * j])
        if abs(high - low) <= 1e-9 * max(1.0, abs(baseline)):
            continue
        spec = model.inputs[name]
        bars.append(Bar(name, spec.quantile(LOW_P), spec.quantile(HIGH_P), low, high, baseline))
    bars.sort(key=lambda b: (-b.swing, b.name))
    return bars[:limit] if limit else bars
