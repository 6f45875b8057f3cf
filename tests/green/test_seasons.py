"""The season's rest: renewal by a deadline (at the deadline day's last minute, a month's end
and across the daylight-saving changes), giving back and taking back a plot and re-offering
it, and the waitlist carried to the next season."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from lokalsamfund.core.audit import action_label
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import AuditEntry, Department, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import services
from lokalsamfund.green.models import (
    ApplicationStatus,
    DeclineRule,
    GreenGroup,
    PlotApplication,
    Season,
)

pytestmark = pytest.mark.scenario_moment

CPH = ZoneInfo("Europe/Copenhagen")


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=CPH)  # type: ignore[misc]


@pytest.fixture
def people(
    make_user: Callable[..., User], org: Organisation, dept_a: Department, group: GreenGroup
) -> list[User]:
    users = [make_user(Role.RESIDENT, org, [dept_a]) for _ in range(5)]
    for user in users:
        services.member_join(actor=user, group=group)
    return users


def _last_season(group: GreenGroup, people: list[User]) -> Season:
    """A waitlist season of 2025: the first three hold a plot, the other two wait."""
    season = services.season_open(actor=SYSTEM, group=group, year=2025)
    for user in people:
        services.apply(actor=user, season=season, own_garden=False, now=_at(2025, 3, 1, 12))
    for _ in range(3):
        offer = services.offer_next(actor=SYSTEM, season=season)
        services.offer_accept(actor=offer.user, application=offer)
    return season


def _app(season: Season, user: User) -> PlotApplication:
    return PlotApplication.objects.get(season=season, user=user)


def test_holders_renew_waitlist_carried_in_order(group: GreenGroup, people: list[User]) -> None:
    last = _last_season(group, people)
    waiting = [a.user_id for a in last.applications.filter(status="waiting").order_by("position")]
    season = services.season_open(
        actor=SYSTEM, group=group, year=2026, renewal_deadline=date(2026, 3, 31)
    )
    renewals = season.applications.filter(renewal=True)
    assert {a.user_id for a in renewals} == {p.pk for p in people[:3]}
    assert all(a.status == ApplicationStatus.OFFERED for a in renewals)
    # Each keeps last season's plot until the deadline.
    assert {a.plot_id for a in renewals} == set(
        last.applications.filter(status="allocated").values_list("plot_id", flat=True)
    )
    carried = season.applications.filter(status="waiting").order_by("position")
    assert [a.user_id for a in carried] == waiting
    assert [a.position for a in carried] == [1, 2]
    # A newcomer goes below the carried waitlist.
    newcomer = people[0].__class__.objects.create_user("ny@example.org", None)
    from lokalsamfund.core.models import Membership

    Membership.objects.create(user=newcomer, organisation=group.organisation, role=Role.RESIDENT)
    Membership.objects.get(user=newcomer).departments.set(group.departments.all())
    services.member_join(actor=newcomer, group=group)
    application = services.apply(actor=newcomer, season=season, own_garden=False)
    assert application.position == 3
    entry = AuditEntry.objects.filter(action="green.season_open").latest("pk")
    assert entry.data["renewals"] == 3
    assert entry.data["carried"] == 2


def test_a_holder_who_left_the_group_is_not_renewed(group: GreenGroup, people: list[User]) -> None:
    _last_season(group, people)
    services.member_leave(actor=people[0], group=group)
    season = services.season_open(
        actor=SYSTEM, group=group, year=2026, renewal_deadline=date(2026, 3, 31)
    )
    assert not season.applications.filter(user=people[0]).exists()
    assert len(services.free_plots(season)) == 1


@pytest.mark.parametrize(
    ("deadline", "last_minute", "too_late"),
    [
        # An ordinary deadline: the whole day counts, in Danish time.
        (date(2026, 3, 13), _at(2026, 3, 13, 23, 59), _at(2026, 3, 14, 0, 1)),
        # A month's end, into the next month.
        (date(2026, 4, 30), _at(2026, 4, 30, 23, 59), _at(2026, 5, 1, 0, 0)),
        # The spring change (29 March 2026 has 23 hours).
        (date(2026, 3, 29), _at(2026, 3, 29, 23, 59), _at(2026, 3, 30, 0, 0, 30)),
        # The autumn change (25 October 2026 has 25 hours): 23:30 is after the repeated hour.
        (date(2026, 10, 25), _at(2026, 10, 25, 23, 30), _at(2026, 10, 26, 0, 0, 1)),
    ],
)
def test_renewal_until_the_end_of_the_deadline_day(
    group: GreenGroup,
    people: list[User],
    deadline: date,
    last_minute: datetime,
    too_late: datetime,
) -> None:
    _last_season(group, people)
    season = services.season_open(actor=SYSTEM, group=group, year=2026, renewal_deadline=deadline)
    first, second = (_app(season, p) for p in people[:2])
    renewed = services.offer_accept(actor=people[0], application=first, now=last_minute)
    assert renewed.status == ApplicationStatus.ALLOCATED
    with pytest.raises(DomainError, match="Fristen for at forny"):
        services.offer_accept(actor=people[1], application=second, now=too_late)
    assert _app(season, people[1]).status == ApplicationStatus.OFFERED  # nothing changed
    # Closing renewals before the deadline is refused; after it the plots are freed.
    with pytest.raises(DomainError):
        services.renewals_close(actor=SYSTEM, season=season, now=last_minute)
    assert services.renewals_close(actor=SYSTEM, season=season, now=too_late) == 2
    assert _app(season, people[1]).status == ApplicationStatus.NOT_RENEWED
    assert _app(season, people[1]).plot is None
    assert _app(season, people[0]).status == ApplicationStatus.ALLOCATED
    assert len(services.free_plots(season)) == 2


def test_lottery_waits_for_renewals_and_draws_only_free_plots(
    lottery_group: GreenGroup, make_user: Callable[..., User], org: Organisation, dept_a: Department
) -> None:
    users = [make_user(Role.RESIDENT, org, [dept_a]) for _ in range(5)]
    for user in users:
        services.member_join(actor=user, group=lottery_group)
    last = services.season_open(
        actor=SYSTEM, group=lottery_group, year=2025, deadline=date(2025, 3, 31)
    )
    for user in users[:2]:
        services.apply(actor=user, season=last, own_garden=False, now=_at(2025, 3, 1, 12))
    services.lottery_run(actor=SYSTEM, season=last, seed=7, now=_at(2025, 4, 1, 12))
    season = services.season_open(
        actor=SYSTEM,
        group=lottery_group,
        year=2026,
        deadline=date(2026, 4, 15),
        renewal_deadline=date(2026, 3, 31),
    )
    renewals = list(season.applications.filter(renewal=True).order_by("ticket"))
    assert len(renewals) == 2
    services.offer_accept(actor=renewals[0].user, application=renewals[0], now=_at(2026, 3, 2, 9))
    for user in users[2:]:
        services.apply(actor=user, season=season, own_garden=False, now=_at(2026, 4, 1, 9))
    result = services.lottery_run(actor=SYSTEM, season=season, seed=1, now=_at(2026, 4, 16, 9))
    # Three plots: one renewed, two free (one was not renewed): two winners among three.
    assert len(result.winners) == 2
    assert renewals[0].pk in {
        a.pk for a in season.applications.filter(status=ApplicationStatus.ALLOCATED)
    }
    assert _app(season, renewals[1].user).status == ApplicationStatus.NOT_RENEWED
    assert season.applications.filter(status=ApplicationStatus.ALLOCATED).count() == 3
    assert season.applications.filter(status=ApplicationStatus.WAITING).count() == 1


def test_renewal_deadline_before_application_deadline(lottery_group: GreenGroup) -> None:
    with pytest.raises(DomainError):
        services.season_open(
            actor=SYSTEM,
            group=lottery_group,
            year=2026,
            deadline=date(2026, 3, 1),
            renewal_deadline=date(2026, 3, 2),
        )
    assert not lottery_group.seasons.exists()


def test_give_back_reoffers_to_the_waitlist(group: GreenGroup, people: list[User]) -> None:
    season = _last_season(group, people)
    holder = _app(season, people[0])
    plot = holder.plot
    given, offer = services.plot_give_back(
        actor=people[0], application=holder, now=_at(2025, 6, 30, 23, 59)
    )
    assert given.status == ApplicationStatus.GIVEN_BACK
    assert given.plot is None
    assert offer is not None
    assert offer.user_id == people[3].pk
    assert offer.plot == plot
    assert offer.status == ApplicationStatus.OFFERED
    entry = AuditEntry.objects.filter(action="green.give_back").get()
    assert action_label("green.give_back") == "bed givet tilbage"
    assert entry.data["offered_to"] == offer.ticket
    with pytest.raises(Conflict):
        services.plot_give_back(actor=people[0], application=given)


def test_contact_takes_back_with_a_reason_others_may_not(
    group: GreenGroup, people: list[User], caretaker_contact: User, personas: dict[str, User]
) -> None:
    season = _last_season(group, people)
    holder = _app(season, people[1])
    for who in ("resident", "outsider", "neighbour"):
        with pytest.raises(Forbidden):
            services.plot_give_back(actor=personas[who], application=holder, reason="x")
    with pytest.raises(DomainError, match="Skriv, hvorfor"):
        services.plot_give_back(actor=caretaker_contact, application=holder, reason="  ")
    assert _app(season, people[1]).status == ApplicationStatus.ALLOCATED
    taken, offer = services.plot_give_back(
        actor=caretaker_contact, application=holder, reason="Ikke dyrket i år"
    )
    assert taken.status == ApplicationStatus.TAKEN_BACK
    assert taken.reason == "Ikke dyrket i år"
    assert offer is not None
    assert offer.user_id == people[3].pk


def test_give_back_with_no_one_waiting_frees_the_plot(
    group: GreenGroup, people: list[User]
) -> None:
    season = services.season_open(actor=SYSTEM, group=group, year=2026)
    services.apply(actor=people[0], season=season, own_garden=False)
    offer = services.offer_next(actor=SYSTEM, season=season)
    services.offer_accept(actor=people[0], application=offer)
    _given, again = services.plot_give_back(actor=people[0], application=_app(season, people[0]))
    assert again is None
    assert len(services.free_plots(season)) == 3


def test_declining_a_renewal_frees_the_plot_without_joining_the_waitlist(
    group: GreenGroup, people: list[User]
) -> None:
    group.decline_rule = DeclineRule.BOTTOM
    group.save()
    _last_season(group, people)
    season = services.season_open(
        actor=SYSTEM, group=group, year=2026, renewal_deadline=date(2026, 3, 31)
    )
    declined = services.offer_decline(actor=people[0], application=_app(season, people[0]))
    assert declined.status == ApplicationStatus.NOT_RENEWED
    assert declined.position is None
