"""The demo: three more organisations share a round, so the demo department sees a benchmark;
loading twice changes nothing."""

from __future__ import annotations

from lokalsamfund.core.demo import load_demo
from lokalsamfund.core.models import Department
from lokalsamfund.decisions import selectors as decision_selectors
from lokalsamfund.network import selectors, shared_reach
from lokalsamfund.network.models import Idea, SharedDepartment, SharedReach, SharedRound


def test_demo_department_sees_a_benchmark(db: None) -> None:
    load_demo()
    counts = (
        SharedRound.objects.count(),
        SharedDepartment.objects.count(),
        Idea.objects.count(),
        sorted(SharedReach.objects.values_list("activity_type", "attendances", "sessions")),
    )
    load_demo()
    assert (
        SharedRound.objects.count(),
        SharedDepartment.objects.count(),
        Idea.objects.count(),
        sorted(SharedReach.objects.values_list("activity_type", "attendances", "sessions")),
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

    # The three sharing organisations share a year of fællesspisning: the demo organisation's
    # catalogue shows a local evidence line for it; their idea shows its realised reach.
    catalogue = decision_selectors.catalogue_data(a1.organisation, "da")
    dinner = next(a for a in catalogue if a["slug"] == "faellesspisning")["local_evidence"]
    assert dinner["shown"]
    assert (dinner["organisations"], dinner["departments"]) == (3, 6)
    assert dinner["text"][0].startswith("Lokal evidens: 6 afdelinger")
    idea = Idea.objects.get(title="Fællesspisning med madklub")
    found = shared_reach.idea_reach(idea)
    assert found is not None
    assert found.sessions >= 40
