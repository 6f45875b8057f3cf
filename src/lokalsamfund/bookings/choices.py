"""The booking domain's vocabularies: booker categories, use types, price rules, statuses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BookerCategory(models.TextChoices):
    """Who books, derived from the booker's membership (faelleshus-rules.md, "The model")."""

    RESIDENT = "resident", _("resident of the department")
    RESIDENT_OTHER_DEPARTMENT = "resident_other_department", _("resident of another department")
    NEIGHBOUR = "neighbour", _("neighbour (other ownership form)")
    ASSOCIATION = "association", _("association")
    DEPARTMENT = "department", _("the department itself")


class UseType(models.TextChoices):
    COMMUNITY_ACTIVITY = "community_activity", _("community activity")
    PRIVATE_EVENT = "private_event", _("private event")
    EXTERNAL_LETTING = "external_letting", _("external letting (side activity)")


class PriceRule(models.TextChoices):
    FREE = "free", _("free")
    FIXED = "fixed", _("fixed fee (house rules)")
    COST_RECOVERY = "cost_recovery", _("cost recovery")
    MARKET_RENT = "market_rent", _("market rent")


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("awaiting approval")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")


ACTIVE_STATUSES = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


class BookingSource(models.TextChoices):
    WEB = "web", _("web")
    API = "api", _("API")
    ACTIVITY = "activity", _("activity")
    DEMO = "demo", _("demo data")


# Categories of people (not organisations): the monthly quota per household applies to them.
PERSONAL_CATEGORIES = frozenset(
    {
        BookerCategory.RESIDENT,
        BookerCategory.RESIDENT_OTHER_DEPARTMENT,
        BookerCategory.NEIGHBOUR,
    }
)
# Cross-ownership use for the decision tool: people and groups from outside almen housing.
CROSS_OWNERSHIP_CATEGORIES = frozenset({BookerCategory.NEIGHBOUR, BookerCategory.ASSOCIATION})
