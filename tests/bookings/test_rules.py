"""The policy table per category and use type, cost-recovery arithmetic, the letting guard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lokalsamfund.bookings import letting
from lokalsamfund.bookings.choices import BookingStatus
from lokalsamfund.bookings.letting import LettingFacts, add_years, letting_problems, renewal_due
from lokalsamfund.bookings.models import Facility, LettingAgreement
from lokalsamfund.bookings.policy import CATEGORIES, SHIPPED_DEFAULT, USE_TYPES
from lokalsamfund.bookings.pricing import AnnualCosts, booked_hours, cost_recovery_rate, quote
from lokalsamfund.bookings.services import booking_approve, booking_create
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import Association, Department, Membership, Organisation, Role, User

# --- the policy table ---------------------------------------------------------------------------

# From faelleshus-rules.md (2015 rules): who may book what, and whether it needs approval.
# None: not allowed. "pending": needs approval. "confirmed": confirmed at once.
EXPECTED = {
    ("resident", "community_activity"): "confirmed",
    ("resident", "private_event"): "confirmed",
    ("resident", "external_letting"): None,
    ("resident_other_department", "community_activity"): "pending",
    ("resident_other_department", "private_event"): "pending",
    ("resident_other_department", "external_letting"): None,
    ("neighbour", "community_activity"): "pending",
    ("neighbour", "private_event"): None,
    ("neighbour", "external_letting"): "pending",
    ("association", "community_activity"): "pending",
    ("association", "private_event"): None,
    ("association", "external_letting"): "pending",
    ("department", "community_activity"): "confirmed",
    ("department", "private_event"): None,
    ("department", "external_letting"): None,
}


def test_shipped_table_is_complete_and_every_rule_has_a_legal_source() -> None:
    assert {(r.category, r.use_type) for r in SHIPPED_DEFAULT.rules} == {
        (c, u) for c in CATEGORIES for u in USE_TYPES
    }
    for rule in SHIPPED_DEFAULT.rules:
        assert "§" in rule.source or "BL" in rule.source, rule
    assert not SHIPPED_DEFAULT.reviewed  # "to be reviewed against the rules in force"
    # External letting is priced at market rent; community activities are free.
    for category in CATEGORIES:
        assert SHIPPED_DEFAULT.rule(category, "external_letting").price_rule == "market_rent"
        assert SHIPPED_DEFAULT.rule(category, "community_activity").price_rule == "free"


@pytest.fixture
def person_for(
    resident: User,
    neighbour: User,
    association_contact: User,
    board_member: User,
    make_user: Callable[..., User],
    org: Organisation,
    dept_b: Department,
    verified: None,
) -> dict[str, User]:
    return {
        "resident": resident,
        "resident_other_department": make_user(Role.RESIDENT, org, [dept_b]),
        "neighbour": neighbour,
        "association": association_contact,
        "department": board_member,  # the board books for the department, without approving
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("category", "use_type"), sorted(EXPECTED))
def test_service_enforces_the_table(
    facility: Facility,
    costs: object,
    person_for: dict[str, User],
    at: Callable[..., datetime],
    category: str,
    use_type: str,
) -> None:
    # The agreement's own party is the booker (only the party may use it).
    party = person_for[category]
    membership = Membership.objects.filter(user=party).select_related("association").first()
    agreement = LettingAgreement.objects.create(
        facility=facility,
        counterparty="X",
        association=membership.association if membership else None,
        person=party,
    )
    kwargs = {
        "facility": facility,
        "booker": person_for[category],
        "category": category,
        "use_type": use_type,
        "start": at(20, 12),
        "end": at(20, 15),
        "title": "Test",
        "whole_house": True,
        "agreement": agreement,
    }
    expected = EXPECTED[(category, use_type)]
    if expected is None:
        with pytest.raises(Forbidden) as caught:
            booking_create(**kwargs)  # type: ignore[arg-type]
        assert "§" in caught.value.message or "BL" in caught.value.message
    else:
        booking = booking_create(**kwargs)  # type: ignore[arg-type]
        assert booking.status == expected


@pytest.mark.django_db
def test_external_letting_guard(
    facility: Facility,
    association: Association,
    association_contact: User,
    coordinator: User,
    at: Callable[..., datetime],
    verified: None,
) -> None:
    """No confirmation without decision, period <= 4 years, company and documented market rent."""
    agreement = LettingAgreement.objects.create(
        facility=facility,
        counterparty="Foreningen",
        company_name="Udlejning ApS",
        association=association,
    )
    booking = booking_create(
        facility=facility,
        booker=association_contact,
        use_type="external_letting",
        agreement=agreement,
        start=at(20, 10),
        end=at(20, 14),
        title="Marked",
        whole_house=True,
    )
    assert booking.status == BookingStatus.PENDING
    with pytest.raises(DomainError) as caught:
        booking_approve(booking=booking, actor=coordinator)
    for missing in ("afdelingsmøde", "markedsleje", "aftaleperiode"):
        assert missing in caught.value.message
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING
    agreement.decision_date = date(2026, 1, 10)
    agreement.decision_reference = "Referat pkt. 4"
    agreement.starts_on = at(0, 0).date()
    agreement.ends_on = add_years(agreement.starts_on, 4)  # one day too long
    agreement.market_rent_per_hour = Decimal("250")
    agreement.market_rent_documentation = "Tre tilbud"
    agreement.save()
    with pytest.raises(DomainError) as caught:
        booking_approve(booking=booking, actor=coordinator)
    assert "4" in caught.value.message
    agreement.ends_on = date.fromordinal(agreement.ends_on.toordinal() - 1)
    agreement.save()
    booking_approve(booking=booking, actor=coordinator)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.price == Decimal("1000.00")  # 4 hours at the documented 250 kr.


@pytest.mark.django_db
def test_external_letting_needs_an_agreement_of_this_house(
    facility: Facility, association_contact: User, at: Callable[..., datetime], verified: None
) -> None:
    with pytest.raises(DomainError):
        booking_create(
            facility=facility,
            booker=association_contact,
            use_type="external_letting",
            start=at(20, 10),
            end=at(20, 14),
            title="Marked",
            whole_house=True,
        )


# --- the letting guard as a pure function ---------------------------------------------------------

COMPLETE = LettingFacts(
    decision_date=date(2026, 3, 1),
    decision_reference="Referat pkt. 6",
    starts_on=date(2026, 4, 1),
    ends_on=date(2030, 3, 31),
    company_name="Udlejning ApS",
    company_cvr="12345678",
    market_rent_per_hour=Decimal("300"),
    market_rent_documentation="Tre tilbud",
)


def test_complete_letting_has_no_problems() -> None:
    assert letting_problems(COMPLETE, on=date(2027, 1, 1)) == []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"decision_date": None}, letting.DECISION_MISSING),
        ({"decision_reference": " "}, letting.DECISION_MISSING),
        ({"ends_on": None}, letting.PERIOD_MISSING),
        ({"ends_on": date(2030, 4, 1)}, letting.PERIOD_TOO_LONG),
        ({"company_name": ""}, letting.COMPANY_MISSING),
        ({"market_rent_per_hour": None}, letting.MARKET_RENT_MISSING),
        ({"market_rent_per_hour": Decimal("0")}, letting.MARKET_RENT_MISSING),
        ({"market_rent_documentation": ""}, letting.DOCUMENTATION_MISSING),
    ],
)
def test_each_missing_piece_is_named(change: dict[str, object], code: str) -> None:
    facts = LettingFacts(**{**COMPLETE.__dict__, **change})
    assert letting_problems(facts) == [code]


def test_letting_outside_the_agreement_period() -> None:
    assert letting_problems(COMPLETE, on=date(2030, 4, 1)) == [letting.NOT_IN_FORCE]
    assert letting_problems(COMPLETE, on=date(2026, 3, 31)) == [letting.NOT_IN_FORCE]


def test_four_years_from_a_leap_day() -> None:
    assert add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)


def test_renewal_reminder_ninety_days_ahead() -> None:
    assert not renewal_due(COMPLETE, today=date(2029, 12, 1))
    assert renewal_due(COMPLETE, today=date(2030, 1, 2))
    assert not renewal_due(COMPLETE, today=date(2030, 4, 1))  # already ended


# --- cost-recovery arithmetic -------------------------------------------------------------------


def costs(total_parts: tuple[str, str, str, str, str], hours: str) -> AnnualCosts:
    u, c, m, i, a = (Decimal(x) for x in total_parts)
    return AnnualCosts(2026, u, c, m, i, a, Decimal(hours))


def test_cost_recovery_rate_examples() -> None:
    assert cost_recovery_rate(costs(("24000", "18000", "9000", "4000", "5000"), "1200")) == Decimal(
        "50.00"
    )
    assert cost_recovery_rate(costs(("10000", "0", "0", "0", "0"), "3")) == Decimal("3333.33")
    assert cost_recovery_rate(costs(("1", "0", "0", "0", "0"), "8")) == Decimal("0.13")  # half up
    with pytest.raises(ValueError, match="positive"):
        cost_recovery_rate(costs(("1", "0", "0", "0", "0"), "0"))


def test_quotes_per_rule() -> None:
    hours = Decimal("2.5")
    c = costs(("24000", "18000", "9000", "4000", "5000"), "1200")
    assert quote(rule="free", hours=hours).amount == Decimal("0")
    assert quote(rule="fixed", hours=hours, fixed_price=Decimal("300")).amount == Decimal("300.00")
    q = quote(rule="cost_recovery", hours=hours, costs=c)
    assert (q.rate, q.amount) == (Decimal("50.00"), Decimal("125.00"))
    assert q.as_dict()["costs"]["total"] == "60000"  # type: ignore[index]
    assert quote(
        rule="market_rent", hours=hours, market_rent_per_hour=Decimal("333.33")
    ).amount == Decimal("833.33")
    with pytest.raises(ValueError, match="costs"):
        quote(rule="cost_recovery", hours=hours)


@given(
    total=st.decimals(min_value=0, max_value=10_000_000, places=2),
    expected=st.integers(min_value=1, max_value=8760),
    hours=st.decimals(min_value=Decimal("0.25"), max_value=26, places=2),
)
def test_cost_recovery_recovers_the_costs_over_the_expected_hours(
    total: Decimal, expected: int, hours: Decimal
) -> None:
    c = AnnualCosts(2026, total, Decimal(0), Decimal(0), Decimal(0), Decimal(0), Decimal(expected))
    rate = cost_recovery_rate(c)
    # Rounding to øre loses at most half an øre per expected hour.
    assert abs(rate * expected - total) <= Decimal("0.005") * expected
    amount = quote(rule="cost_recovery", hours=hours, costs=c).amount
    assert abs(amount - rate * hours) <= Decimal("0.005")


def test_booked_hours_count_real_time_across_dst() -> None:
    cph = ZoneInfo("Europe/Copenhagen")
    assert (
        booked_hours(datetime(2027, 3, 27, 22, tzinfo=cph), datetime(2027, 3, 28, 5, tzinfo=cph))
        == 6
    )
    assert (
        booked_hours(datetime(2027, 10, 30, 22, tzinfo=cph), datetime(2027, 10, 31, 5, tzinfo=cph))
        == 8
    )
