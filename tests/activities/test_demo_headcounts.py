"""The demo's year of headcounts (activities/demo_headcounts.py) on a small fake activity set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lokalsamfund.activities import demo_headcounts
from lokalsamfund.activities.models import Headcount, Occurrence
from lokalsamfund.core.demo import DemoContext
from lokalsamfund.core.models import Association, Department, NeighbourHousing, Organisation
from lokalsamfund.decisions.followup import realised_reach_for

from .factories_participation import make_activity, make_occurrence

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(
    org: Organisation,
    dept_a: Department,
    neighbour_housing: NeighbourHousing,
    association: Association,
) -> DemoContext:
    return DemoContext(
        organisation=org,
        departments={"A1": dept_a},
        neighbour_housing=neighbour_housing,
        association=association,
        users={},
    )


def _weekly(activity: object, weeks: int) -> list[Occurrence]:
    now = timezone.now()
    return [make_occurrence(activity, now - timedelta(weeks=w, hours=1)) for w in range(weeks)]  # type: ignore[arg-type]


def test_a_year_of_plausible_deterministic_headcounts(
    ctx: DemoContext, org: Organisation, dept_a: Department
) -> None:
    meal = make_activity(org, [dept_a], activity_type="faellesspisning", capacity=40)
    club = make_activity(org, [dept_a], activity_type="seniorklub", target_group="seniors")
    proposal = make_activity(org, [dept_a], status="proposed")
    meal_times = _weekly(meal, 60)  # 60 weeks back: only the last year is counted
    _weekly(club, 10)
    _weekly(proposal, 5)
    cancelled = make_occurrence(meal, timezone.now() - timedelta(days=2))
    Occurrence.objects.filter(pk=cancelled.pk).update(status="cancelled")
    coming = make_occurrence(meal, timezone.now() + timedelta(days=2))
    kept = meal_times[1]
    Headcount.objects.create(occurrence=kept, total=33)

    recorded = demo_headcounts.load(ctx)
    now = timezone.now()
    in_year = sum(1 for o in meal_times if now - timedelta(days=365) <= o.starts_at)
    # This week's is still going on (not ended), one was counted already; the club the same.
    assert recorded == (in_year - 2) + (10 - 1)
    assert not Headcount.objects.filter(occurrence__activity=proposal).exists()
    assert not Headcount.objects.filter(occurrence__in=[cancelled, coming]).exists()
    assert Headcount.objects.get(occurrence=kept).total == 33
    for h in Headcount.objects.filter(occurrence__activity=meal).exclude(occurrence=kept):
        assert 1 <= h.total <= 40
        assert h.children + h.adults + h.seniors == h.total
        assert 0 <= h.new_faces <= h.total
    club_counts = Headcount.objects.filter(occurrence__activity=club)
    assert all(h.seniors >= h.children for h in club_counts)

    # Idempotent, and the same figures when loaded again from scratch.
    before = sorted(Headcount.objects.values_list("occurrence_id", "total", "new_faces"))
    assert demo_headcounts.load(ctx) == 0
    Headcount.objects.exclude(occurrence=kept).delete()
    demo_headcounts.load(ctx)
    assert sorted(Headcount.objects.values_list("occurrence_id", "total", "new_faces")) == before

    # The decision tool's follow-up has realised reach to show.
    reach = realised_reach_for(department=dept_a)
    assert reach["faellesspisning"].sessions > 40
    assert reach["faellesspisning"].participants > 0
