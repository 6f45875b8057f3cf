"""The booking domain's models."""

from .booking import Booking, BookingClaim, BookingSeries, CalendarFeed
from .facilities import Facility, FacilityCosts, FixedSlot, Room
from .profiles import LettingAgreement, PolicyCategoryTerms, PolicyProfile, PolicyRule

__all__ = [
    "Booking",
    "BookingClaim",
    "BookingSeries",
    "CalendarFeed",
    "Facility",
    "FacilityCosts",
    "FixedSlot",
    "LettingAgreement",
    "PolicyCategoryTerms",
    "PolicyProfile",
    "PolicyRule",
    "Room",
]
