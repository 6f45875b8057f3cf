"""The lottery (green/allocation.py, no Django): capacity, classes, reserved share, households,
reproducibility and fairness within a class."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lokalsamfund.green.allocation import Applicant, allocate, draw, priority_class, reserved_count

applicants_st = st.lists(
    st.builds(
        Applicant,
        key=st.integers(min_value=1, max_value=10_000),
        household=st.sampled_from([f"h{i}" for i in range(12)]),
        priority=st.integers(min_value=0, max_value=3),
        new_member=st.booleans(),
    ),
    max_size=25,
    unique_by=lambda a: a.key,
)


@given(
    applicants=applicants_st,
    plots=st.integers(0, 15),
    seed=st.integers(0, 2**48),
    share=st.integers(0, 100),
)
def test_capacity_households_and_partition(
    applicants: list[Applicant], plots: int, seed: int, share: int
) -> None:
    result = allocate(applicants, plots=plots, seed=seed, reserved_percent=share)
    by_key = {a.key: a for a in applicants}
    assert len(result.winners) <= plots
    assert sorted(result.winners.values()) == list(range(len(result.winners)))
    households = [by_key[k].household for k in result.winners]
    assert len(households) == len(set(households))  # one plot per household
    # Every applicant is a winner, on the waitlist or left out for their household's plot.
    assert sorted([*result.winners, *result.waitlist, *result.same_household]) == sorted(by_key)
    assert all(by_key[k].household in set(households) for k in result.same_household)
    assert all(by_key[k].household not in set(households) for k in result.waitlist)
    # Plots are all used while a household without one is waiting.
    if result.waitlist:
        assert len(result.winners) == plots
    assert sorted(result.draw) == sorted(by_key)


@given(
    applicants=applicants_st,
    plots=st.integers(0, 15),
    seed=st.integers(0, 2**48),
    share=st.integers(0, 100),
)
def test_same_seed_same_result(
    applicants: list[Applicant], plots: int, seed: int, share: int
) -> None:
    first = allocate(applicants, plots=plots, seed=seed, reserved_percent=share)
    again = allocate(list(reversed(applicants)), plots=plots, seed=seed, reserved_percent=share)
    assert first == again


@given(applicants=applicants_st, plots=st.integers(0, 15), seed=st.integers(0, 2**48))
def test_higher_classes_first(applicants: list[Applicant], plots: int, seed: int) -> None:
    """Without a reserved share, nobody waits (with a household free of plots) while someone of
    a lower class (a higher number) got a plot."""
    result = allocate(applicants, plots=plots, seed=seed)
    by_key = {a.key: a for a in applicants}
    if result.waitlist and result.winners:
        best_waiting = min(by_key[k].priority for k in result.waitlist)
        worst_winner = max(by_key[k].priority for k in result.winners)
        assert worst_winner <= best_waiting
    assert result.waitlist == [k for k in result.order if k in set(result.waitlist)]


@given(
    applicants=applicants_st,
    plots=st.integers(0, 15),
    seed=st.integers(0, 2**48),
    share=st.integers(0, 100),
)
def test_reserved_share_respected(
    applicants: list[Applicant], plots: int, seed: int, share: int
) -> None:
    result = allocate(applicants, plots=plots, seed=seed, reserved_percent=share)
    by_key = {a.key: a for a in applicants}
    new_households = {a.household for a in applicants if a.new_member}
    new_winners = [k for k in result.winners if by_key[k].new_member]
    # At least the reserved count goes to new members, as far as there are new households.
    assert len(new_winners) >= min(reserved_count(plots, share), len(new_households))


def test_fair_within_a_class() -> None:
    """Over many seeds every applicant of a class wins equally often (3 plots, 6 in class 0
    with 3 in class 1 who never win, then 6 in class 0 alone for 3 plots: each 50 %)."""
    applicants = [Applicant(key=k, household=f"h{k}", priority=0) for k in range(1, 7)]
    applicants += [Applicant(key=k, household=f"h{k}", priority=1) for k in range(7, 10)]
    wins: Counter[int] = Counter()
    runs = 6000
    for seed in range(runs):
        wins.update(list(allocate(applicants, plots=3, seed=seed).winners))
    assert all(wins[k] == 0 for k in range(7, 10))
    for k in range(1, 7):
        assert abs(wins[k] / runs - 0.5) < 0.03, (k, wins[k])


def test_fair_with_a_reserved_share() -> None:
    """4 plots, half reserved: 3 new members share 2 reserved plots plus the open draw; 5 old
    members share the rest. Within each group the frequencies are equal."""
    new = [Applicant(key=k, household=f"h{k}", new_member=True) for k in range(1, 4)]
    old = [Applicant(key=k, household=f"h{k}") for k in range(4, 9)]
    wins: Counter[int] = Counter()
    runs = 6000
    for seed in range(runs):
        wins.update(list(allocate(new + old, plots=4, seed=seed, reserved_percent=50).winners))
    new_rates = [wins[a.key] / runs for a in new]
    old_rates = [wins[a.key] / runs for a in old]
    assert max(new_rates) - min(new_rates) < 0.04
    assert max(old_rates) - min(old_rates) < 0.04
    assert min(new_rates) > max(old_rates)  # the reserved share favours new members


def test_draw_is_a_uniform_permutation() -> None:
    """Every order of four applicants turns up about equally often (chi-square, 23 degrees of
    freedom: 49.7 is the 0.1 % critical value)."""
    counts = Counter(tuple(draw([1, 2, 3, 4], seed)) for seed in range(24_000))
    assert set(counts) == set(itertools.permutations([1, 2, 3, 4]))
    expected = 24_000 / 24
    chi2 = sum((n - expected) ** 2 / expected for n in counts.values())
    assert chi2 < 49.7


def test_seed_published_reproduces() -> None:
    applicants = [Applicant(key=k, household=f"h{k}") for k in range(1, 11)]
    assert allocate(applicants, plots=4, seed=42).draw == draw(list(range(1, 11)), 42)
    assert allocate(applicants, plots=4, seed=42) != allocate(applicants, plots=4, seed=43)


def test_one_plot_per_household_example() -> None:
    applicants = [Applicant(key=1, household="same"), Applicant(key=2, household="same")]
    result = allocate(applicants, plots=2, seed=1)
    assert len(result.winners) == 1
    assert len(result.same_household) == 1
    assert result.waitlist == []


@pytest.mark.parametrize(
    ("resident", "own_garden", "expected"),
    [(True, False, 0), (True, True, 1), (False, False, 2), (False, True, 3)],
)
def test_priority_class(resident: bool, own_garden: bool, expected: int) -> None:
    assert (
        priority_class(
            resident=resident, own_garden=own_garden, residents_first=True, no_garden_first=True
        )
        == expected
    )
    assert (
        priority_class(
            resident=resident, own_garden=own_garden, residents_first=False, no_garden_first=False
        )
        == 0
    )


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="unique"):
        allocate([Applicant(1, "a"), Applicant(1, "b")], plots=1, seed=1)
    with pytest.raises(ValueError, match="reserved"):
        reserved_count(3, 101)


@settings(max_examples=30)
@given(seed=st.integers(0, 2**48))
def test_reserved_count_rounds_down(seed: int) -> None:
    assert reserved_count(seed % 40, 50) == (seed % 40) // 2
