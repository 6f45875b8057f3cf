"""The external-letting guard (no Django import).

External letting is a side activity (almenboligloven § 6, stk. 2; BEK nr. 451 af 13. april
2015). It cannot be confirmed without: a recorded afdelingsmøde decision (date and reference),
an agreement period of at most 4 years covering the booking, the taxable company it runs
through, and a market rent with its documentation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

MAX_AGREEMENT_YEARS = 4
RENEWAL_NOTICE_DAYS = 90

# Problem codes; the Django layer turns them into translated messages.
DECISION_MISSING = "decision_missing"
PERIOD_MISSING = "period_missing"
PERIOD_TOO_LONG = "period_too_long"
NOT_IN_FORCE = "not_in_force"
COMPANY_MISSING = "company_missing"
MARKET_RENT_MISSING = "market_rent_missing"
DOCUMENTATION_MISSING = "documentation_missing"


@dataclass(frozen=True)
class LettingFacts:
    decision_date: date | None
    decision_reference: str
    starts_on: date | None
    ends_on: date | None
    company_name: str
    company_cvr: str
    market_rent_per_hour: Decimal | None
    market_rent_documentation: str


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def letting_problems(facts: LettingFacts, *, on: date | None = None) -> list[str]:
    """What is missing before a letting (on day ``on``) may be confirmed; empty when none."""
    problems = []
    if facts.decision_date is None or not facts.decision_reference.strip():
        problems.append(DECISION_MISSING)
    if facts.starts_on is None or facts.ends_on is None or facts.ends_on < facts.starts_on:
        problems.append(PERIOD_MISSING)
    else:
        # At most 4 years: the last day is before the same day four years later.
        if facts.ends_on >= add_years(facts.starts_on, MAX_AGREEMENT_YEARS):
            problems.append(PERIOD_TOO_LONG)
        if on is not None and not (facts.starts_on <= on <= facts.ends_on):
            problems.append(NOT_IN_FORCE)
    if not facts.company_name.strip():
        problems.append(COMPANY_MISSING)
    if facts.market_rent_per_hour is None or facts.market_rent_per_hour <= 0:
        problems.append(MARKET_RENT_MISSING)
    if not facts.market_rent_documentation.strip():
        problems.append(DOCUMENTATION_MISSING)
    return problems


def renewal_due(
    facts: LettingFacts, *, today: date, notice_days: int = RENEWAL_NOTICE_DAYS
) -> bool:
    """Is the agreement ending within ``notice_days`` (and not yet ended)? The afdelingsmøde
    must approve each renewal, so the reminder comes early."""
    if facts.ends_on is None:
        return False
    return today <= facts.ends_on <= today + timedelta(days=notice_days)
