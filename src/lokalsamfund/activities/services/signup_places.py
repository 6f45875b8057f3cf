"""Places and the waitlist (venteliste) of an occurrence, counted under its row lock, and
cancellation: the mechanics every way of signing up shares (``signups``: with an account;
``signup_links``: without one, by e-mail link; ``signup_on_behalf``: by staff).

- Capacity counts the ``places`` of confirmed sign-ups. A sign-up that does not fit goes on
  the waitlist (next ``waitlist_position``) when the activity has one, else it is refused.
- When places free (a cancellation, a raised capacity), the waitlist moves up first come, first
  served: the first in line is confirmed while their places fit (a party that does not fit
  waits at the head; nobody overtakes it), the positions close up (1, 2, 3 ... without gaps,
  held by constraints) and whoever moved up gets an e-mail with what, when and where.
- Every change of an occurrence's sign-ups takes the occurrence's row lock first
  (``select_for_update``; on SQLite every transaction is IMMEDIATE, so they queue the same
  way): concurrent sign-ups never confirm more places than there are.
- An e-mail link carries a random token of which only a keyed hash is stored; each e-mail to a
  participant without an account carries a fresh link (the older one stops working).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError
from lokalsamfund.core.permissions import SYSTEM

from ..models import Activity, Occurrence, OccurrenceStatus, SignUp, SignUpStatus
from . import signup_mail

if TYPE_CHECKING:
    from lokalsamfund.core.permissions import Actor

MAX_PLACES = 10  # places one sign-up may take


class SignupNotValid(DomainError):
    """An unknown or used e-mail link: one answer for both."""

    status_code = 400


@dataclass(frozen=True)
class SignupResult:
    """A sign-up and, for one made without an account, the token of its e-mail link (shown
    nowhere but in that e-mail; tests read it here)."""

    signup: SignUp
    token: str = ""


# -- tokens of e-mail links ---------------------------------------------------------------


def token_hash(token: str) -> str:
    """The keyed hash of an e-mail link's token (HMAC-SHA256 with ``LOKALSAMFUND_HASH_KEY``)."""
    return hmac.new(
        settings.LOKALSAMFUND_HASH_KEY.encode(),
        f"activity-signup:{token}".encode(),
        hashlib.sha256,
    ).hexdigest()


def new_token(signup: SignUp) -> str:
    """A fresh token for the sign-up's e-mail link (the older link stops working)."""
    token = secrets.token_urlsafe(32)
    signup.token_hash = token_hash(token)
    SignUp.objects.filter(pk=signup.pk).update(token_hash=signup.token_hash)
    return token


UNCONFIRMED_HOURS = 48  # an unconfirmed sign-up without an account is deleted after this


def signup_for_token(token: str, *, now: datetime | None = None) -> SignUp:
    """The sign-up of an e-mail link's token. A sign-up still unconfirmed
    ``UNCONFIRMED_HOURS`` after it was made has no valid link any more, even before the daily
    tidy deletes it (``unconfirmed_expire``)."""
    found = (
        SignUp.objects.select_related("occurrence__activity")
        .filter(token_hash=token_hash(token or ""))
        .exclude(status=SignUpStatus.CANCELLED)
        .first()
    )
    too_old = (now or timezone.now()) - timedelta(hours=UNCONFIRMED_HOURS)
    if found is None or (found.status == SignUpStatus.UNCONFIRMED and found.created_at <= too_old):
        raise SignupNotValid(
            _("This link is not valid any more. Sign up again, or use the newest e-mail.")
        )
    return found


# -- rules --------------------------------------------------------------------------------


def closes_at(occurrence: Occurrence) -> datetime:
    """When sign-up to ``occurrence`` closes: its start less the activity's deadline."""
    hours = occurrence.activity.signup_closes_hours or 0
    return occurrence.starts_at - timedelta(hours=hours)


def check_open(occurrence: Occurrence, now: datetime) -> None:
    """Refuse (DomainError) when one cannot sign up for ``occurrence`` now, saying why."""
    activity = occurrence.activity
    if not activity.signup_required:
        raise DomainError(_("This activity needs no sign-up: just come."))
    if activity.status != "published":
        raise DomainError(
            _("Sign-up is closed: the activity is %(status)s.")
            % {"status": activity.get_status_display()}
        )
    if occurrence.status == OccurrenceStatus.CANCELLED:
        raise DomainError(_("This time is cancelled."))
    if occurrence.starts_at <= now:
        raise DomainError(_("This time has already begun or taken place."))
    deadline = closes_at(occurrence)
    if deadline <= now:
        raise DomainError(
            _("Sign-up closed %(when)s.")
            % {"when": timezone.localtime(deadline).strftime("%d.%m.%Y %H:%M")}
        )


def _check_not_begun(occurrence: Occurrence, now: datetime) -> None:
    if occurrence.starts_at <= now:
        raise DomainError(_("This time has already begun or taken place."))


def _places(places: int, activity: Activity) -> int:
    if places < 1 or places > MAX_PLACES:
        raise DomainError(_("Places: from 1 to %(max)d.") % {"max": MAX_PLACES})
    if activity.capacity is not None and places > activity.capacity:
        raise DomainError(
            _("Places: this activity has %(capacity)d places in all.")
            % {"capacity": activity.capacity}
        )
    return places


