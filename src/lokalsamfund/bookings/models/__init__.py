"""The booking domain's models."""

from .booking import Booking, BookingClaim, BookingSeries, CalendarFeed
from .facilities import Facility, FacilityCosts, FixedSlot, Room
from .joins import AssociationJoinRequest, JoinOutcome
from .profiles import LettingAgreement, PolicyCategoryTerms, PolicyProfile, PolicyRule

__all__ = [
    "AssociationJoinRequest",
    "Booking",
    "BookingClaim",
    "BookingSeries",
    "CalendarFeed",
    "Facility",
    "FacilityCosts",
    "FixedSlot",
    "JoinOutcome",
    "LettingAgreement",
    "PolicyCategoryTerms",
    "PolicyProfile",
    "PolicyRule",
    "Room",
]
