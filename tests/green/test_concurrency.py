"""Concurrency of the green groups with real threads and their own database connections, on
SQLite (IMMEDIATE transactions) and PostgreSQL (row locks and the partial unique
constraints): one loan of a tool, unique queue positions, one plot per household, a
waitlist without duplicate places, no application left outside a lottery."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from lokalsamfund.core.errors import Conflict, DomainError
from lokalsamfund.core.models import Department, Membership, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import services as group_services
from lokalsamfund.green.models import (
    ApplicationStatus,
    DeclineRule,
    GreenGroup,
    Hold,
    Loan,
    LoanStatus,
    PlotApplication,
    Season,
    Tool,
)
from lokalsamfund.green.toolshed import services

from .tools_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.scenario_moment]

THREADS = 6
CPH = ZoneInfo("Europe/Copenhagen")


def race(work: Callable[[int], object], threads: int = THREADS) -> list[object]:
    """Run ``work(i)`` in threads released at the same moment; return the outcomes."""
    barrier = threading.Barrier(threads)
    outcomes: list[object] = [None] * threads

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as exc:  # the outcome is the point of the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=60)
    return outcomes


@pytest.fixture
def people(
    make_user: Callable[..., User], org: Organisation, dept_a: Department, group: GreenGroup
) -> list[User]:
    users = [make_user(Role.RESIDENT, org, [dept_a]) for _ in range(THREADS)]
    for user in users:
        group_services.member_join(actor=user, group=group)
    return users


# --- the tool shed -----------------------------------------------------------------------------


def test_concurrent_loans_of_one_tool_give_one_loan(barrow: Tool, people: list[User]) -> None:
    outcomes = race(lambda i: services.loan_create(actor=people[i], tool=barrow))
    loans = [o for o in outcomes if isinstance(o, Loan)]
    assert len(loans) == 1, outcomes
    assert all(isinstance(o, Conflict) for o in outcomes if not isinstance(o, Loan)), outcomes
    assert Loan.objects.filter(tool=barrow, status=LoanStatus.OUT).count() == 1


def test_concurrent_loans_of_a_handover_tool_give_one_request(
    trimmer: Tool, people: list[User]
) -> None:
    outcomes = race(lambda i: services.loan_create(actor=people[i], tool=trimmer))
    assert sum(isinstance(o, Loan) for o in outcomes) == 1, outcomes
    assert Loan.objects.filter(tool=trimmer, status=LoanStatus.AWAITING_HANDOVER).count() == 1


def test_concurrent_queueing_gives_unique_positions(
    barrow: Tool, member: User, people: list[User]
) -> None:
    services.loan_create(actor=member, tool=barrow)
    outcomes = race(lambda i: services.hold_join(actor=people[i], tool=barrow))
    assert all(isinstance(o, Hold) for o in outcomes), outcomes
    positions = sorted(Hold.objects.filter(tool=barrow).values_list("position", flat=True))
    assert positions == list(range(1, THREADS + 1))


def test_a_return_racing_loans_and_queueing_keeps_one_loan(
    barrow: Tool, member: User, people: list[User]
) -> None:
    loan = services.loan_create(actor=member, tool=barrow)

    def work(i: int) -> object:
        if i == 0:
            return services.loan_return(actor=member, loan=loan)
        if i % 2:
            return services.loan_create(actor=people[i], tool=barrow)
        return services.hold_join(actor=people[i], tool=barrow)

    outcomes = race(work)
    assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, DomainError)]
    active = Loan.objects.filter(tool=barrow, status__in=["out", "handover"])
    ready = Hold.objects.filter(tool=barrow, status="ready")
    assert active.count() + ready.count() <= 1
    positions = list(Hold.objects.filter(tool=barrow).values_list("position", flat=True))
    assert len(positions) == len(set(positions))


def test_concurrent_takes_never_go_below_zero(seeds: Tool, people: list[User]) -> None:
    # 10 bags; six members take 3 each at once: three get them.
    outcomes = race(lambda i: services.consumable_take(actor=people[i], tool=seeds, quantity=3))
    assert sum(not isinstance(o, Exception) for o in outcomes) == 3, outcomes
    seeds.refresh_from_db()
    assert seeds.quantity == 1


# --- plot applications --------------------------------------------------------------------------


def _home(user: User, home: str) -> None:
    Membership.objects.filter(user=user).update(home=home)


def test_concurrent_applications_get_gap_free_unique_places(
    group: GreenGroup, people: list[User]
) -> None:
    season = group_services.season_open(actor=SYSTEM, group=group, year=2026)
    outcomes = race(
        lambda i: group_services.apply(actor=people[i], season=season, own_garden=False)
    )
    assert all(isinstance(o, PlotApplication) for o in outcomes), outcomes
    rows = PlotApplication.objects.filter(season=season)
    assert sorted(rows.values_list("position", flat=True)) == list(range(1, THREADS + 1))
    assert sorted(rows.values_list("ticket", flat=True)) == list(range(1, THREADS + 1))


def test_the_same_person_applying_twice_at_once_applies_once(
    group: GreenGroup, people: list[User]
) -> None:
    season = group_services.season_open(actor=SYSTEM, group=group, year=2026)
    outcomes = race(
        lambda i: group_services.apply(actor=people[0], season=season, own_garden=False)
    )
    assert sum(isinstance(o, PlotApplication) for o in outcomes) == 1, outcomes
    assert all(isinstance(o, Conflict) for o in outcomes if not isinstance(o, PlotApplication))


def test_one_household_never_gets_two_plots_from_concurrent_offers(
    group: GreenGroup, people: list[User], caretaker_contact: User
) -> None:
    """Two of one household apply at once, then the contacts offer at once: one offer to the
    household, the other offers to the next households."""
    season = group_services.season_open(actor=SYSTEM, group=group, year=2026)
    _home(people[0], "Engvej 1, 2. th")
    _home(people[1], "engvej 1, 2. TH")  # the same home, written differently
    race(lambda i: group_services.apply(actor=people[i], season=season, own_garden=False), 2)
    for user in people[2:4]:
        group_services.apply(actor=user, season=season, own_garden=False)
    # The group has three plots: three contacts offer at the same moment.
    outcomes = race(lambda i: group_services.offer_next(actor=caretaker_contact, season=season), 3)
    offered = [o for o in outcomes if isinstance(o, PlotApplication)]
    assert len(offered) == 3, outcomes
    holding = PlotApplication.objects.filter(
        season=season, status__in=[ApplicationStatus.OFFERED, ApplicationStatus.ALLOCATED]
    )
    households = list(holding.values_list("household", flat=True))
    assert len(households) == len(set(households)) == 3
    assert {people[0].pk, people[1].pk} & set(holding.values_list("user_id", flat=True))
    assert not {people[0].pk, people[1].pk} <= set(holding.values_list("user_id", flat=True))
    plots = list(holding.values_list("plot_id", flat=True))
    assert len(plots) == len(set(plots))


def test_declines_racing_applications_keep_the_places_unique(
    group: GreenGroup,
    people: list[User],
    caretaker_contact: User,
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
) -> None:
    """Declining sends the applicant to the bottom while others apply: no two share a place."""
    GreenGroup.objects.filter(pk=group.pk).update(decline_rule=DeclineRule.BOTTOM)
    season = group_services.season_open(actor=SYSTEM, group=group, year=2026)
    for user in people[:3]:
        group_services.apply(actor=user, season=season, own_garden=False)
    offered = [group_services.offer_next(actor=caretaker_contact, season=season) for _ in range(3)]

    def work(i: int) -> object:
        if i < 3:
            return group_services.offer_decline(actor=people[i], application=offered[i])
        return group_services.apply(actor=people[i], season=season, own_garden=False)

    outcomes = race(work)
    assert all(isinstance(o, PlotApplication) for o in outcomes), outcomes
    waiting = PlotApplication.objects.filter(season=season, status=ApplicationStatus.WAITING)
    positions = list(waiting.values_list("position", flat=True))
    assert len(positions) == THREADS
    assert len(set(positions)) == THREADS
    # The places shown to the applicants (their rank among those waiting) are 1..n.
    from lokalsamfund.green.selectors import place_of

    assert sorted(place_of(a).place or 0 for a in waiting) == list(range(1, THREADS + 1))


def test_an_application_racing_the_lottery_is_drawn_or_refused(
    lottery_group: GreenGroup,
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
    caretaker_contact: User,
    clock: object,
) -> None:
    season = Season.objects.create(group=lottery_group, year=2026, deadline=date(2026, 6, 20))
    users = [make_user(Role.RESIDENT, org, [dept_a]) for _ in range(THREADS)]
    for user in users:
        group_services.member_join(actor=user, group=lottery_group)
    on_deadline = datetime(2026, 6, 20, 23, 0, tzinfo=CPH)
    after = datetime(2026, 6, 21, 9, 0, tzinfo=CPH)

    def work(i: int) -> object:
        if i == 0:
            return group_services.lottery_run(actor=caretaker_contact, season=season, now=after)
        # The applicants' clocks still say the deadline day (their request started before it).
        return group_services.apply(
            actor=users[i], season=season, own_garden=False, now=on_deadline
        )

    race(work)
    season.refresh_from_db()
    drawn = set(season.draw)
    for application in PlotApplication.objects.filter(season=season):
        assert application.ticket in drawn, "an application outside the draw"


def test_a_stale_season_cannot_take_an_application_after_the_draw(
    lottery_group: GreenGroup,
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
    caretaker_contact: User,
) -> None:
    """The deterministic form of the race above: the season read before the draw."""
    season = Season.objects.create(group=lottery_group, year=2026, deadline=date(2026, 6, 20))
    stale = Season.objects.get(pk=season.pk)
    user = make_user(Role.RESIDENT, org, [dept_a])
    group_services.member_join(actor=user, group=lottery_group)
    group_services.lottery_run(
        actor=caretaker_contact, season=season, now=datetime(2026, 6, 21, 9, tzinfo=CPH)
    )
    with pytest.raises(DomainError):
        group_services.apply(
            actor=user,
            season=stale,
            own_garden=False,
            now=datetime(2026, 6, 20, 23, tzinfo=CPH),
        )
    assert not PlotApplication.objects.filter(season=season).exists()
