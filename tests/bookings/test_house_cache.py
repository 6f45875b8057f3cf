"""The per-process cache of houses (rooms, fixed slots, organisation, department, policy): a
change applies to the next booking however it was made, also when the booking holds a copy
read before the change (the revision is checked again under the house's lock)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from lokalsamfund.bookings import selectors
from lokalsamfund.bookings.models import Booking, Facility, FixedSlot, PolicyProfile, Room
from lokalsamfund.bookings.services import (
    booking_create,
    checks,
    policy_profile_install_default,
)
from lokalsamfund.core.errors import DomainError, NotFound
from lokalsamfund.core.models import Organisation, User
from lokalsamfund.core.permissions import SYSTEM

pytestmark = pytest.mark.django_db

At = Callable[..., datetime]


def whole_house(facility: Facility, booker: User, start: datetime, end: datetime) -> Booking:
    return booking_create(
        facility=facility,
        booker=booker,
        start=start,
        end=end,
        title="Fællesspisning",
        use_type="community_activity",
        whole_house=True,
    )


def claimed(booking: Booking) -> set[str]:
    return set(booking.claims.values_list("room__name", flat=True))


def test_a_cached_house_costs_one_small_query(facility: Facility, coordinator: User) -> None:
    selectors.facility_for_booking(coordinator, facility.slug)
    with CaptureQueriesContext(connection) as ctx:
        house = selectors.facility_for_booking(coordinator, facility.slug)
        names = [r.name for r in house.rooms.all()]
        slots = list(house.fixed_slots.all())
        organisation = house.organisation.name
    assert len(ctx.captured_queries) == 1
    assert names == ["Mødelokalet", "Salen"]
    assert slots == []
    assert organisation == facility.organisation.name


def test_only_houses_of_the_users_organisations(
    facility: Facility, outsider: User, no_role_user: User, admin_user: User
) -> None:
    assert selectors.facility_for_booking(admin_user, facility.slug).pk == facility.pk
    for user in (outsider, no_role_user):
        with pytest.raises(Http404):
            selectors.facility_for_booking(user, facility.slug)
    with pytest.raises(Http404):
        selectors.facility_for_booking(admin_user, "no-such-house")


def test_a_room_added_after_the_read_is_claimed_by_the_whole_house(
    facility: Facility, coordinator: User, at: At
) -> None:
    stale = selectors.facility_for_booking(coordinator, facility.slug)
    Room.objects.create(facility=facility, name="Køkkenet")
    booking = whole_house(stale, coordinator, at(3, 17), at(3, 20))
    assert claimed(booking) == {"Salen", "Mødelokalet", "Køkkenet"}
    fresh = selectors.facility_for_booking(coordinator, facility.slug)
    assert {r.name for r in fresh.rooms.all()} == {"Salen", "Mødelokalet", "Køkkenet"}


def test_bulk_created_rooms_are_claimed_too(facility: Facility, coordinator: User, at: At) -> None:
    stale = selectors.facility_for_booking(coordinator, facility.slug)
    Room.objects.bulk_create([Room(facility=facility, name="Værkstedet")])
    assert "Værkstedet" in claimed(whole_house(stale, coordinator, at(3, 17), at(3, 20)))


def test_bulk_updates_and_deletes_renew_the_house(facility: Facility, coordinator: User) -> None:
    selectors.facility_for_booking(coordinator, facility.slug)
    Room.objects.filter(facility=facility, name="Salen").update(name="Storsalen")
    house = selectors.facility_for_booking(coordinator, facility.slug)
    assert {r.name for r in house.rooms.all()} == {"Storsalen", "Mødelokalet"}
    Room.objects.filter(facility=facility, name="Storsalen").delete()
    house = selectors.facility_for_booking(coordinator, facility.slug)
    assert {r.name for r in house.rooms.all()} == {"Mødelokalet"}


def test_a_new_fixed_slot_applies_to_a_copy_read_before(
    facility: Facility, coordinator: User, at: At
) -> None:
    stale = selectors.facility_for_booking(coordinator, facility.slug)
    FixedSlot.objects.create(
        facility=facility,
        use_type="community_activity",
        label="Aften",
        starts_at=time(18, 0),
        duration_hours=4,
    )
    with pytest.raises(DomainError) as caught:
        whole_house(stale, coordinator, at(3, 17), at(3, 20))
    assert "Aften" in caught.value.message
    FixedSlot.objects.filter(facility=facility).delete()
    assert whole_house(stale, coordinator, at(3, 17), at(3, 20)).pk


def test_a_house_closed_by_a_bulk_update_refuses_at_once(
    facility: Facility, coordinator: User, at: At
) -> None:
    stale = selectors.facility_for_booking(coordinator, facility.slug)
    Facility.objects.filter(pk=facility.pk).update(is_active=False)
    with pytest.raises(DomainError) as caught:
        whole_house(stale, coordinator, at(3, 17), at(3, 20))
    assert "not open" in caught.value.message or "ikke åbent" in caught.value.message
    assert not Booking.objects.exists()


def test_a_renamed_organisation_is_seen(
    facility: Facility, org: Organisation, coordinator: User
) -> None:
    selectors.facility_for_booking(coordinator, facility.slug)
    org.name = "Boligselskabet Nyt Navn"
    org.save()
    house = selectors.facility_for_booking(coordinator, facility.slug)
    assert house.organisation.name == "Boligselskabet Nyt Navn"


def test_api_whole_house_claims_a_room_added_between_requests(
    api_for: Callable[[User | None], Any], facility: Facility, coordinator: User, at: At
) -> None:
    api = api_for(coordinator)

    def post(day: int) -> Any:
        return api.post(
            "/api/v1/bookings",
            {
                "facility": facility.slug,
                "whole_house": True,
                "use_type": "community_activity",
                "start": at(day, 17).isoformat(),
                "end": at(day, 20).isoformat(),
                "title": "Fællesspisning",
            },
        )

    assert post(3).status_code == 201
    Room.objects.create(facility=facility, name="Køkkenet")
    response = post(4)
    assert response.status_code == 201
    assert set(response.json()["rooms"]) == {"Salen", "Mødelokalet", "Køkkenet"}


def test_a_deleted_house_is_not_found(facility: Facility, coordinator: User) -> None:
    house = selectors.facility_for_booking(coordinator, facility.slug)
    Facility.objects.filter(pk=house.pk).delete()
    with pytest.raises(NotFound):
        selectors.facility_with_rooms(house.pk)
    with pytest.raises(Http404):
        selectors.facility_for_booking(coordinator, facility.slug)


def test_a_house_that_keeps_changing_gives_a_clear_error(
    facility: Facility, coordinator: User, at: At, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_changed(facility_id: int, revision: Any = None) -> None:
        raise checks.FacilityChanged

    monkeypatch.setattr(checks, "lock_house", always_changed)
    with pytest.raises(DomainError) as caught:
        whole_house(facility, coordinator, at(3, 17), at(3, 20))
    assert facility.name in caught.value.message
    assert not Booking.objects.exists()


def test_a_refused_api_attempt_reads_three_rows_once_warm(
    api_for: Callable[[User | None], Any], facility: Facility, coordinator: User, at: At
) -> None:
    api = api_for(coordinator)
    payload = {
        "facility": facility.slug,
        "whole_house": True,
        "use_type": "community_activity",
        "start": at(3, 17).isoformat(),
        "end": at(3, 20).isoformat(),
        "title": "Fællesspisning",
    }
    assert api.post("/api/v1/bookings", payload).status_code == 201
    with CaptureQueriesContext(connection) as ctx:
        response = api.post("/api/v1/bookings", payload)
    assert response.status_code == 409
    # The token with its user, the house's row, the clash: no memberships, rooms or policy.
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in ctx.captured_queries]
    assert tables == ['"core_apitoken"', '"bookings_facility"', '"bookings_bookingclaim"']


@pytest.mark.parametrize("part", ["room", "slot"])
def test_a_room_or_slot_moved_to_another_house_leaves_both_true(
    facility: Facility, coordinator: User, org: Organisation, at: At, part: str
) -> None:
    other = Facility.objects.create(
        organisation=org, department=facility.department, slug="andet-hus", name="Andet hus"
    )
    moved: Room | FixedSlot
    if part == "room":
        moved = Room.objects.get(facility=facility, name="Salen")
    else:
        moved = FixedSlot.objects.create(
            facility=facility,
            use_type="community_activity",
            label="Fest",
            starts_at=time(10),
            duration_hours=26,
        )
    selectors.facility_for_booking(coordinator, facility.slug)
    selectors.facility_for_booking(coordinator, other.slug)
    moved.facility = other
    moved.save()
    house = selectors.facility_for_booking(coordinator, facility.slug)
    booking = whole_house(house, coordinator, at(3, 17), at(3, 20))  # no slot binds it now
    assert claimed(booking) == ({"Mødelokalet"} if part == "room" else {"Salen", "Mødelokalet"})
    there = selectors.facility_for_booking(coordinator, other.slug)
    if part == "room":
        assert [r.name for r in there.rooms.all()] == ["Salen"]
    else:
        assert [s.label for s in there.fixed_slots.all()] == ["Fest"]


def test_a_change_that_rolls_back_is_not_cached(
    facility: Facility,
    org: Organisation,
    coordinator: User,
    rolled_back: Callable[[Callable[[], object]], None],
) -> None:
    profile = policy_profile_install_default(organisation=org, actor=SYSTEM)
    rule = profile.rules.get(category="resident", use_type="private_event")
    assert rule.allowed

    def forbid() -> None:
        rule.allowed = False
        rule.save()
        house = selectors.facility_for_booking(coordinator, facility.slug)
        assert not selectors.policy_for(house).rule("resident", "private_event").allowed

    rolled_back(forbid)
    house = selectors.facility_for_booking(coordinator, facility.slug)
    assert selectors.policy_for(house).rule("resident", "private_event").allowed


def test_a_default_profile_moved_or_unset_stops_applying(
    facility: Facility, org: Organisation, other_org: Organisation, coordinator: User
) -> None:
    profile = policy_profile_install_default(organisation=org, actor=SYSTEM)
    house = selectors.facility_for_booking(coordinator, facility.slug)
    assert selectors.policy_for(house).profile_id == profile.pk
    PolicyProfile.objects.filter(organisation=org).update(is_organisation_default=False)
    house = selectors.facility_for_booking(coordinator, facility.slug)
    assert selectors.policy_for(house).profile_id is None  # the shipped default
    PolicyProfile.objects.filter(pk=profile.pk).update(is_organisation_default=True)
    house = selectors.facility_for_booking(coordinator, facility.slug)
    assert selectors.policy_for(house).profile_id == profile.pk
    profile.refresh_from_db()
    profile.organisation = other_org
    profile.save()
    house = selectors.facility_for_booking(coordinator, facility.slug)
    assert selectors.policy_for(house).profile_id is None
