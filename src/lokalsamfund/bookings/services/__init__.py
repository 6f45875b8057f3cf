"""Services of the booking domain (writes). Views, API and commands call these only."""

from .booking import booking_create, letting_problem_messages, resolve_on_behalf
from .changes import (
    booking_approve,
    booking_cancel,
    booking_record_budget_sent,
    booking_reject,
    booking_update,
)
from .guests import guest_register, guest_verify, send_verification
from .joins import association_join_confirm, association_join_decline
from .series import SeriesDecision, SeriesResult, booking_series_create, booking_series_decide
from .setup import calendar_feed_key, calendar_feed_reset, policy_profile_install_default

__all__ = [
    "SeriesDecision",
    "SeriesResult",
    "association_join_confirm",
    "association_join_decline",
    "booking_approve",
    "booking_cancel",
    "booking_create",
    "booking_record_budget_sent",
    "booking_reject",
    "booking_series_create",
    "booking_series_decide",
    "booking_update",
    "calendar_feed_key",
    "calendar_feed_reset",
    "guest_register",
    "guest_verify",
    "letting_problem_messages",
    "policy_profile_install_default",
    "resolve_on_behalf",
    "send_verification",
]
