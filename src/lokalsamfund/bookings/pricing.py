"""Prices of bookings (no Django import): free, fixed, cost recovery and market rent.

Cost recovery (``cost_recovery``): the house's annual operating costs (utilities, cleaning,
maintenance, insurance, administration) divided by its expected booked hours gives a price
per hour; a booking pays that rate times its hours. The booker sees every step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

ORE = Decimal("0.01")


def to_kroner(value: Decimal) -> Decimal:
    """Round to øre, half up (as Danish invoices do)."""
    return value.quantize(ORE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AnnualCosts:
    """A house's operating costs for one year and the hours it is expected to be booked."""

    year: int
    utilities: Decimal
    cleaning: Decimal
    maintenance: Decimal
    insurance: Decimal
    administration: Decimal
    expected_hours: Decimal

    @property
    def total(self) -> Decimal:
        return (
            self.utilities
            + self.cleaning
            + self.maintenance
            + self.insurance
            + (self.administration)
        )


def cost_recovery_rate(costs: AnnualCosts) -> Decimal:
    """Price per hour that recovers the annual costs over the expected booked hours."""
    if costs.expected_hours <= 0:
        raise ValueError("expected_hours must be positive")
    return to_kroner(costs.total / costs.expected_hours)


def elapsed_seconds(start: datetime, end: datetime) -> int:
    """Real seconds between two aware times. Python subtracts two times that share a tzinfo
    on the wall clock, so both go to UTC first (a night over a DST change is 6 or 8 hours)."""
    return int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds())


def booked_hours(start: datetime, end: datetime) -> Decimal:
    """Elapsed hours between two aware times (so a night over a DST change counts right)."""
    seconds = Decimal(elapsed_seconds(start, end))
    return (seconds / Decimal(3600)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PriceQuote:
    """A price and how it came about, for the booker to see."""

    rule: str
    hours: Decimal
    amount: Decimal
    rate: Decimal | None = None
    costs: AnnualCosts | None = None

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "rule": self.rule,
            "hours": str(self.hours),
            "amount": str(self.amount),
            "rate": None if self.rate is None else str(self.rate),
        }
        if self.costs is not None:
            data["costs"] = {
                "year": self.costs.year,
                "utilities": str(self.costs.utilities),
                "cleaning": str(self.costs.cleaning),
                "maintenance": str(self.costs.maintenance),
                "insurance": str(self.costs.insurance),
                "administration": str(self.costs.administration),
                "total": str(self.costs.total),
                "expected_hours": str(self.costs.expected_hours),
            }
        return data


def quote(
    *,
    rule: str,
    hours: Decimal,
    fixed_price: Decimal = Decimal("0"),
    costs: AnnualCosts | None = None,
    market_rent_per_hour: Decimal | None = None,
) -> PriceQuote:
    """The price of a booking of ``hours`` under ``rule``.

    Raises ValueError when the rule needs figures that are missing (costs for cost recovery).
    A market rent without an entered rent is quoted as 0 with no rate: such a letting cannot
    be confirmed (see ``letting.letting_problems``).
    """
    if rule == "free":
        return PriceQuote(rule, hours, Decimal("0.00"))
    if rule == "fixed":
        return PriceQuote(rule, hours, to_kroner(fixed_price))
    if rule == "cost_recovery":
        if costs is None:
            raise ValueError("cost recovery needs the house's annual costs")
        rate = cost_recovery_rate(costs)
        return PriceQuote(rule, hours, to_kroner(rate * hours), rate=rate, costs=costs)
    if rule == "market_rent":
        if market_rent_per_hour is None:
            return PriceQuote(rule, hours, Decimal("0.00"))
        rate = to_kroner(market_rent_per_hour)
        return PriceQuote(rule, hours, to_kroner(rate * hours), rate=rate)
    raise ValueError(f"unknown price rule {rule!r}")
