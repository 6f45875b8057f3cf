from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from lokalsamfund.core.audit import action_label
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import AuditEntry, Department, Membership, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import rules, selectors, services
from lokalsamfund.green.models import ApplicationStatus, DeclineRule, GreenGroup, Season

# Scenarios on given dates (e.g. a season of weekly dinners from 11 June 2026): the default moment.
pytestmark = pytest.mark.scenario_moment


AFTER_DEADLINE = datetime(2026, 6, 21, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


def _resident(
    make_user: Callable[..., User], org: Organisation, dept: Department, home: str = ""
) -> User:
    user = make_user(Role.RESIDENT, org, [dept])
    if home:
        membership = Membership.objects.get(user=user)
        membership.home = home
        membership.save()
    return user


def test_who_may_join(
    group: GreenGroup, lottery_group: GreenGroup, personas: dict[str, User], caretaker_contact: User
) -> None:
    # A closed group: the department's residents and staff, not neighbours or other orgs.
    assert rules.may_join(personas["resident"], group)
    assert rules.may_join(personas["board_member"], group)
    assert rules.may_join(personas["coordinator"], group)
    assert not rules.may_join(personas["neighbour"], group)
    assert not rules.may_join(personas["association"], group)
    assert not rules.may_join(personas["outsider"], group)
    assert not rules.may_join(personas["no_role"], group)
    # Open to neighbours.
    assert rules.may_join(personas["neighbour"], lottery_group)
    # Who runs it: the contact, coordinators, caretakers of its departments; not residents.
    assert rules.may_manage(caretaker_contact, group)
    assert rules.may_manage(personas["coordinator"], group)
    assert rules.may_manage(personas["caretaker"], group)
    assert rules.may_manage(personas["admin"], group)
    assert not rules.may_manage(personas["resident"], group)
    assert not rules.may_manage(personas["outsider"], group)


def test_join_leave_audited(group: GreenGroup, resident: User, neighbour: User) -> None:
    services.member_join(actor=resident, group=group)
    assert rules.is_member(resident, group)
    services.member_leave(actor=resident, group=group)
    assert not rules.is_member(resident, group)
    actions = list(
        AuditEntry.objects.filter(actor=resident).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["green.join", "green.leave"]
    assert action_label("green.join") == "meldt ind i et grønt fællesskab"
    with pytest.raises(Forbidden):
        services.member_join(actor=neighbour, group=group)
    with pytest.raises(DomainError):
        services.member_leave(actor=resident, group=group)


def test_group_create_needs_manage(
    org: Organisation, dept_a: Department, resident: User, caretaker: User
) -> None:
    with pytest.raises(Forbidden):
        services.group_create(
            actor=resident, organisation=org, departments=[dept_a], name="X", kind="bees"
        )
    group = services.group_create(
        actor=caretaker, organisation=org, departments=[dept_a], name="X", kind="bees"
    )
    assert AuditEntry.objects.filter(action="green.group_create", object_id=str(group.pk)).exists()


def test_waitlist_offer_accept_decline_to_bottom(
    group: GreenGroup,
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
    caretaker_contact: User,
) -> None:
    season = services.season_open(actor=caretaker_contact, group=group, year=2026)
    people = [_resident(make_user, org, dept_a) for _ in range(4)]
    for person in people:
        services.member_join(actor=person, group=group)
        services.apply(actor=person, season=season, own_garden=False)
    apps = [selectors.my_application(p, season) for p in people]
    assert [selectors.place_of(a).place for a in apps if a] == [1, 2, 3, 4]
    offered = services.offer_next(actor=caretaker_contact, season=season)
    assert offered.user == people[0]
    services.offer_decline(actor=people[0], application=offered)
    declined = selectors.my_application(people[0], season)
    assert declined is not None
    assert declined.status == ApplicationStatus.WAITING
    assert selectors.place_of(declined).place == 4  # to the bottom
    offered = services.offer_next(actor=caretaker_contact, season=season)
    assert offered.user == people[1]
    with pytest.raises(Forbidden):
        services.offer_accept(actor=people[2], application=offered)
    services.offer_accept(actor=people[1], application=offered)
    offered.refresh_from_db()
    assert offered.status == ApplicationStatus.ALLOCATED


def test_decline_keeps_place(
    make_group: Callable[..., GreenGroup],
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
) -> None:
    group = make_group(decline_rule=DeclineRule.KEEP)
    season = services.season_open(actor=SYSTEM, group=group, year=2026)
    people = [_resident(make_user, org, dept_a) for _ in range(2)]
    for person in people:
        services.member_join(actor=person, group=group)
        services.apply(actor=person, season=season, own_garden=False)
    offered = services.offer_next(actor=SYSTEM, season=season)
    services.offer_decline(actor=people[0], application=offered)
    offered.refresh_from_db()
    assert (offered.status, offered.position) == (ApplicationStatus.DECLINED, 1)
    assert services.offer_next(actor=SYSTEM, season=season).user == people[1]


def test_one_plot_per_household_on_waitlist(
    group: GreenGroup, make_user: Callable[..., User], org: Organisation, dept_a: Department
) -> None:
    season = services.season_open(actor=SYSTEM, group=group, year=2026)
    a = _resident(make_user, org, dept_a, home="Engparken 3, st.")
    b = _resident(make_user, org, dept_a, home="engparken 3,  ST.")
    c = _resident(make_user, org, dept_a)
    for person in (a, b, c):
        services.member_join(actor=person, group=group)
        services.apply(actor=person, season=season, own_garden=False)
    assert services.offer_next(actor=SYSTEM, season=season).user == a
    assert services.offer_next(actor=SYSTEM, season=season).user == c  # b shares a's home
    with pytest.raises(Conflict):
        services.offer_next(actor=SYSTEM, season=season)


def test_apply_needs_membership_and_only_once(
    group: GreenGroup, resident: User, member: User
) -> None:
    season = services.season_open(actor=SYSTEM, group=group, year=2026)
    with pytest.raises(Forbidden):
        services.apply(actor=resident, season=season, own_garden=False)
    services.apply(actor=member, season=season, own_garden=False)
    with pytest.raises(Conflict):
        services.apply(actor=member, season=season, own_garden=False)


def test_lottery(
    lottery_group: GreenGroup,
    lottery_season: Season,
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
    neighbour: User,
    caretaker_contact: User,
    resident: User,
) -> None:
    people = [_resident(make_user, org, dept_a) for _ in range(3)]
    for person in [neighbour, *people]:
        services.member_join(actor=person, group=lottery_group)
        services.apply(actor=person, season=lottery_season, own_garden=False)
    with pytest.raises(DomainError, match="ansøgningsfristen er udløbet"):
        services.lottery_run(actor=caretaker_contact, season=lottery_season)
    with pytest.raises(Forbidden):
        services.lottery_run(actor=resident, season=lottery_season, now=AFTER_DEADLINE)
    services.member_join(actor=resident, group=lottery_group)
    with pytest.raises(DomainError, match="Ansøgningsfristen er overskredet"):
        services.apply(actor=resident, season=lottery_season, own_garden=False, now=AFTER_DEADLINE)
    result = services.lottery_run(
        actor=caretaker_contact, season=lottery_season, seed=7, now=AFTER_DEADLINE
    )
    lottery_season.refresh_from_db()
    assert lottery_season.seed == 7
    assert lottery_season.draw == result.draw
    # Three plots, three residents: residents come before the neighbour.
    waiting = selectors.my_application(neighbour, lottery_season)
    assert waiting is not None
    assert waiting.status == ApplicationStatus.WAITING
    assert selectors.place_of(waiting).place == 1
    assert all(
        (a := selectors.my_application(p, lottery_season))
        and a.status == ApplicationStatus.ALLOCATED
        for p in people
    )
    with pytest.raises(Conflict):
        services.lottery_run(actor=caretaker_contact, season=lottery_season, now=AFTER_DEADLINE)
    entry = AuditEntry.objects.get(action="green.lottery")
    assert entry.data["seed"] == 7


def test_lottery_needs_deadline(lottery_group: GreenGroup) -> None:
    with pytest.raises(DomainError):
        services.season_open(actor=SYSTEM, group=lottery_group, year=2027)
