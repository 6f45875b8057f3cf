"""Policy profiles as plain data, and the shipped default profile (no Django import).

A policy profile says, per booker category and use type, whether booking is allowed, whether
it needs approval and which price rule applies, and per category how far ahead one may book
and until when one may cancel. Each rule carries its legal source. The shipped default
follows the 2015 rules in ``faelleshus-rules.md`` and is marked for review: it is not legal
advice, and the organisation must check the rules in force (a new sideaktivitetsbekendtgørelse
took effect on 1 July 2025).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

CATEGORIES = (
    "resident",
    "resident_other_department",
    "neighbour",
    "association",
    "department",
)
USE_TYPES = ("community_activity", "private_event", "external_letting")

SOURCE_CORE = (
    "almenboligloven § 6, stk. 1: fælleslokaler for afdelingens beboere er en kerneaktivitet"
)
SOURCE_HOUSE_RULES = (
    "almenboligloven § 37: afdelingsmødet beslutter brugen af fællesarealer (husorden, gebyr)"
)
SOURCE_BL_2024 = (
    "BL (2024): aktiviteter er åbne for alle beboere; ikke-beboere kan deltage; fælles "
    "arrangementer på tværs af afdelinger, når hver afdeling betaler sin andel"
)
SOURCE_SIDE_ACTIVITY = (
    "almenboligloven § 6, stk. 2 og BEK nr. 451 af 13. april 2015: delvis udlejning af "
    "fælleslokaler er en sideaktivitet: højst 4 år godkendt af afdelingsmødet, gennem et "
    "skattepligtigt selskab, til markedsleje"
)
SOURCE_NOT_CORE = (
    "almenboligloven § 6, stk. 1-2: brug af ikke-beboere til egne formål er ikke en "
    "kerneaktivitet; kun som udlejning (sideaktivitet)"
)
SOURCE_TERMS = "husorden vedtaget af afdelingsmødet (almenboligloven § 37)"

REVIEW_NOTICE = "to be reviewed against the rules in force"


@dataclass(frozen=True)
class Rule:
    """What one booker category may do with one use type."""

    category: str
    use_type: str
    allowed: bool
    needs_approval: bool
    price_rule: str
    source: str
    fixed_price: Decimal = Decimal("0")
    note: str = ""


@dataclass(frozen=True)
class CategoryTerms:
    """How far ahead a category may book and until when it may cancel by itself."""

    category: str
    max_days_ahead: int
    cancellation_hours: int
    source: str = SOURCE_TERMS


@dataclass(frozen=True)
class Policy:
    """An effective policy profile: the organisation's, a facility's own, or the shipped one."""

    name: str
    reviewed: bool
    forbids_profit: bool
    rules: tuple[Rule, ...]
    terms: tuple[CategoryTerms, ...]
    profile_id: int | None = None
    shipped: bool = False
    _by_key: dict[tuple[str, str], Rule] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({(r.category, r.use_type): r for r in self.rules})

    def rule(self, category: str, use_type: str) -> Rule:
        """The rule for a category and use type; missing rules forbid."""
        found = self._by_key.get((category, use_type))
        if found is None:
            return Rule(category, use_type, False, True, "free", source="")
        return found

    def terms_for(self, category: str) -> CategoryTerms:
        for terms in self.terms:
            if terms.category == category:
                return terms
        return CategoryTerms(category, max_days_ahead=0, cancellation_hours=0)


def _rule(
    category: str,
    use_type: str,
    allowed: bool,
    needs_approval: bool,
    price_rule: str,
    source: str,
    fixed_price: str = "0",
) -> Rule:
    return Rule(
        category, use_type, allowed, needs_approval, price_rule, source, Decimal(fixed_price)
    )


SHIPPED_DEFAULT = Policy(
    name="Standard (2015-reglerne)",
    reviewed=False,
    forbids_profit=True,
    shipped=True,
    rules=(
        _rule("resident", "community_activity", True, False, "free", SOURCE_CORE),
        _rule("resident", "private_event", True, False, "fixed", SOURCE_HOUSE_RULES, "300"),
        _rule("resident", "external_letting", False, True, "market_rent", SOURCE_SIDE_ACTIVITY),
        _rule(
            "resident_other_department", "community_activity", True, True, "free", SOURCE_BL_2024
        ),
        _rule(
            "resident_other_department",
            "private_event",
            True,
            True,
            "cost_recovery",
            SOURCE_BL_2024,
        ),
        _rule(
            "resident_other_department",
            "external_letting",
            False,
            True,
            "market_rent",
            SOURCE_SIDE_ACTIVITY,
        ),
        _rule("neighbour", "community_activity", True, True, "free", SOURCE_BL_2024),
        _rule("neighbour", "private_event", False, True, "market_rent", SOURCE_NOT_CORE),
        _rule("neighbour", "external_letting", True, True, "market_rent", SOURCE_SIDE_ACTIVITY),
        _rule("association", "community_activity", True, True, "free", SOURCE_BL_2024),
        _rule("association", "private_event", False, True, "market_rent", SOURCE_NOT_CORE),
        _rule("association", "external_letting", True, True, "market_rent", SOURCE_SIDE_ACTIVITY),
        _rule("department", "community_activity", True, False, "free", SOURCE_CORE),
        _rule("department", "private_event", False, True, "free", SOURCE_CORE),
        _rule("department", "external_letting", False, True, "market_rent", SOURCE_SIDE_ACTIVITY),
    ),
    terms=(
        CategoryTerms("resident", max_days_ahead=90, cancellation_hours=48),
        CategoryTerms("resident_other_department", max_days_ahead=60, cancellation_hours=48),
        CategoryTerms("neighbour", max_days_ahead=60, cancellation_hours=72),
        CategoryTerms("association", max_days_ahead=180, cancellation_hours=72),
        CategoryTerms("department", max_days_ahead=365, cancellation_hours=24),
    ),
)
