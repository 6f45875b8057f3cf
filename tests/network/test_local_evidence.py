"""The decision tool's local evidence (``network.local_evidence``, pure): the benchmarks' pool
rule, the asking organisation never in its own pool, and the intervals."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lokalsamfund.network import local_evidence as le
from lokalsamfund.network import pool

TYPE = "faellesspisning"


def reach(
    member: str,
    department: str,
    attendances: int = 200,
    sessions: int = 10,
    *,
    activity_type: str = TYPE,
    order: str = "2026-05",
) -> le.ReachEntry:
    return le.ReachEntry(
        member=member,
        department=department,
        activity_type=activity_type,
        attendances=attendances,
        sessions=sessions,
        months=12,
        period_start="2025-06-01",
        order=order,
    )


def spread(organisations: int, departments: int) -> list[le.ReachEntry]:
    """``departments`` departments spread over ``organisations`` organisations."""
    return [
        reach(f"org:{i % organisations}", f"d{i}", 150 + 13 * i, 8 + i) for i in range(departments)
    ]


def test_shown_with_three_organisations_and_five_departments() -> None:
    entries = spread(3, 5)
    found = le.for_type(entries, [], asking_member="org:asker", activity_type=TYPE)
    assert found.shown
    assert (found.organisations, found.departments) == (3, 5)
    assert found.sessions == sum(e.sessions for e in entries)
    assert found.attendances == sum(e.attendances for e in entries)
    assert found.per_session is not None
    ratio = found.attendances / found.sessions
    assert found.per_session.low < round(ratio, 1) == found.per_session.value
    assert found.per_session.value < found.per_session.high
    assert found.sessions_a_year is not None
    mean_sessions = sum(e.sessions for e in entries) / 5
    assert found.sessions_a_year.low <= round(mean_sessions, 1) <= found.sessions_a_year.high


def test_not_shown_below_the_pool() -> None:
    for organisations, departments in ((2, 6), (3, 4)):
        found = le.for_type(
            spread(organisations, departments), [], asking_member="org:x", activity_type=TYPE
        )
        assert not found.shown
        data = found.as_dict()
        assert data["shown"] is False
        # Nothing of a small pool is told, not even how many share it.
        assert {k: v for k, v in data.items() if k not in {"activity_type", "shown"}} == {
            "organisations": None,
            "departments": None,
            "sessions": None,
            "attendances": None,
            "per_session": None,
            "sessions_a_year": None,
            "attendances_a_year": None,
            "changes": {},
        }


def test_other_types_and_empty_rows_do_not_count() -> None:
    entries = [*spread(3, 4), reach("org:9", "d9", activity_type="gaaklub")]
    assert not le.for_type(entries, [], asking_member="org:x", activity_type=TYPE).shown
    entries = [*spread(3, 4), reach("org:9", "d9", 0, 0)]
    assert not le.for_type(entries, [], asking_member="org:x", activity_type=TYPE).shown


def test_asking_organisation_never_in_its_pool() -> None:
    entries = [*spread(3, 4), reach("org:me", "mine", 900, 30)]
    assert not le.for_type(entries, [], asking_member="org:me", activity_type=TYPE).shown
    assert le.for_type(entries, [], asking_member="org:other", activity_type=TYPE).shown


def test_a_department_counts_once_with_its_newest_share() -> None:
    entries = [*spread(3, 4), reach("org:0", "d0", 999, 9, order="2027-01")]
    found = le.for_type(entries, [], asking_member="org:x", activity_type=TYPE)
    assert not found.shown  # still four departments
    entries = [*spread(3, 5), reach("org:0", "d0", 999, 9, order="2027-01")]
    found = le.for_type(entries, [], asking_member="org:x", activity_type=TYPE)
    assert found.departments == 5
    assert found.attendances == sum(e.attendances for e in spread(3, 5)[1:]) + 999


def rounds_for(
    member: str, department: str, before: float, after: float, n: int = 50
) -> list[le.RoundFigure]:
    def figure(share: float) -> dict[str, pool.Figure]:
        return {"severe_loneliness_share": pool.Figure(share, share - 0.08, share + 0.1, n)}

    return [
        le.RoundFigure(member, department, "2024-10-01", figure(before)),
        le.RoundFigure(member, department, "2026-04-01", figure(after)),
    ]


def test_before_after_change_pooled_with_newcombe_interval() -> None:
    entries = spread(3, 5)
    rounds = [r for e in entries for r in rounds_for(e.member, e.department, 0.2, 0.14)]
    found = le.for_type(entries, rounds, asking_member="org:x", activity_type=TYPE)
    change = found.changes["severe_loneliness_share"]
    assert change.shown
    assert (change.organisations, change.departments) == (3, 5)
    assert change.value is not None
    assert change.value.value == -0.06
    assert change.value.low < -0.06 < change.value.high
    # well-being has no shown figures in these rounds: not shown
    assert not found.changes["who5_low_share"].shown


def test_change_needs_the_pool_of_departments_with_both_rounds() -> None:
    entries = spread(3, 5)
    rounds = [r for e in entries[:4] for r in rounds_for(e.member, e.department, 0.2, 0.1)]
    # the fifth department only has a round after the period began
    rounds.append(rounds_for(entries[4].member, entries[4].department, 0.2, 0.1)[1])
    found = le.for_type(entries, rounds, asking_member="org:x", activity_type=TYPE)
    assert found.shown
    assert not found.changes["severe_loneliness_share"].shown


def test_department_change_takes_newest_before_and_after() -> None:
    f = {"severe_loneliness_share": pool.Figure(0.3, 0.2, 0.4, 40)}
    g = {"severe_loneliness_share": pool.Figure(0.2, 0.1, 0.3, 40)}
    h = {"severe_loneliness_share": pool.Figure(0.1, 0.05, 0.2, 40)}
    rounds = [
        le.RoundFigure("m", "d", "2023-01-01", h),
        le.RoundFigure("m", "d", "2025-01-01", f),
        le.RoundFigure("m", "d", "2026-01-01", g),
    ]
    found = le.department_change(
        rounds, period_start="2025-06-01", indicator="severe_loneliness_share"
    )
    assert found == (f["severe_loneliness_share"], g["severe_loneliness_share"])
    assert (
        le.department_change(rounds, period_start="2022-01-01", indicator="severe_loneliness_share")
        is None
    )


members = st.sampled_from(["org:a", "org:b", "org:c", "org:d", "org:e"])
entry_lists = st.lists(
    st.builds(
        reach,
        members,
        st.sampled_from([f"d{i}" for i in range(8)]),
        st.integers(5, 2000),
        st.integers(1, 60),
    ),
    max_size=14,
)


@settings(max_examples=60, deadline=None)
@given(others=entry_lists, own=entry_lists)
def test_no_own_figure_derivable(others: list[le.ReachEntry], own: list[le.ReachEntry]) -> None:
    """Whatever the asking organisation's own figures are, its local evidence is the same, so
    nothing of its own can be derived from the local evidence and its own data; and a shown
    figure always pools at least 3 organisations and 5 departments."""
    others = [e for e in others if e.member != "org:me"]
    mine = [
        le.ReachEntry("org:me", e.department, e.activity_type, e.attendances, e.sessions, 12)
        for e in own
    ]
    rounds = [r for e in mine for r in rounds_for("org:me", e.department, 0.3, 0.1)]
    alone = le.for_type(others, [], asking_member="org:me", activity_type=TYPE)
    with_own = le.for_type([*others, *mine], rounds, asking_member="org:me", activity_type=TYPE)
    assert alone.as_dict() == with_own.as_dict()
    newest = le.newest(e for e in others if e.activity_type == TYPE)
    pairs = {(e.member, e.department) for e in newest}
    expect = len({m for m, _d in pairs}) >= 3 and len(pairs) >= 5
    assert alone.shown == expect
