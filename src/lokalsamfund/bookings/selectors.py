"""Reads of the booking domain: effective policy and houses as booking reads them (from
``house_cache``), booker categories, visible houses and bookings, availability, and (from
``usage``) the usage figures the decision tool calls: ``facility_usage(*, facility, start,
end)`` and ``free_hours(*, facility, start, end)``. The yearly account is in ``reports``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, Membership, Role
from lokalsamfund.core.models import User as UserModel
from lokalsamfund.core.permissions import Perm

from .choices import BookerCategory, BookingStatus, UseType

# Houses and policies as booking reads them, cached per process (house_cache).
from .house_cache import facility_for_booking as facility_for_booking
from .house_cache import facility_with_rooms as facility_with_rooms
from .house_cache import policy_for as policy_for
from .house_cache import policy_from_profile as policy_from_profile
from .house_cache import policy_stamp as policy_stamp
from .models import (
    Booking,
    BookingClaim,
    Facility,
    FacilityCosts,
    LettingAgreement,
    Room,
)
from .policy import CATEGORIES, Policy

# The decision tool's contract, re-exported here (explicitly, by alias).
from .usage import FacilityUsage as FacilityUsage
from .usage import facility_usage as facility_usage
from .usage import free_hours as free_hours

if TYPE_CHECKING:
    from lokalsamfund.core.models import User

    AnyUser = User | AnonymousUser


# --- who books as what ------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryOption:
    """A category a person may book a house as, with the group it books for."""

    category: str
    department: Department | None = None
    neighbour_housing_id: int | None = None
    association_id: int | None = None

    @property
    def label(self) -> str:
        return str(BookerCategory(self.category).label)


def categories_for(person: AnyUser, facility: Facility) -> list[CategoryOption]:
    """The booker categories ``person``'s memberships give for ``facility``, in a fixed order.

    Residents (and board members) of the owning department book as ``resident``, of other
    departments as ``resident_other_department``; staff and the owning department's board as
    ``department``; neighbours and association contacts as such. Only roles that grant
    BOOK_FACILITY count. Reads the memberships the permission module caches per request.
    """
    if not person.is_authenticated or not person.is_active:
        return []
    options: dict[str, CategoryOption] = {}
    if person.is_superuser:
        options[BookerCategory.DEPARTMENT] = CategoryOption(
            BookerCategory.DEPARTMENT, facility.department
        )
    owning = facility.department_id
    for membership in permissions.memberships_in(person, facility.organisation_id):
        role = membership.role
        if Perm.BOOK_FACILITY not in permissions.ROLE_PERMISSIONS.get(role, frozenset()):
            continue
        departments = {d.pk: d for d in membership.departments.all()}
        ids = set(departments)
        if role in (Role.RESIDENT, Role.BOARD_MEMBER):
            if owning in ids:
                options.setdefault(
                    BookerCategory.RESIDENT,
                    CategoryOption(BookerCategory.RESIDENT, facility.department),
                )
                if role == Role.BOARD_MEMBER:
                    options.setdefault(
                        BookerCategory.DEPARTMENT,
                        CategoryOption(BookerCategory.DEPARTMENT, facility.department),
                    )
            others = sorted(ids - {owning})
            if others:
                options.setdefault(
                    BookerCategory.RESIDENT_OTHER_DEPARTMENT,
                    CategoryOption(
                        BookerCategory.RESIDENT_OTHER_DEPARTMENT, departments[others[0]]
                    ),
                )
        elif role in permissions.STAFF_ROLES:
            if not ids or owning in ids:
                options.setdefault(
                    BookerCategory.DEPARTMENT,
                    CategoryOption(BookerCategory.DEPARTMENT, facility.department),
                )
        elif role == Role.NEIGHBOUR:
            options.setdefault(
                BookerCategory.NEIGHBOUR,
                CategoryOption(
                    BookerCategory.NEIGHBOUR, neighbour_housing_id=membership.neighbour_housing_id
                ),
            )
        elif role == Role.ASSOCIATION:
            options.setdefault(
                BookerCategory.ASSOCIATION,
                CategoryOption(
                    BookerCategory.ASSOCIATION, association_id=membership.association_id
                ),
            )
    return [options[c] for c in CATEGORIES if c in options]


def use_types_offered(
    *, policy: Policy, options: Sequence[CategoryOption], on_behalf: bool
) -> list[str]:
    """The uses the booking form offers: those the policy allows for one of the booker's
    categories (and, for staff who book on behalf of residents, for residents). The service
    still refuses a use the chosen category may not book."""
    categories = [o.category for o in options]
    if on_behalf:
        categories.append(BookerCategory.RESIDENT)
    return [u for u in UseType.values if any(policy.rule(c, u).allowed for c in categories)]


def residents_for_on_behalf(facility: Facility) -> QuerySet[User]:
    """The residents of the house's department (and its board members), by name, each with
    the home recorded in the organisation: whom staff may book for from the booking page."""
    memberships = Membership.objects.filter(
        organisation_id=facility.organisation_id,
        role__in=[Role.RESIDENT, Role.BOARD_MEMBER],
        departments=facility.department_id,
    )
    home = memberships.filter(user=OuterRef("pk")).exclude(home="").values("home")[:1]
    return (
        UserModel.objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .annotate(home_label=Subquery(home))
        .order_by("full_name", "email")
    )


# --- houses and bookings a user may see ---------------------------------------------------------


def facilities_for(user: AnyUser) -> QuerySet[Facility]:
    """Houses of the organisations where the user has any role."""
    return Facility.objects.filter(
        organisation__in=permissions.organisations_for(user)
    ).select_related("organisation", "department")


# Who may book a house without being its residents: the houses they may book are shown to
# anonymous visitors (docs/bookings.md, "The public list of houses").
PUBLIC_CATEGORIES = (BookerCategory.NEIGHBOUR, BookerCategory.ASSOCIATION)


@dataclass(frozen=True)
class PublicHouse:
    """What an anonymous visitor sees of a house: never a booker or a booking."""

    facility: Facility
    rooms: list[Room]
    # (category label, use-type labels it may book, needs approval for any of them)
    open_to: list[tuple[str, list[str], bool]]


def public_facilities() -> list[PublicHouse]:
    """Active houses open for booking by neighbours or associations under their effective
    policy, with what each of them may book."""
    houses = []
    facilities = (
        Facility.objects.filter(is_active=True)
        .select_related("organisation", "department")
        .prefetch_related(Prefetch("rooms", queryset=Room.objects.order_by("name")))
        .order_by("organisation__name", "name")
    )
    for facility in facilities:
        policy = policy_for(facility)
        open_to = []
        for category in PUBLIC_CATEGORIES:
            rules = [policy.rule(category, use) for use in UseType.values]
            allowed = [r for r in rules if r.allowed]
            if allowed:
                open_to.append(
                    (
                        str(BookerCategory(category).label),
                        [str(UseType(r.use_type).label) for r in allowed],
                        any(r.needs_approval for r in allowed),
                    )
                )
        if open_to:
            houses.append(PublicHouse(facility, list(facility.rooms.all()), open_to))
    return houses


def staff_departments(user: AnyUser) -> QuerySet[Department]:
    """Departments where the user handles others' bookings (approves or books on behalf)."""
    return permissions.departments_for(user, Perm.APPROVE_BOOKINGS) | permissions.departments_for(
        user, Perm.BOOK_ON_BEHALF
    )


