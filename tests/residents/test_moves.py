"""Moves out: the resident memberships whose home is the tenancy end, unused activation
codes are voided, future resident bookings are cancelled (past ones stay); a changed
address moves the residents' home with it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lokalsamfund.bookings.choices import BookerCategory, BookingStatus, UseType
from lokalsamfund.bookings.models import Booking, BookingClaim, Facility, Room
from lokalsamfund.bookings.services import booking_create
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Membership, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.residents import services
from lokalsamfund.residents.models import ActivationCode, Tenancy


@pytest.fixture
def ida(make_user: Callable[..., User], org: Organisation, tenancies: list[Tenancy]) -> User:
    """A resident of tenancy 1-0001 (activated by letter)."""
    [(_tenancy, code)] = services.activation_letters_issue(actor=SYSTEM, tenancies=tenancies[:1])
    found = services.activation_code_lookup(code=code, client="192.0.2.1")
    return services.activation_complete(
        code_id=found.pk, user=None, full_name="Ida", email="ida@eksempel.dk", password="x"
    )


def test_moving_out_ends_the_home_s_memberships_and_voids_codes(
    ida: User, tenancies: list[Tenancy], org: Organisation, admin_user: User
) -> None:
    tenancy = tenancies[0]
    unused = services.activation_letters_issue(actor=SYSTEM, tenancies=[tenancies[0]])
    assert Membership.objects.filter(user=ida, role=Role.RESIDENT).exists()
    ended = services.tenancy_move_out(actor=admin_user, tenancy=tenancy)
    assert ended == 1
    assert not Membership.objects.filter(user=ida, organisation=org).exists()
    assert User.objects.filter(pk=ida.pk).exists()  # the account stays, without the home
    assert unused
    assert not ActivationCode.objects.filter(
        tenancy=tenancy, used_at__isnull=True, voided_at__isnull=True
    ).exists()
    tenancy.refresh_from_db()
    assert tenancy.moved_out == timezone.localdate()


def test_other_homes_are_not_touched(
    ida: User, tenancies: list[Tenancy], make_user: Callable[..., User], org: Organisation
) -> None:
    neighbour_home = make_user(Role.RESIDENT, org)
    Membership.objects.filter(user=neighbour_home).update(home=tenancies[1].home)
    services.tenancy_move_out(actor=SYSTEM, tenancy=tenancies[1])
    assert Membership.objects.filter(user=ida, role=Role.RESIDENT).exists()
    assert not Membership.objects.filter(user=neighbour_home).exists()


def test_future_resident_bookings_are_cancelled_and_past_ones_kept(
    ida: User, tenancies: list[Tenancy], org: Organisation
) -> None:
    facility = Facility.objects.create(
        organisation=org,
        department=tenancies[0].department,
        slug="hus",
        name="Huset",
        opens_at=time(7, 0),
        closes_at=time(0, 0),
    )
    Room.objects.create(facility=facility, name="Salen", capacity=40)
    first = (timezone.localdate().replace(day=28) + timedelta(days=4)).replace(day=1)
    start = timezone.make_aware(datetime.combine(first + timedelta(days=3), time(12)))
    future = booking_create(
        facility=facility,
        booker=ida,
        start=start,
        end=start + timedelta(hours=3),
        title="Fødselsdag",
        use_type=UseType.PRIVATE_EVENT,
        whole_house=True,
    )
    assert future.category == BookerCategory.RESIDENT
    past = Booking.objects.create(
        facility=facility,
        whole_house=True,
        booker=ida,
        created_by=ida,
        category=BookerCategory.RESIDENT,
        use_type=UseType.PRIVATE_EVENT,
        title="Sidste uge",
        starts_at=timezone.now() - timedelta(days=7),
        ends_at=timezone.now() - timedelta(days=7) + timedelta(hours=3),
        status=BookingStatus.CONFIRMED,
    )
    services.tenancy_move_out(actor=SYSTEM, tenancy=tenancies[0])
    past.refresh_from_db()
    future.refresh_from_db()
    assert past.status == BookingStatus.CONFIRMED
    assert future.status == BookingStatus.CANCELLED
    assert not BookingClaim.objects.filter(booking=future, active=True).exists()


def test_moving_out_by_import_does_the_same(
    ida: User, tenancies: list[Tenancy], import_file: Callable[..., object], org: Organisation
) -> None:
    import_file("A1;Ærtebjergvej 3, 1. tv.;1-0002;;")  # 1-0001 is missing from A1's full list
    assert not Membership.objects.filter(user=ida, organisation=org).exists()


def test_a_new_address_moves_the_residents_home_along(
    ida: User, tenancies: list[Tenancy], import_file: Callable[..., object], dept_b: object
) -> None:
    import_file("B1;Ærtebjergvej 3A, st. th.;1-0001;;", full_list=False)
    membership = Membership.objects.get(user=ida, role=Role.RESIDENT)
    assert membership.home == "Ærtebjergvej 3A, st. th. (1-0001)"
    assert [d.code for d in membership.departments.all()] == ["B1"]


def test_moving_out_by_hand_checks_rights_and_dates(
    tenancies: list[Tenancy], caretaker: User, outsider: User, coordinator: User
) -> None:
    tenancy = tenancies[0]
    for person in (caretaker, outsider):
        with pytest.raises(PermissionDenied):
            services.tenancy_move_out(actor=person, tenancy=tenancy)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError, match="i fremtiden"):
        services.tenancy_move_out(actor=coordinator, tenancy=tenancy, moved_out=tomorrow)
    assert Tenancy.objects.get(pk=tenancy.pk).moved_out is None
    services.tenancy_move_out(actor=coordinator, tenancy=tenancy)
    with pytest.raises(DomainError, match="allerede fraflyttet"):
        services.tenancy_move_out(actor=coordinator, tenancy=tenancy)
