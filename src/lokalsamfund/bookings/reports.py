"""The yearly account of a house (a selector). Usage figures live in ``usage``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lokalsamfund.core import formatting

from .choices import (
    BookerCategory,
    BookingStatus,
    UseType,
)
from .models import Booking, Facility, FacilityCosts
from .policy import CATEGORIES, USE_TYPES
from .selectors import policy_for
from .usage import FacilityUsage, facility_usage

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
                    "The house's own use shows a surplus of %(amount)s, "
                    "but the policy forbids profit."
                )
                % {"amount": formatting.money(account.result, formatting.language(get_language()))},
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