def bookings_visible_to(user: AnyUser) -> QuerySet[Booking]:
    """Own bookings (booked for or by the user) and those of houses the user handles."""
    if not user.is_authenticated:
        return Booking.objects.none()
    qs = Booking.objects.select_related("facility", "booker", "created_by", "agreement")
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(booker=user) | Q(created_by=user) | Q(facility__department__in=staff_departments(user))
    )


def cancellation_deadline(booking: Booking) -> datetime:
    """Until when the booker may change or cancel the booking themselves (staff: always)."""
    terms = policy_for(booking.facility).terms_for(booking.category)
    return booking.starts_at - timedelta(hours=terms.cancellation_hours)


def pending_bookings_for(user: AnyUser) -> QuerySet[Booking]:
    """Requests the user may approve, oldest first."""
    return (
        Booking.objects.filter(
            status=BookingStatus.PENDING,
            facility__department__in=permissions.departments_for(user, Perm.APPROVE_BOOKINGS),
        )
        .select_related("facility", "booker", "agreement", "series")
        .order_by("starts_at", "id")
    )


def agreements_due_for_renewal(user: AnyUser, today: date | None = None) -> list[LettingAgreement]:
    today = today or timezone.localdate()
    agreements = LettingAgreement.objects.filter(
        facility__department__in=permissions.departments_for(user, Perm.APPROVE_BOOKINGS)
    ).select_related("facility")
    return [a for a in agreements if a.renewal_due(today)]


