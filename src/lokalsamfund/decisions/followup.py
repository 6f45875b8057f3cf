"""Follow-up: planned versus realised.

*Loneliness change* compares the plan's survey round with a later closed round of the same
department (difference of two shares with Newcombe's hybrid score interval) against the change
the plan expected (people helped ÷ adult residents). It is a before/after comparison, not proof
of cause.

*Realised reach* comes from the activities domain: the headcounts organisers record after each
occurrence, summed per activity type over the department's last twelve ended months, through
the same disclosure control as every participation figure (``activities.figures``; a month
whose figure is hidden is left out, so the sum is then a lower bound). A headcount counts
**attendances, not different people**: someone who comes to every weekly dinner counts 52
times. So the follow-up sets realised attendances and occurrences held against the plan's
sessions × participants per session (the catalogue's attendances at the plan's scale), next
to the plan's different people a year, and says so. The next plan converts realised
attendances to people at the catalogue's own ratio of people to attendances (±20 %,
``planning.realised_people``); nothing else is invented.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from lokalsamfund.core.models import Department
from lokalsamfund.surveys.evidence import DepartmentEvidence, Share


@dataclass(frozen=True)
class RealisedReach:
    """Realised reach of one activity type. ``participants`` are attendances (the sum of
    headcounts), not different people; ``sessions`` the occurrences held with a headcount;
    ``months_suppressed`` months left out because their figure is hidden (fewer than k)."""

    activity_slug: str
    participants: int
    sessions: int
    period_start: date
    period_end: date
    source: str
    months_suppressed: int = 0

    @property
    def attendances(self) -> int:
        return self.participants

    @property
    def per_session(self) -> float | None:
        return self.participants / self.sessions if self.sessions else None


def realised_reach_for(
    *, department: Department, days: int = 365, now: datetime | None = None
) -> dict[str, RealisedReach]:
    """Realised reach per activity slug over the ended months of the last ``days``, from the
    activities' headcounts through disclosure control (see the module doc)."""
    from lokalsamfund.activities import figures, reach

    months = figures.followup_months(days=days, now=now)
    table = figures.protected_table(department.organisation, months[0], months[-1])
    start = figures.month_start(months[0]).date()
    end = figures.month_start(figures.month_after(months[-1])).date() - timedelta(days=1)
    return {
        slug: RealisedReach(
            activity_slug=slug,
            participants=r.attendances,
            sessions=r.sessions,
            period_start=start,
            period_end=end,
            source="headcounts",
            months_suppressed=r.months_suppressed,
        )
        for slug, r in reach.department_reach(
            table, department_id=department.pk, months=months
        ).items()
    }


@dataclass(frozen=True)
class RealisedDriften:
    """Driften's hours on green work recorded in a department (``green``'s hours, summed)
    over the twelve ended months from ``period_start`` to ``period_end``."""

    hours: float
    period_start: date
    period_end: date
    source: str = "driften_hours"


def realised_driften_for(*, department: Department, now: datetime | None = None) -> RealisedDriften:
    """Driften's recorded hours (green work) over the department's last twelve ended months:
    the figure the planning page shows next to its driften constraint and the follow-up sets
    against the plan's driften hours."""
    from django.utils import timezone

    from lokalsamfund.green import driften

    today = timezone.localtime(now).date() if now else timezone.localdate()
    start, end = driften.last_twelve_months(today)
    hours = driften.recorded_hours_year(department=department, now=now)
    return RealisedDriften(hours=float(hours), period_start=start, period_end=end)


def driften_comparison(
    *, plan_data: Mapping[str, Any], realised: RealisedDriften
) -> dict[str, Any]:
    """The plan's driften hours (available and used by the plan) against the recorded ones."""
    usage = plan_data.get("usage") or {}
    limits = plan_data.get("limits") or {}
    planned = usage.get("driften_hours")
    available = limits.get("driften_hours")
    return {
        "planned": planned,
        "available": available,
        "realised": realised.hours,
        "period_start": realised.period_start,
        "period_end": realised.period_end,
        "recorded": realised.hours > 0,
    }


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
    *,
    plan_data: Mapping[str, Any],
    realised: Mapping[str, RealisedReach],
    sessions: Mapping[str, tuple[int, int]] | None = None,
) -> list[dict[str, Any]]:
    """Per planned activity: planned different people (P5–P95), planned sessions and
    attendances (``sessions``: the catalogue's sessions a year and participants per session,
    times the plan's scale) against realised attendances and sessions (headcounts)."""
    rows = []
    for item in plan_data["portfolio"]:
        r = realised.get(item["activity"])
        per_year, per_session = (sessions or {}).get(item["activity"], (0, 0))
        scale = item.get("scale", 1) or 1
        rows.append(
            {
                "activity": item["activity"],
                "name": item.get("name", item["activity"]),
                "planned": item["participants"],
                "planned_sessions": per_year * scale if per_year else None,
                "planned_attendances": per_year * per_session * scale if per_year else None,
                "realised": r.participants if r else None,
                "realised_sessions": r.sessions if r else None,
                "realised_per_session": r.per_session if r else None,
                "months_suppressed": r.months_suppressed if r else 0,
                "source": r.source if r else None,
            }
        )
    return rows
