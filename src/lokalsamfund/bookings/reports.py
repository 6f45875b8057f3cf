"""Usage figures (for the decision tool) and the yearly account of a house (selectors).

``facility_usage`` and ``free_hours`` are the contract with the decision tool: keep their
names and signatures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import (
    ACTIVE_STATUSES,
    CROSS_OWNERSHIP_CATEGORIES,
    BookerCategory,
    BookingStatus,
    UseType,
)
from .models import Booking, Facility, FacilityCosts
from .policy import CATEGORIES, USE_TYPES
from .pricing import elapsed_seconds
from .selectors import policy_for
from .timeline import Interval, clip, intersect_hours, merge, total_hours


@dataclass(frozen=True)
class FacilityUsage:
    """How a house was used in a period (confirmed bookings, hours clipped to the period)."""

    facility_id: int
    start: datetime
    end: datetime
    bookings: int
    booked_hours: float
    hours_by_category: dict[str, float]
    hours_by_use_type: dict[str, float]
    community_share: float  # community-activity hours / booked hours (0 when none)
    distinct_user_groups: int  # departments, neighbour housings, associations that booked
    cross_ownership_bookings: int  # bookings by neighbours and associations
    cross_ownership_hours: float
    cross_ownership_share: float


def _group_key(booking: Booking) -> tuple[str, int | None]:
    if booking.category in (BookerCategory.RESIDENT, BookerCategory.RESIDENT_OTHER_DEPARTMENT):
        return ("department", booking.department_id)
    if booking.category == BookerCategory.NEIGHBOUR:
        return ("neighbour_housing", booking.neighbour_housing_id or -booking.booker_id)
    if booking.category == BookerCategory.ASSOCIATION:
        return ("association", booking.association_id or -booking.booker_id)
    return ("department_itself", booking.department_id)


def facility_usage(*, facility: Facility, start: datetime, end: datetime) -> FacilityUsage:
    """Booked hours by category and use type, community share, distinct user groups and
    cross-ownership use of ``facility`` between ``start`` and ``end``."""
    bookings = Booking.objects.filter(
        facility=facility,
        status=BookingStatus.CONFIRMED,
        starts_at__lt=end,
        ends_at__gt=start,
    ).only(
        "starts_at",
        "ends_at",
        "category",
        "use_type",
        "department_id",
        "neighbour_housing_id",
        "association_id",
        "booker_id",
    )
    by_category: dict[str, float] = dict.fromkeys(CATEGORIES, 0.0)
    by_use: dict[str, float] = dict.fromkeys(USE_TYPES, 0.0)
    groups: set[tuple[str, int | None]] = set()
    count = cross_count = 0
    for booking in bookings:
        part = clip((booking.starts_at, booking.ends_at), start, end)
        if part is None:
            continue
        hours = elapsed_seconds(part[0], part[1]) / 3600
        by_category[booking.category] = by_category.get(booking.category, 0.0) + hours
        by_use[booking.use_type] = by_use.get(booking.use_type, 0.0) + hours
        groups.add(_group_key(booking))
        count += 1
        if booking.category in CROSS_OWNERSHIP_CATEGORIES:
            cross_count += 1
    booked = sum(by_category.values())
    cross = sum(by_category[c] for c in CROSS_OWNERSHIP_CATEGORIES)
    return FacilityUsage(
        facility_id=facility.pk,
        start=start,
        end=end,
        bookings=count,
        booked_hours=round(booked, 2),
        hours_by_category={k: round(v, 2) for k, v in by_category.items()},
        hours_by_use_type={k: round(v, 2) for k, v in by_use.items()},
        community_share=round(by_use[UseType.COMMUNITY_ACTIVITY] / booked, 4) if booked else 0.0,
        distinct_user_groups=len(groups),
        cross_ownership_bookings=cross_count,
        cross_ownership_hours=round(cross, 2),
        cross_ownership_share=round(cross / booked, 4) if booked else 0.0,
    )


def opening_windows(facility: Facility, start: datetime, end: datetime) -> list[Interval]:
    """The house's opening hours as aware intervals within ``start``..``end``."""
    windows: list[Interval] = []
    day = timezone.localtime(start).date() - timedelta(days=1)
    last = timezone.localtime(end).date()
    overnight = facility.closes_at <= facility.opens_at
    while day <= last:
        opens = timezone.make_aware(datetime.combine(day, facility.opens_at))
        close_day = day + timedelta(days=1) if overnight else day
        closes = timezone.make_aware(datetime.combine(close_day, facility.closes_at))
        part = clip((opens, closes), start, end)
        if part is not None:
            windows.append(part)
        day += timedelta(days=1)
    return merge(windows)


def free_hours(*, facility: Facility, start: datetime, end: datetime) -> float:
    """Opening hours between ``start`` and ``end`` minus the hours in them when any room is
    booked (confirmed or pending): the time the whole house could still be booked."""
    windows = opening_windows(facility, start, end)
    busy = [
        (b.starts_at, b.ends_at)
        for b in Booking.objects.filter(
            facility=facility, status__in=ACTIVE_STATUSES, starts_at__lt=end, ends_at__gt=start
        ).only("starts_at", "ends_at")
    ]
    return round(max(0.0, total_hours(windows) - intersect_hours(windows, busy)), 2)


