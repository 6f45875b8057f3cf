"""Follow-up: planned versus realised.

*Loneliness change* compares the plan's survey round with a later closed round of the same
department (difference of two shares with Newcombe's hybrid score interval) against the change
the plan expected (people helped ÷ adult residents). It is a before/after comparison, not proof
of cause.

*Realised reach* is to be supplied by the activities domain (participation it records per
activity) through a plain import in ``realised_reach_for``. Until then no realised reach is
recorded: the plan page shows none and plans use the catalogue's estimates (nothing is
invented). When supplied, the next plan uses the realised participants (±20 %) instead of the
catalogue's estimate for that activity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from lokalsamfund.core.models import Department
from lokalsamfund.surveys.evidence import DepartmentEvidence, Share


@dataclass(frozen=True)
class RealisedReach:
    activity_slug: str
    participants: int
    sessions: int
    period_start: date
    period_end: date
    source: str


def realised_reach_for(*, department: Department, days: int = 365) -> dict[str, RealisedReach]:
    """Realised reach per activity slug over the last ``days``: none is recorded yet (the
    activities domain will supply it here)."""
    return {}


def share_difference(before: Share, after: Share) -> tuple[float, float, float]:
    """after − before with Newcombe's (1998) hybrid score 95 % interval from the two Wilson
    intervals."""
    d = after.value - before.value
    low = d - math.sqrt((after.value - after.ci_low) ** 2 + (before.ci_high - before.value) ** 2)
    high = d + math.sqrt((after.ci_high - after.value) ** 2 + (before.value - before.ci_low) ** 2)
    return d, low, high


@dataclass(frozen=True)
class LonelinessFollowUp:
    before_round: str
    after_round: str
    before: Share
    after: Share
    observed_change: tuple[float, float, float]  # value, low, high (share points)
    planned_change: tuple[float, float, float]  # P5, P50, P95 of −people helped ÷ adults


def loneliness_followup(
    *, plan_data: Mapping[str, Any], later: DepartmentEvidence
) -> LonelinessFollowUp | None:
    """Compare a saved plan (its JSON) with a later round; None when it is the same round."""
    why = plan_data["why"]
    if later.round_slug == plan_data.get("round"):
        return None
    b = why["severe_loneliness_share"]
    before = Share(b["value"], b["ci_low"], b["ci_high"], int(b.get("denominator", 0)))
    adults = max(1, int(why["adult_residents"]))
    helped = plan_data["totals"]["people_helped"]
    planned = (-helped["p95"] / adults, -helped["p50"] / adults, -helped["p5"] / adults)
    return LonelinessFollowUp(
        before_round=str(plan_data.get("round")),
        after_round=later.round_slug,
        before=before,
        after=later.severe_loneliness,
        observed_change=share_difference(before, later.severe_loneliness),
        planned_change=planned,
    )


def reach_comparison(
    *, plan_data: Mapping[str, Any], realised: Mapping[str, RealisedReach]
) -> list[dict[str, Any]]:
    """Planned participants (P5–P95) against realised participants per planned activity."""
    rows = []
    for item in plan_data["portfolio"]:
        r = realised.get(item["activity"])
        rows.append(
            {
                "activity": item["activity"],
                "name": item.get("name", item["activity"]),
                "planned": item["participants"],
                "realised": r.participants if r else None,
                "source": r.source if r else None,
            }
        )
    return rows
