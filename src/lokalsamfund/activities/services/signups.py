"""Sign-up (tilmelding) to an occurrence, the waitlist (venteliste) and cancellation.

Rules held here, for pages, API and CLI alike:

- Capacity counts the ``places`` of confirmed sign-ups. A sign-up that does not fit goes on
  the waitlist (next ``waitlist_position``) when the activity has one, else it is refused.
- When places free (a cancellation, a raised capacity), the waitlist moves up first come, first
  served: the first in line is confirmed while their places fit (a party that does not fit
  waits at the head; nobody overtakes it), the positions close up (1, 2, 3 ... without gaps,
  held by constraints) and whoever moved up gets an e-mail with what, when and where.
- Every change of an occurrence's sign-ups takes the occurrence's row lock first
  (``select_for_update``; on SQLite every transaction is IMMEDIATE, so they queue the same
  way): concurrent sign-ups never confirm more places than there are.
- Without an account (``public`` activities only) a sign-up waits, unconfirmed and holding no
  place, until the e-mail link is opened. The link carries a random token of which only a
  keyed hash is stored; each e-mail to such a participant carries a fresh link (the older one
  stops working).
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

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import SYSTEM, Perm

from .. import permissions as rules
from ..models import (
    Activity,
    Occurrence,
    OccurrenceStatus,
    SignUp,
    SignUpChannel,
    SignUpStatus,
)
from . import signup_mail

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

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


# -- tokens -------------------------------------------------------------------------------


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


def signup_for_token(token: str) -> SignUp:
    found = (
        SignUp.objects.select_related("occurrence__activity")
        .filter(token_hash=token_hash(token or ""))
        .exclude(status=SignUpStatus.CANCELLED)
        .first()
    )
    if found is None:
        raise SignupNotValid(
            _("This link is not valid any more. Sign up again, or use the newest e-mail.")
        )
    return found


# -- rules --------------------------------------------------------------------------------


def may_sign_up_others(user: User | AnonymousUser, activity: Activity) -> bool:
    """Organisers, those who manage the activity, and staff with ``activities.sign_up_others``
    on one of its departments (coordinators, caretakers)."""
    if rules.may_manage(user, activity):
        return True
    return any(
        permissions.has_perm(user, Perm.SIGN_UP_OTHERS, d) for d in activity.departments.all()
    )


def _require_sign_up_others(actor: Actor, activity: Activity) -> None:
    if actor is SYSTEM or (
        isinstance(actor, User) and actor.is_authenticated and rules.may_manage(actor, activity)
    ):
        return
    departments = list(activity.departments.all())
    target = next(
        (
            d
            for d in departments
            if isinstance(actor, User) and permissions.has_perm(actor, Perm.SIGN_UP_OTHERS, d)
        ),
        departments[0] if departments else activity.organisation,
    )
    permissions.require(actor, Perm.SIGN_UP_OTHERS, target)


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


# -- counting under the lock ------------------------------------------------------------------


def _locked(occurrence: Occurrence) -> Occurrence:
    """The occurrence again, with its row locked until the transaction ends."""
    return (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("activity", "activity__facility", "activity__organisation")
        .get(pk=occurrence.pk)
    )


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


# -- services -------------------------------------------------------------------------------


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
        occurrence = _locked(occurrence)
        check_open(occurrence, now)
        _places(places, occurrence.activity)
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
        _place_or_wait(occurrence, signup)
        signup.save()
        _refresh_counts(occurrence)
        log_action(
            actor=user,
            action="activities.signup",
            organisation=occurrence.activity.organisation,
            obj=signup,
            data={"occurrence": occurrence.pk, "places": places, "status": signup.status},
        )
        signup_mail.placed(signup)
    return SignupResult(signup)


def _create_by_email(
    occurrence: Occurrence, places: int, name: str, email: str, language: str, now: datetime
) -> SignupResult:
    name = " ".join((name or "").split())
    email = (email or "").strip().lower()
    if not name:
        raise DomainError(_("Name: write your name."))
    if len(name) > 200:
        raise DomainError(_("Name: at most 200 characters."))
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("E-mail: enter a valid e-mail address.")) from None
    with transaction.atomic():
        occurrence = _locked(occurrence)
        check_open(occurrence, now)
        _places(places, occurrence.activity)
        existing = (
            occurrence.signups.filter(user__isnull=True, email=email)
            .exclude(status=SignUpStatus.CANCELLED)
            .first()
        )
        if existing is not None:
            # The same answer as for a new sign-up (no telling who is signed up): the address
            # gets a fresh link to confirm or to cancel.
            token = new_token(existing)
            signup_mail.link_again(existing, token)
            return SignupResult(existing, token)
        signup = SignUp(
            occurrence=occurrence,
            name=name,
            email=email,
            places=places,
            status=SignUpStatus.UNCONFIRMED,
            channel=SignUpChannel.EMAIL,
            language=language,
            created_at=now,
        )
        token = secrets.token_urlsafe(32)
        signup.token_hash = token_hash(token)
        signup.save()
        log_action(
            actor=SYSTEM,
            action="activities.signup",
            organisation=occurrence.activity.organisation,
            obj=signup,
            data={"occurrence": occurrence.pk, "places": places, "status": signup.status},
        )
        signup_mail.confirm_link(signup, token)
    return SignupResult(signup, token)


def signup_confirm(*, token: str, now: datetime | None = None) -> SignupResult:
    """Confirm a sign-up without an account by its e-mail link: a place, or the waitlist.
    Opening the link again changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        found = signup_for_token(token)
        occurrence = _locked(found.occurrence)
        signup = SignUp.objects.select_for_update().get(pk=found.pk)
        if signup.status == SignUpStatus.CANCELLED:  # cancelled meanwhile
            raise SignupNotValid(
                _("This link is not valid any more. Sign up again, or use the newest e-mail.")
            )
        if signup.status != SignUpStatus.UNCONFIRMED:
            return SignupResult(signup, token)
        check_open(occurrence, now)
        _place_or_wait(occurrence, signup)
        signup.save(update_fields=["status", "waitlist_position"])
        _refresh_counts(occurrence)
        log_action(
            actor=SYSTEM,
            action="activities.signup_confirm",
            organisation=occurrence.activity.organisation,
            obj=signup,
            data={"occurrence": occurrence.pk, "status": signup.status},
        )
        signup_mail.placed(signup, token=token)
    return SignupResult(signup, token)


