"""Sign-up (tilmelding) to an occurrence: the services pages, API and CLI call.

- ``signup_create``: with an account, or without one for ``public`` activities (by e-mail
  link, ``signup_links``); ``signup_on_behalf`` (``signup_on_behalf``): staff for a resident
  who phoned in.
- ``signup_cancel`` (and ``signup_cancel_by_token``), ``waitlist_promote`` and
  ``activity_capacity_changed``: places free and the waitlist moves up.
- The places, the waitlist and their row lock: ``signup_places``.

The names of those modules that other code uses are importable from here too.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import SYSTEM

from .. import permissions as rules
from ..models import Activity, Occurrence, SignUp, SignUpChannel, SignUpStatus
from . import signup_mail
from .signup_links import (
    UNCONFIRMED_HOURS,
    _create_by_email,
    signup_cancel_by_token,
    signup_confirm,
    unconfirmed_expire,
)
from .signup_on_behalf import may_sign_up_others, signup_on_behalf
from .signup_places import (
    MAX_PLACES,
    SignupNotValid,
    SignupResult,
    _cancel,
    _language,
    _locked,
    _locked_open,
    _promote,
    _refresh_counts,
    _seat,
    check_open,
    closes_at,
    confirmed_places,
    free_places,
    new_token,
    signup_for_token,
    token_hash,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lokalsamfund.core.permissions import Actor

__all__ = [
    "MAX_PLACES",
    "UNCONFIRMED_HOURS",
    "SignupNotValid",
    "SignupResult",
    "activity_capacity_changed",
    "check_open",
    "check_open_quietly",
    "closes_at",
    "confirmed_places",
    "free_places",
    "may_cancel",
    "may_sign_up_others",
    "new_token",
    "signup_cancel",
    "signup_cancel_by_token",
    "signup_confirm",
    "signup_create",
    "signup_for_token",
    "signup_of",
    "signup_on_behalf",
    "token_hash",
    "unconfirmed_expire",
    "waitlist_promote",
]


def signup_create(
    *,
    occurrence: Occurrence,
    actor: User | AnonymousUser,
    places: int = 1,
    name: str = "",
    email: str = "",
    language: str = "",
    now: datetime | None = None,
) -> SignupResult:
    """Sign ``actor`` up for ``occurrence``; without an account (``public`` activities only),
    ``name`` and ``email`` sign up, unconfirmed until the e-mail link is opened.

    Raises Forbidden when ``actor`` may not join, DomainError when sign-up is closed (no
    sign-up, deadline, cancelled, begun) or the input is invalid, Conflict when full without a
    waitlist or already signed up.
    """
    now = now or timezone.now()
    activity = occurrence.activity
    language = _language(language)
    if actor.is_authenticated:
        assert isinstance(actor, User)  # noqa: S101 - authenticated means a user
        if not rules.may_join(actor, activity):
            raise Forbidden(_("You may not sign up for this activity."))
        return _create_for_user(occurrence, actor, places, language, now)
    if activity.visibility != "public" or activity.status != "published":
        raise Forbidden(_("Log in to sign up for this activity."))
    return _create_by_email(occurrence, places, name, email, language, now)


def _create_for_user(
    occurrence: Occurrence, user: User, places: int, language: str, now: datetime
) -> SignupResult:
    with transaction.atomic():
        occurrence = _locked_open(occurrence, places, now)
        if occurrence.signups.filter(user=user).exclude(status=SignUpStatus.CANCELLED).exists():
            raise Conflict(_("You are already signed up for this time."))
        signup = SignUp(
            occurrence=occurrence,
            user=user,
            places=places,
            channel=SignUpChannel.ACCOUNT,
            created_by=user,
            language=language,
            created_at=now,
        )
        _seat(occurrence, signup, actor=user, action="activities.signup")
        signup_mail.placed(signup)
    return SignupResult(signup)


def may_cancel(user: User | AnonymousUser, signup: SignUp) -> bool:
    """The participant, the activity's organisers and managers, and staff who sign up others."""
    if not user.is_authenticated:
        return False
    if signup.user_id is not None and signup.user_id == user.pk:
        return True
    return may_sign_up_others(user, signup.occurrence.activity)


def signup_cancel(*, signup: SignUp, actor: Actor, now: datetime | None = None) -> SignUp:
    """Cancel a sign-up (the participant, an organiser or staff); the waitlist moves up."""
    if actor is not SYSTEM and not (isinstance(actor, User) and may_cancel(actor, signup)):
        raise Forbidden(_("You may not cancel this sign-up."))
    return _cancel(signup, actor, now or timezone.now())


def waitlist_promote(*, occurrence: Occurrence, now: datetime | None = None) -> list[SignUp]:
    """Fill free places from the waitlist, e.g. after the capacity was raised (the activity
    service calls ``activity_capacity_changed``)."""
    with transaction.atomic():
        occurrence = _locked(occurrence)
        promoted = _promote(occurrence, now or timezone.now())
        _refresh_counts(occurrence)
    return promoted


def activity_capacity_changed(*, activity: Activity, now: datetime | None = None) -> int:
    """After a change of capacity: every coming occurrence's waitlist moves up as far as the
    new capacity allows. Returns how many moved up."""
    now = now or timezone.now()
    moved = 0
    for occurrence in activity.occurrences.filter(
        starts_at__gt=now, signups__status=SignUpStatus.WAITLISTED
    ).distinct():
        moved += len(waitlist_promote(occurrence=occurrence, now=now))
    return moved


def signup_of(*, occurrence: Occurrence, user: User | AnonymousUser) -> SignUp | None:
    """The user's own (not cancelled) sign-up for ``occurrence``."""
    if not user.is_authenticated:
        return None
    return occurrence.signups.filter(user=user).exclude(status=SignUpStatus.CANCELLED).first()


def check_open_quietly(occurrence: Occurrence, now: datetime | None = None) -> bool:
    """Is sign-up to ``occurrence`` open now?"""
    try:
        check_open(occurrence, now or timezone.now())
    except DomainError:
        return False
    return True