# --- the yearly account -----------------------------------------------------------------------


@dataclass(frozen=True)
class AccountRow:
    category: str
    use_type: str
    bookings: int
    hours: Decimal
    income: Decimal

    @property
    def category_label(self) -> str:
        return str(BookerCategory(self.category).label)

    @property
    def use_type_label(self) -> str:
        return str(UseType(self.use_type).label)


@dataclass(frozen=True)
class AccountFlag:
    code: str
    message: str
    booking_id: int | None = None


@dataclass
class YearlyAccount:
    facility: Facility
    year: int
    rows: list[AccountRow]
    costs: FacilityCosts | None
    policy_name: str
    policy_reviewed: bool
    forbids_profit: bool
    usage: FacilityUsage
    flags: list[AccountFlag] = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        return sum((r.hours for r in self.rows), Decimal("0"))

    @property
    def income(self) -> Decimal:
        return sum((r.income for r in self.rows), Decimal("0"))

    @property
    def letting_income(self) -> Decimal:
        return sum(
            (r.income for r in self.rows if r.use_type == UseType.EXTERNAL_LETTING), Decimal("0")
        )

    @property
    def own_use_income(self) -> Decimal:
        """Income of core activities; external letting runs through its own company."""
        return self.income - self.letting_income

    @property
    def costs_total(self) -> Decimal:
        return self.costs.as_annual_costs().total if self.costs else Decimal("0")

    @property
    def result(self) -> Decimal:
        """Own-use income minus costs (a surplus is positive)."""
        return self.own_use_income - self.costs_total


def yearly_account(*, facility: Facility, year: int) -> YearlyAccount:
    """Hours and income per category and use type against the year's costs, with flags for a
    surplus the profile forbids and for missing decisions or documentation."""
    start = timezone.make_aware(datetime.combine(datetime(year, 1, 1).date(), time()))  # noqa: DTZ001
    end = timezone.make_aware(datetime.combine(datetime(year + 1, 1, 1).date(), time()))  # noqa: DTZ001
    bookings = list(
        Booking.objects.filter(
            facility=facility,
            status=BookingStatus.CONFIRMED,
            starts_at__gte=start,
            starts_at__lt=end,
        ).select_related("agreement")
    )
    cells: dict[tuple[str, str], list[Decimal]] = defaultdict(
        lambda: [Decimal("0"), Decimal("0"), Decimal("0")]
    )
    for booking in bookings:
        cell = cells[(booking.category, booking.use_type)]
        cell[0] += 1
        cell[1] += booking.hours
        cell[2] += booking.price
    rows = [
        AccountRow(
            c,
            u,
            int(cells[(c, u)][0]),
            cells[(c, u)][1].quantize(Decimal("0.01")),
            cells[(c, u)][2],
        )
        for c in CATEGORIES
        for u in USE_TYPES
        if (c, u) in cells
    ]
    policy = policy_for(facility)
    costs = facility.costs.filter(year=year).first()
    account = YearlyAccount(
        facility=facility,
        year=year,
        rows=rows,
        costs=costs,
        policy_name=policy.name,
        policy_reviewed=policy.reviewed,
        forbids_profit=policy.forbids_profit,
        usage=facility_usage(facility=facility, start=start, end=end),
    )
    account.flags.extend(_flags(account, bookings))
    return account


def _flags(account: YearlyAccount, bookings: list[Booking]) -> list[AccountFlag]:
    flags = []
    if account.costs is None:
        flags.append(
            AccountFlag(
                "costs_missing",
                _("No annual costs are entered for %(year)d.") % {"year": account.year},
            )
        )
    if account.forbids_profit and account.costs is not None and account.result > 0:
        flags.append(
            AccountFlag(
                "surplus",
                _(
                    "The house's own use shows a surplus of %(amount)s kr., "
                    "but the policy forbids profit."
                )
                % {"amount": account.result},
            )
        )
    if not account.policy_reviewed:
        flags.append(
            AccountFlag(
                "policy_unreviewed",
                _("The policy profile is to be reviewed against the rules in force."),
            )
        )
    for booking in bookings:
        if booking.use_type == UseType.EXTERNAL_LETTING:
            day = timezone.localtime(booking.starts_at).date()
            if booking.agreement is None or booking.agreement.problems(day):
                flags.append(
                    AccountFlag(
                        "letting_incomplete",
                        _("External letting no. %(id)d lacks a decision or documentation.")
                        % {"id": booking.pk},
                        booking.pk,
                    )
                )
        if booking.charges_participants and booking.budget_sent_on is None:
            flags.append(
                AccountFlag(
                    "budget_missing",
                    _(
                        "Activity no. %(id)d charges participants, but its budget is "
                        "not recorded as sent to the municipality."
                    )
                    % {"id": booking.pk},
                    booking.pk,
                )
            )
    return flags
