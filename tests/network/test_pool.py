"""The pool rule (network.md): the asking organisation's departments never enter its pool; a
benchmark needs at least 3 other organisations and 5 departments; "all" is hidden when, next
to "departments like yours", it would reveal a small rest; a department counts once."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lokalsamfund.network import pool

SHARE = "severe_loneliness_share"
MEAN = "ucla_mean"


def figure(value: float = 0.2, n: int = 40) -> pool.Figure:
    return pool.Figure(value=value, ci_low=max(0, value - 0.1), ci_high=value + 0.1, denominator=n)


def entry(
    member: str,
    department: str,
    *,
    kind: str = "family",
    band: str = "100_299",
    value: float = 0.2,
    n: int = 40,
    order: str = "2025",
) -> pool.Entry:
    return pool.Entry(
        member=member,
        department=department,
        kind=kind,
        size_band=band,
        figures={SHARE: figure(value, n), MEAN: pool.Figure(5.0 + value, 4.8, 5.6, n)},
        order=order,
    )


entries_strategy = st.lists(
    st.builds(
        entry,
        member=st.sampled_from(["org:1", "org:2", "org:3", "org:4", "peer:x"]),
        department=st.sampled_from(["a", "b", "c", "d"]),
        kind=st.sampled_from(["family", "senior"]),
        band=st.sampled_from(["under_100", "100_299"]),
        value=st.floats(0, 1).map(lambda v: round(v, 4)),
        n=st.integers(5, 400),
        order=st.sampled_from(["2024", "2025"]),
    ),
    max_size=25,
)


def test_size_bands() -> None:
    assert pool.size_band(0) == ""
    assert pool.size_band(99) == "under_100"
    assert pool.size_band(100) == "100_299"
    assert pool.size_band(599) == "300_599"
    assert pool.size_band(600) == "600_plus"


def test_shown_with_three_organisations_and_five_departments() -> None:
    entries = [
        entry(m, d) for m, d in [("o1", "a"), ("o1", "b"), ("o2", "a"), ("o2", "b"), ("o3", "a")]
    ]
    result = pool.benchmark(entries, asking_member="me", kind="family", size_band="100_299")
    assert result.similar[SHARE].shown
    assert result.similar[SHARE].organisations == 3
    assert result.similar[SHARE].departments == 5
    assert result.similar[SHARE].value == 0.2
    assert result.similar[SHARE].ci_low < 0.2 < result.similar[SHARE].ci_high
    assert result.similar[MEAN].shown


def test_not_shown_with_two_organisations_or_four_departments() -> None:
    two_orgs = [
        entry(m, d) for m, d in [("o1", "a"), ("o1", "b"), ("o1", "c"), ("o2", "a"), ("o2", "b")]
    ]
    four = [entry(m, d) for m, d in [("o1", "a"), ("o1", "b"), ("o2", "a"), ("o3", "a")]]
    for entries in (two_orgs, four):
        result = pool.benchmark(entries, asking_member="me", kind="family", size_band="100_299")
        assert not result.similar[SHARE].shown
        assert result.similar[SHARE].value is None
        assert result.similar[SHARE].reason == "too_few"
        assert result.as_dict()["similar"][SHARE]["departments"] is None


def test_own_departments_never_pooled() -> None:
    """Three organisations and five departments only with the asker's own: nothing shown."""
    entries = [
        entry(m, d) for m, d in [("me", "a"), ("me", "b"), ("o2", "a"), ("o2", "b"), ("o3", "a")]
    ]
    result = pool.benchmark(entries, asking_member="me", kind="family", size_band="100_299")
    assert not result.all[SHARE].shown


def test_department_counts_once_with_newest_round() -> None:
    entries = [entry(m, "a", order="2024", value=0.9) for m in ("o1", "o2", "o3")]
    entries += [entry(m, "a", order="2025", value=0.1) for m in ("o1", "o2", "o3")]
    result = pool.benchmark(entries, asking_member="me", kind="family", size_band="100_299")
    assert not result.all[SHARE].shown  # 3 departments, not 6
    entries += [entry("o1", "b"), entry("o2", "b")]
    result = pool.benchmark(entries, asking_member="me", kind="family", size_band="100_299")
    assert result.all[SHARE].shown
    assert result.all[SHARE].value < 0.2  # the 2024 figures (0.9) are not in it


def test_all_hidden_when_rest_is_small() -> None:
    """ "All" minus "like yours" would be one organisation's department: "all" is hidden."""
    similar = [
        entry(m, d) for m, d in [("o1", "a"), ("o1", "b"), ("o2", "a"), ("o2", "b"), ("o3", "a")]
    ]
    lone = [entry("o4", "z", kind="senior", value=0.9)]
    result = pool.benchmark(similar + lone, asking_member="me", kind="family", size_band="100_299")
    assert result.similar[SHARE].shown
    assert not result.all[SHARE].shown
    assert result.all[SHARE].reason == "complement"


@settings(max_examples=200, deadline=None)
@given(
    entries=entries_strategy,
    asker=st.sampled_from(["org:1", "org:2", "peer:x"]),
    kind=st.sampled_from(["family", "senior"]),
    band=st.sampled_from(["under_100", "100_299"]),
)
def test_pool_rule_holds(entries: list[pool.Entry], asker: str, kind: str, band: str) -> None:
    result = pool.benchmark(entries, asking_member=asker, kind=kind, size_band=band)
    newest = pool.newest_per_department(entries)
    others = [e for e in newest if e.member != asker]
    similar = [e for e in others if (e.kind, e.size_band) == (kind, band)]
    for name in pool.INDICATORS:
        for pooled, scope in ((result.similar[name], similar), (result.all[name], others)):
            if pooled.shown:
                assert len({e.member for e in scope}) >= pool.MIN_ORGANISATIONS
                assert len({(e.member, e.department) for e in scope}) >= pool.MIN_DEPARTMENTS
            else:
                assert pooled.value is None
                assert pooled.ci_low is None
        rest = [e for e in others if (e.kind, e.size_band) != (kind, band)]
        if result.similar[name].shown and result.all[name].shown and rest:
            assert len({e.member for e in rest}) >= pool.MIN_ORGANISATIONS
            assert len({(e.member, e.department) for e in rest}) >= pool.MIN_DEPARTMENTS


@settings(max_examples=200, deadline=None)
@given(entries=entries_strategy, own=entries_strategy, asker=st.sampled_from(["org:1", "peer:x"]))
def test_no_own_figure_derivable(
    entries: list[pool.Entry], own: list[pool.Entry], asker: str
) -> None:
    """Whatever the asking organisation's own figures are, its benchmark is the same: it holds
    nothing of them, so nothing of them can be derived from it and its own result."""
    others = [e for e in entries if e.member != asker]
    mine = [
        pool.Entry(asker, e.department, e.kind, e.size_band, e.figures, order=e.order) for e in own
    ]
    without = pool.benchmark(others, asking_member=asker, kind="family", size_band="100_299")
    with_own = pool.benchmark(
        others + mine, asking_member=asker, kind="family", size_band="100_299"
    )
    assert without.as_dict() == with_own.as_dict()