def signup_on_behalf(
    *,
    occurrence: Occurrence,
    actor: Actor,
    name: str,
    phone: str = "",
    email: str = "",
    places: int = 1,
    now: datetime | None = None,
) -> SignupResult:
    """Sign up a resident who phoned in (name and phone or e-mail), by an organiser or staff
    with ``activities.sign_up_others``. Confirmed at once (or on the waitlist); with an e-mail
    address the resident gets the confirmation and a link to cancel."""
    now = now or timezone.now()
    _require_sign_up_others(actor, occurrence.activity)
    name = " ".join((name or "").split())
    phone = " ".join((phone or "").split())
    email = (email or "").strip().lower()
    if not name:
        raise DomainError(_("Name: write the participant's name."))
    if len(name) > 200 or len(phone) > 40:
        raise DomainError(_("Name or phone is too long."))
    if not phone and not email:
        raise DomainError(_("Give a phone number or an e-mail address."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("E-mail: enter a valid e-mail address.")) from None
    with transaction.atomic():
        occurrence = _locked(occurrence)
        check_open(occurrence, now)
        _places(places, occurrence.activity)
        signup = SignUp(
            occurrence=occurrence,
            name=name,
            phone=phone,
            email=email,
            places=places,
            channel=SignUpChannel.STAFF,
            created_by=actor if isinstance(actor, User) else None,
            language=settings.LANGUAGE_CODE,
            created_at=now,
        )
        _place_or_wait(occurrence, signup)
        signup.save()
        _refresh_counts(occurrence)
        log_action(
            actor=actor,
            action="activities.signup_on_behalf",
            organisation=occurrence.activity.organisation,
            obj=signup,
            data={"occurrence": occurrence.pk, "places": places, "status": signup.status},
        )
        token = ""
        if email:
            token = new_token(signup)
            signup_mail.placed(signup, token=token)
    return SignupResult(signup, token)


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


def signup_cancel_by_token(*, token: str, now: datetime | None = None) -> SignUp:
    """Cancel a sign-up without an account by its e-mail link."""
    return _cancel(signup_for_token(token), SYSTEM, now or timezone.now())


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


UNCONFIRMED_HOURS = 48  # an unconfirmed sign-up without an account is deleted after this


def unconfirmed_expire(*, now: datetime | None = None) -> int:
    """Delete the sign-ups without an account whose e-mail link was not opened within
    ``UNCONFIRMED_HOURS`` of signing up (they never held a place, so no count changes).
    Audit-logged once per occurrence with how many; returns how many were deleted. Idempotent;
    run daily by ``lokalsamfund activities tidy``."""
    now = now or timezone.now()
    stale = SignUp.objects.filter(
        status=SignUpStatus.UNCONFIRMED,
        created_at__lte=now - timedelta(hours=UNCONFIRMED_HOURS),
    )
    per_occurrence: dict[int, list[int]] = {}
    for pk, occurrence_id in stale.values_list("pk", "occurrence_id"):
        per_occurrence.setdefault(occurrence_id, []).append(pk)
    deleted = 0
    occurrences = Occurrence.objects.select_related("activity__organisation").in_bulk(
        list(per_occurrence)
    )
    for occurrence_id, pks in per_occurrence.items():
        occurrence = occurrences[occurrence_id]
        with transaction.atomic():
            # Still unconfirmed: a link opened meanwhile keeps its sign-up.
            count, _rows = SignUp.objects.filter(
                pk__in=pks, status=SignUpStatus.UNCONFIRMED
            ).delete()
            if count:
                log_action(
                    actor=SYSTEM,
                    action="activities.unconfirmed_expire",
                    organisation=occurrence.activity.organisation,
                    obj=occurrence,
                    data={"deleted": count, "hours": UNCONFIRMED_HOURS},
                )
        deleted += count
    return deleted
