"""The demo: three more organisations share a round, so the demo department sees a benchmark;
loading twice changes nothing."""

from __future__ import annotations

from lokalsamfund.core.demo import load_demo
from lokalsamfund.core.models import Department
from lokalsamfund.network import selectors
from lokalsamfund.network.models import Idea, SharedDepartment, SharedRound


def test_demo_department_sees_a_benchmark(db: None) -> None:
    load_demo()
    counts = (SharedRound.objects.count(), SharedDepartment.objects.count(), Idea.objects.count())
    load_demo()
    assert (
        SharedRound.objects.count(),
        SharedDepartment.objects.count(),
        Idea.objects.count(),
    ) == counts
    assert counts[2] == 2
    assert counts[0] == 4
    a1 = Department.objects.get(organisation__slug="eksempel", code="A1")
    result = selectors.department_benchmark(a1)
    pooled = result.similar["severe_loneliness_share"]
    assert pooled.shown
    assert pooled.organisations == 3
    assert pooled.departments == 6
    assert result.all["who5_low_share"].shown
