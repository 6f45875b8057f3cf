"""Usage figures for the decision tool and the yearly account with its flags."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from lokalsamfund.bookings.models import Booking, Facility, FacilityCosts, LettingAgreement
from lokalsamfund.bookings.reports import yearly_account
from lokalsamfund.bookings.selectors import facility_usage, free_hours
from lokalsamfund.bookings.services import booking_approve, booking_create
from lokalsamfund.core.models import Association, Department, Organisation, Role, User

pytestmark = pytest.mark.django_db

At = Callable[..., datetime]


def make(
    facility: Facility, user: User, start: datetime, hours: int, use: str, **kw: object
) -> Booking:
    return booking_create(
        facility=facility,
        booker=user,
        start=start,
        end=start + timedelta(hours=hours),
        title="x",
        use_type=use,
        whole_house=True,
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def mixed(
    facility: Facility,
    resident: User,
    neighbour: User,
    association_contact: User,
    coordinator: User,
    make_user: Callable[..., User],
    org: Organisation,
    dept_b: Department,
    costs: FacilityCosts,
    at: At,
    verified: None,
) -> dict[str, Booking]:
    other = make_user(Role.RESIDENT, org, [dept_b])
    bookings = {
        "resident_party": make(facility, resident, at(3, 12), 6, "private_event"),
        "resident_dinner": make(facility, resident, at(4, 17), 4, "community_activity"),
        "other_party": make(facility, other, at(5, 12), 5, "private_event"),  # pending
        "neighbour": make(facility, neighbour, at(6, 13), 3, "community_activity"),
        "association": make(facility, association_contact, at(7, 18), 2, "community_activity"),
        "department": make(facility, coordinator, at(8, 10), 2, "community_activity"),
        "pending": make(facility, neighbour, at(9, 10), 8, "community_activity"),
    }
    for key in ("other_party", "neighbour", "association"):
        booking_approve(booking=bookings[key], actor=coordinator)
    return bookings


def test_facility_usage_figures(facility: Facility, mixed: dict[str, Booking], at: At) -> None:
    usage = facility_usage(facility=facility, start=at(0, 0), end=at(30, 0))
    # Confirmed only: 6 + 4 + 5 + 3 + 2 + 2 = 22 hours; the 8 pending hours do not count.
    assert usage.bookings == 6
    assert usage.booked_hours == 22
    assert usage.hours_by_category == {
        "resident": 10,
        "resident_other_department": 5,
        "neighbour": 3,
        "association": 2,
        "department": 2,
    }
    assert usage.hours_by_use_type == {
        "community_activity": 11,
        "private_event": 11,
        "external_letting": 0,
    }
    assert usage.community_share == 0.5
    # Groups: A1 residents, B1 residents, the neighbour housing, the association, A1 itself.
    assert usage.distinct_user_groups == 5
    assert usage.cross_ownership_bookings == 2
    assert usage.cross_ownership_hours == 5
    assert usage.cross_ownership_share == round(5 / 22, 4)


def test_usage_clips_to_the_period(facility: Facility, mixed: dict[str, Booking], at: At) -> None:
    usage = facility_usage(facility=facility, start=at(3, 15), end=at(4, 18))
    assert usage.booked_hours == 3 + 1  # the end of the party and the start of the dinner
    assert usage.bookings == 2


def test_free_hours(facility: Facility, coordinator: User, at: At) -> None:
    # Open 07:00-24:00: 17 hours a day.
    assert free_hours(facility=facility, start=at(10, 0), end=at(11, 0)) == 17
    make(facility, coordinator, at(10, 12), 3, "community_activity")
    assert free_hours(facility=facility, start=at(10, 0), end=at(11, 0)) == 14
    # A period starting mid-day counts only the opening hours inside it.
    assert free_hours(facility=facility, start=at(10, 20), end=at(11, 8)) == 4 + 1


def test_yearly_account_rows_and_result(facility: Facility, mixed: dict[str, Booking]) -> None:
    year = timezone.localtime(mixed["resident_party"].starts_at).year
    if any(timezone.localtime(b.starts_at).year != year for b in mixed.values()):
        pytest.skip("the fixture's bookings straddle New Year")
    account = yearly_account(facility=facility, year=year)
    cells = {(r.category, r.use_type): r for r in account.rows}
    assert cells[("resident", "private_event")].income == Decimal("300.00")
    assert cells[("resident_other_department", "private_event")].income == Decimal("250.00")
    assert cells[("resident", "community_activity")].hours == Decimal("4.00")
    assert account.income == Decimal("550.00")
    assert account.costs_total == Decimal("60000")
    assert account.result == Decimal("-59450.00")
    codes = {f.code for f in account.flags}
    assert "surplus" not in codes
    assert "policy_unreviewed" in codes  # the shipped default is to be reviewed


def test_yearly_account_flags_surplus_and_missing_documentation(
    facility: Facility,
    association: Association,
    association_contact: User,
    coordinator: User,
    resident: User,
    at: At,
    verified: None,
) -> None:
    start = at(10, 10)
    year = timezone.localtime(start).year
    FacilityCosts.objects.create(
        facility=facility, year=year, utilities=Decimal("100"), expected_hours=Decimal("100")
    )
    make(facility, resident, start, 4, "private_event")  # 300 kr. against 100 kr. of costs
    agreement = LettingAgreement.objects.create(
        facility=facility,
        counterparty="Foreningen",
        association=association,
        decision_date=start.date(),
        decision_reference="pkt. 3",
        starts_on=start.date(),
        ends_on=start.date() + timedelta(days=30),
        company_name="Udlejning ApS",
        market_rent_per_hour=Decimal("200"),
        market_rent_documentation="Tilbud",
    )
    letting = make(
        facility, association_contact, at(11, 10), 2, "external_letting", agreement=agreement
    )
    booking_approve(booking=letting, actor=coordinator)
    # Later someone removes the documentation: the account must notice.
    LettingAgreement.objects.filter(pk=agreement.pk).update(market_rent_documentation="")
    make(facility, resident, at(12, 17), 2, "community_activity", charges_participants=True)
    account = yearly_account(facility=facility, year=year)
    codes = [f.code for f in account.flags]
    assert "surplus" in codes
    assert "letting_incomplete" in codes
    assert "budget_missing" in codes
    assert account.letting_income == Decimal("400.00")
    assert account.own_use_income == Decimal("300.00")  # letting income is not own use


def test_yearly_account_without_costs(facility: Facility) -> None:
    account = yearly_account(facility=facility, year=2020)
    assert [f.code for f in account.flags][:1] == ["costs_missing"]
    assert account.rows == []
    assert account.usage.booked_hours == 0


def test_usage_by_another_time_zone_boundary(facility: Facility, coordinator: User) -> None:
    """Periods are instants: a period given in UTC counts the same hours as in local time."""
    day = timezone.localdate() + timedelta(days=10)
    start = timezone.make_aware(datetime.combine(day, time(12)))
    make(facility, coordinator, start, 2, "community_activity")
    usage = facility_usage(
        facility=facility, start=start.astimezone(UTC), end=(start + timedelta(hours=1))
    )
    assert usage.booked_hours == 1


def test_decision_tool_reads_free_hours_from_the_booking_domain(
    facility: Facility, dept_a: Department, coordinator: User, at: At
) -> None:
    from lokalsamfund.decisions.evidence_source import facility_figures

    figures = facility_figures(department=dept_a)
    assert [h.slug for h in figures.houses] == [facility.slug]
    hours = figures.free_hours
    assert 17 * 364 <= hours <= 17 * 366  # open 07-24 for the coming year
    make(facility, coordinator, at(10, 12), 5, "community_activity")
    fewer = facility_figures(department=dept_a)
    assert round(hours - fewer.free_hours, 1) == 5.0
    assert fewer.houses[0].coming_year.hours_by_use_type["community_activity"] == 5.0