def _language(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = (language or "").split("-")[0].lower()
    return language if language in codes else settings.LANGUAGE_CODE


def _valid_email(email: str) -> str:
    """The address, trimmed and in lower case; DomainError naming the field when invalid."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("E-mail: enter a valid e-mail address.")) from None
    return email


# -- counting under the lock ------------------------------------------------------------------


def _locked(occurrence: Occurrence) -> Occurrence:
    """The occurrence again, with its row locked until the transaction ends."""
    return (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("activity", "activity__facility", "activity__organisation")
        .get(pk=occurrence.pk)
    )


def _locked_open(occurrence: Occurrence, places: int, now: datetime) -> Occurrence:
    """The occurrence locked (``_locked``), refused unless sign-up is open now and ``places``
    may be taken: the first step of every new sign-up."""
    occurrence = _locked(occurrence)
    check_open(occurrence, now)
    _places(places, occurrence.activity)
    return occurrence


def confirmed_places(occurrence: Occurrence) -> int:
    total = occurrence.signups.filter(status=SignUpStatus.CONFIRMED).aggregate(n=Sum("places"))
    return int(total["n"] or 0)


def free_places(occurrence: Occurrence) -> int | None:
    """Places left (None: no limit)."""
    capacity = occurrence.activity.capacity
    if capacity is None:
        return None
    return max(0, capacity - confirmed_places(occurrence))


def _next_position(occurrence: Occurrence) -> int:
    top = occurrence.signups.filter(status=SignUpStatus.WAITLISTED).aggregate(
        n=Max("waitlist_position")
    )["n"]
    return int(top or 0) + 1


def _place_or_wait(occurrence: Occurrence, signup: SignUp) -> None:
    """Give ``signup`` (unsaved status) a place, or the next waitlist position; refuse when
    full without a waitlist. Nobody overtakes the waitlist."""
    free = free_places(occurrence)
    waiting = occurrence.signups.filter(status=SignUpStatus.WAITLISTED).exists()
    if free is None or (signup.places <= free and not waiting):
        signup.status = SignUpStatus.CONFIRMED
        signup.waitlist_position = None
        return
    if not occurrence.activity.waitlist:
        raise Conflict(_("Sorry, this time is full."))
    signup.status = SignUpStatus.WAITLISTED
    signup.waitlist_position = _next_position(occurrence)


def _seat(occurrence: Occurrence, signup: SignUp, *, actor: Actor, action: str) -> None:
    """Give the new ``signup`` a place or the next waitlist position (``_place_or_wait``),
    store it, update the occurrence's counts and log it. Call with the occurrence locked."""
    _place_or_wait(occurrence, signup)
    signup.save()
    _refresh_counts(occurrence)
    log_action(
        actor=actor,
        action=action,
        organisation=occurrence.activity.organisation,
        obj=signup,
        data={"occurrence": occurrence.pk, "places": signup.places, "status": signup.status},
    )


def _close_up(occurrence: Occurrence) -> None:
    """Renumber the waitlist 1, 2, 3 ... in order. Row by row from the front: each row moves
    to a position that is already free, so the unique constraint holds after every update."""
    waiting = occurrence.signups.filter(status=SignUpStatus.WAITLISTED).order_by(
        "waitlist_position"
    )
    for number, (pk, position) in enumerate(waiting.values_list("pk", "waitlist_position"), 1):
        if position != number:
            SignUp.objects.filter(pk=pk).update(waitlist_position=number)


def _promote(occurrence: Occurrence, now: datetime) -> list[SignUp]:
    """Move the waitlist up while the first in line fits; close up; e-mail those moved up.
    Call with the occurrence locked."""
    promoted: list[SignUp] = []
    if occurrence.status == OccurrenceStatus.CANCELLED or occurrence.starts_at <= now:
        return promoted
    free = free_places(occurrence)
    for signup in occurrence.signups.filter(status=SignUpStatus.WAITLISTED).order_by(
        "waitlist_position"
    ):
        if free is not None and signup.places > free:
            break
        signup.status = SignUpStatus.CONFIRMED
        signup.waitlist_position = None
        signup.save(update_fields=["status", "waitlist_position"])
        if free is not None:
            free -= signup.places
        promoted.append(signup)
    if promoted:
        _close_up(occurrence)
        for signup in promoted:
            log_action(
                actor=SYSTEM,
                action="activities.waitlist_promote",
                organisation=occurrence.activity.organisation,
                obj=signup,
                data={"occurrence": occurrence.pk, "places": signup.places},
            )
            token = new_token(signup) if signup.user_id is None and signup.email else ""
            signup_mail.promoted(signup, token=token)
    return promoted


def _refresh_counts(occurrence: Occurrence) -> None:
    """Keep the occurrence's counts (which outlive the names) up to date."""
    signed_up = confirmed_places(occurrence)
    waiting = occurrence.signups.filter(status=SignUpStatus.WAITLISTED).aggregate(n=Sum("places"))[
        "n"
    ]
    Occurrence.objects.filter(pk=occurrence.pk).update(
        signed_up_count=signed_up, waitlist_count=int(waiting or 0)
    )


def _cancel(signup: SignUp, actor: Actor, now: datetime) -> SignUp:
    with transaction.atomic():
        occurrence = _locked(signup.occurrence)
        signup = SignUp.objects.select_for_update().get(pk=signup.pk)
        if signup.status == SignUpStatus.CANCELLED:
            return signup
        _check_not_begun(occurrence, now)
        was = signup.status
        signup.status = SignUpStatus.CANCELLED
        signup.waitlist_position = None
        signup.cancelled_at = now
        signup.token_hash = ""
        signup.save(update_fields=["status", "waitlist_position", "cancelled_at", "token_hash"])
        log_action(
            actor=actor,
            action="activities.signup_cancel",
            organisation=occurrence.activity.organisation,
            obj=signup,
            data={"occurrence": occurrence.pk, "was": was},
        )
        if was == SignUpStatus.WAITLISTED:
            _close_up(occurrence)
        _promote(occurrence, now)
        _refresh_counts(occurrence)
        signup.occurrence = occurrence
    return signup