def upcoming_bookings_of(user: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(Q(booker=user) | Q(created_by=user))
        .filter(ends_at__gte=timezone.now())
        .select_related("facility")
        .order_by("starts_at")
    )


# --- availability -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BusyInterval:
    room: str
    start: datetime
    end: datetime
    pending: bool


def busy_intervals(*, facility: Facility, start: datetime, end: datetime) -> list[BusyInterval]:
    """Busy times of each room between ``start`` and ``end``: no names, no titles."""
    claims = (
        BookingClaim.objects.filter(
            room__facility=facility, active=True, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("room", "booking")
        .order_by("starts_at", "room__name")
    )
    return [
        BusyInterval(c.room.name, c.starts_at, c.ends_at, c.booking.status == BookingStatus.PENDING)
        for c in claims
    ]


def costs_for(facility: Facility, year: int) -> FacilityCosts | None:
    """The costs entered for ``year``, else the latest earlier year's."""
    return facility.costs.filter(year__lte=year).order_by("-year").first()


@dataclass(frozen=True)
class DayOverview:
    day: date
    busy: list[BusyInterval]


def week_overview(*, facility: Facility, first_day: date, days: int = 7) -> list[DayOverview]:
    """Busy times per day for the public availability page (no personal data)."""
    start = timezone.make_aware(datetime.combine(first_day, dtime()))
    end = timezone.make_aware(datetime.combine(first_day + timedelta(days=days), dtime()))
    busy = busy_intervals(facility=facility, start=start, end=end)
    overview = []
    for n in range(days):
        day = first_day + timedelta(days=n)
        day_start = timezone.make_aware(datetime.combine(day, dtime()))
        day_end = timezone.make_aware(datetime.combine(day + timedelta(days=1), dtime()))
        overview.append(
            DayOverview(day, [b for b in busy if b.start < day_end and b.end > day_start])
        )
    return overview


def check_period(*, start: datetime, end: datetime, max_days: int) -> None:
    """A period asked for (availability): with offsets, in order, not too long."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise DomainError(_("start and end must be ISO 8601 with offset."))
    if end <= start:
        raise DomainError(_("end must be after start."))
    if end - start > timedelta(days=max_days):
        raise DomainError(_("Ask for at most %(days)d days at a time.") % {"days": max_days})


@dataclass(frozen=True)
class RoomChoice:
    """The rooms a booking asks for: ``requested`` goes to the booking service (empty for the
    whole house), ``rooms`` is what the booking claims."""

    whole_house: bool
    requested: list[Room]
    rooms: list[Room]


def rooms_for_booking(*, facility: Facility, names: Sequence[str], whole_house: bool) -> RoomChoice:
    """The one way the booking page and the API read the rooms asked for (by name): the whole
    house, or named rooms of this house (a name given twice counts once). Raises DomainError
    naming what was wrong."""
    by_name = {r.name: r for r in facility.rooms.all()}
    wanted = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    if whole_house:
        if wanted:
            raise DomainError(_("Choose either the whole house or some rooms, not both."))
        return RoomChoice(True, [], sorted(by_name.values(), key=lambda r: r.pk))
    if not wanted:
        raise DomainError(_("Choose the whole house or at least one room."))
    rooms = []
    for name in wanted:
        if name not in by_name:
            raise DomainError(
                _("rooms: %(house)s has no room named %(name)s.")
                % {"house": facility.name, "name": name}
            )
        rooms.append(by_name[name])
    return RoomChoice(False, rooms, rooms)


def letting_agreements_for(
    *, facility: Facility, person: AnyUser, options: Sequence[CategoryOption], staff: bool
) -> QuerySet[LettingAgreement]:
    """The house's letting agreements a booker may choose: those whose party they are (an
    association they are a contact of, or themselves). Staff, who book on behalf of the
    party, see every agreement that names one; the service checks the party either way."""
    agreements = facility.letting_agreements.all().order_by("counterparty", "pk")
    if staff:
        return agreements.filter(Q(association__isnull=False) | Q(person__isnull=False))
    associations = [o.association_id for o in options if o.association_id is not None]
    return agreements.filter(
        Q(association_id__in=associations) | Q(association__isnull=True, person_id=person.pk)
    )


def agreement_of(*, facility: Facility, agreement_id: int) -> LettingAgreement:
    agreement = LettingAgreement.objects.filter(pk=agreement_id, facility=facility).first()
    if agreement is None:
        raise DomainError(_("agreement: no such letting agreement for this house."))
    return agreement
