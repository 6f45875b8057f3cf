"""/api/v1 endpoints of the bookings domain: houses, availability, bookings and approval.

Thin: each endpoint resolves what the caller may see through the permission module and the
booking selectors, then calls the booking service. Domain errors become JSON with the right
status (400 invalid, 403 not allowed, 404 not visible, 409 overlap with ``clash``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from lokalsamfund.bookings import selectors, services
from lokalsamfund.bookings.choices import BookingSource
from lokalsamfund.bookings.models import Booking, BookingClaim, Facility
from lokalsamfund.core.models import User

router = Router(tags=["bookings"])

MAX_AVAILABILITY_DAYS = 93
MAX_PENDING = 500
# A booking's rooms, with the rooms, in one query for any number of bookings.
_CLAIMS = Prefetch("claims", queryset=BookingClaim.objects.select_related("room"))


class RoomOut(Schema):
    name: str
    capacity: int


class FacilityOut(Schema):
    slug: str
    name: str
    address: str
    organisation: str
    department: str
    rooms: list[RoomOut]
    opens_at: str
    closes_at: str
    min_duration_minutes: int
    max_duration_minutes: int
    my_categories: list[str]


class BusyOut(Schema):
    room: str
    start: datetime
    end: datetime


class AvailabilityOut(Schema):
    facility: str
    start: datetime
    end: datetime
    busy: list[BusyOut]


class AvailabilityQuery(Schema):
    start: datetime = Field(description="ISO 8601 with offset")
    end: datetime = Field(description="ISO 8601 with offset")


class BookingIn(Schema):
    facility: str = Field(description="The house's slug", examples=["engparkens-faelleshus"])
    rooms: list[str] = Field(
        default_factory=list, description="Room names; or whole_house", examples=[["Salen"]]
    )
    whole_house: bool = False
    category: str | None = Field(None, description="Booker category; default: the first one")
    use_type: str = Field(examples=["community_activity"])
    # No example times: a fixed date would lie in the past one day (tests/api builds them).
    start: datetime = Field(description="ISO 8601 with offset")
    end: datetime = Field(description="ISO 8601 with offset")
    title: str = Field(max_length=200, examples=["Fællesspisning"])
    on_behalf_of: str | None = Field(None, description="E-mail of the person booked for (staff)")
    agreement: int | None = Field(None, description="Letting agreement id (external letting)")
    charges_participants: bool = False


class BookingOut(Schema):
    id: int
    facility: str
    rooms: list[str]
    whole_house: bool
    booker: str
    category: str
    use_type: str
    title: str
    start: datetime
    end: datetime
    status: str
    price: str
    price_rule: str
    price_basis: dict[str, Any]
    rejection_reason: str
    series: int | None


class ScopeIn(Schema):
    scope: Literal["this", "following"] = "this"


class RejectIn(ScopeIn):
    reason: str = Field(min_length=1, max_length=2000, examples=["Huset er lukket for maling."])


class ErrorOut(Schema):
    detail: str


class ConflictOut(Schema):
    detail: str
    clash: dict[str, str]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by the bearer authentication
    return user


def _booking_out(booking: Booking) -> BookingOut:
    if booking.claimed_rooms is not None:
        rooms = sorted(r.name for r in booking.claimed_rooms)
    else:
        prefetch_related_objects([booking], _CLAIMS)  # nothing to do when prefetched
        rooms = sorted(c.room.name for c in booking.claims.all())
    return BookingOut(
        id=booking.pk,
        facility=booking.facility.slug,
        rooms=rooms,
        whole_house=booking.whole_house,
        booker=booking.booker.email,
        category=booking.category,
        use_type=booking.use_type,
        title=booking.title,
        start=timezone.localtime(booking.starts_at),
        end=timezone.localtime(booking.ends_at),
        status=booking.status,
        price=str(booking.price),
        price_rule=booking.price_rule,
        price_basis=booking.price_basis,
        rejection_reason=booking.rejection_reason,
        series=booking.series_id,
    )


def _facility(request: HttpRequest, slug: str) -> Facility:
    return get_object_or_404(selectors.facilities_for(request.user), slug=slug)


def _booking(request: HttpRequest, booking_id: int) -> Booking:
    return get_object_or_404(selectors.bookings_visible_to(request.user), pk=booking_id)


@router.get("/facilities", response=list[FacilityOut], summary="Common houses the caller can see")
def facilities(request: HttpRequest) -> list[FacilityOut]:
    user = _user(request)
    result = []
    for f in selectors.facilities_for(user).prefetch_related("rooms").order_by("name"):
        result.append(
            FacilityOut(
                slug=f.slug,
                name=f.name,
                address=f.address,
                organisation=f.organisation.slug,
                department=f.department.code,
                rooms=[RoomOut(name=r.name, capacity=r.capacity) for r in f.rooms.all()],
                opens_at=f"{f.opens_at:%H:%M}",
                closes_at=f"{f.closes_at:%H:%M}",
                min_duration_minutes=f.min_duration_minutes,
                max_duration_minutes=f.max_duration_minutes,
                my_categories=[o.category for o in selectors.categories_for(user, f)],
            )
        )
    return result


@router.get(
    "/facilities/{slug}/availability",
    response={200: AvailabilityOut, 400: ErrorOut, 404: ErrorOut},
    summary="Busy times of a house's rooms (no personal data)",
)
def availability(
    request: HttpRequest, slug: str, query: Query[AvailabilityQuery]
) -> AvailabilityOut:
    facility = _facility(request, slug)
    selectors.check_period(start=query.start, end=query.end, max_days=MAX_AVAILABILITY_DAYS)
    busy = selectors.busy_intervals(facility=facility, start=query.start, end=query.end)
    return AvailabilityOut(
        facility=facility.slug,
        start=query.start,
        end=query.end,
        busy=[
            BusyOut(room=b.room, start=timezone.localtime(b.start), end=timezone.localtime(b.end))
            for b in busy
        ],
    )


@router.post(
    "/bookings",
    response={
        201: BookingOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
    },
    summary="Book rooms or the whole house",
)
def booking_create(request: HttpRequest, payload: BookingIn) -> Status:
    user = _user(request)
    facility = selectors.facility_for_booking(user, payload.facility)
    choice = selectors.rooms_for_booking(
        facility=facility, names=payload.rooms, whole_house=payload.whole_house
    )
    on_behalf_of = None
    if payload.on_behalf_of:
        on_behalf_of = services.resolve_on_behalf(
            actor=user, facility=facility, email=payload.on_behalf_of
        )
    agreement = None
    if payload.agreement is not None:
        agreement = selectors.agreement_of(facility=facility, agreement_id=payload.agreement)
    booking = services.booking_create(
        facility=facility,
        booker=user,
        start=payload.start,
        end=payload.end,
        title=payload.title,
        use_type=payload.use_type,
        category=payload.category,
        rooms=choice.requested,
        whole_house=choice.whole_house,
        on_behalf_of=on_behalf_of,
        agreement=agreement,
        charges_participants=payload.charges_participants,
        source=BookingSource.API,
    )
    return Status(201, _booking_out(booking))


@router.get(
    "/bookings/pending",
    response=list[BookingOut],
    summary="Requests awaiting the caller's approval",
)
def pending(request: HttpRequest) -> list[BookingOut]:
    bookings = list(selectors.pending_bookings_for(request.user)[:MAX_PENDING])
    prefetch_related_objects(bookings, _CLAIMS)
    return [_booking_out(b) for b in bookings]


@router.get("/bookings/{booking_id}", response={200: BookingOut, 400: ErrorOut, 404: ErrorOut})
def booking_detail(request: HttpRequest, booking_id: int) -> BookingOut:
    return _booking_out(_booking(request, booking_id))


@router.post(
    "/bookings/{booking_id}/cancel",
    response={200: list[BookingOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def booking_cancel(request: HttpRequest, booking_id: int, payload: ScopeIn) -> list[BookingOut]:
    booking = _booking(request, booking_id)
    done = services.booking_cancel(booking=booking, actor=_user(request), scope=payload.scope)
    return [_booking_out(b) for b in done]


@router.post(
    "/bookings/{booking_id}/approve",
    response={200: list[BookingOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def booking_approve(request: HttpRequest, booking_id: int, payload: ScopeIn) -> list[BookingOut]:
    booking = _booking(request, booking_id)
    done = services.booking_approve(booking=booking, actor=_user(request), scope=payload.scope)
    return [_booking_out(b) for b in done]


@router.post(
    "/bookings/{booking_id}/reject",
    response={200: list[BookingOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def booking_reject(request: HttpRequest, booking_id: int, payload: RejectIn) -> list[BookingOut]:
    booking = _booking(request, booking_id)
    done = services.booking_reject(
        booking=booking, actor=_user(request), reason=payload.reason, scope=payload.scope
    )
    return [_booking_out(b) for b in done]
