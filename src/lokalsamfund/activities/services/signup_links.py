"""Sign-up without an account (``public`` activities only), by e-mail link: the sign-up waits,
unconfirmed and holding no place, until the link is opened (a page with one button: mail
scanners open links too); cancelling by the link; and deleting sign-ups whose link was not
opened in time. Places and the waitlist: ``signup_places``."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.permissions import SYSTEM

from ..models import Occurrence, SignUp, SignUpChannel, SignUpStatus
from . import signup_mail
from .signup_places import (
    UNCONFIRMED_HOURS,
    SignupNotValid,
    SignupResult,
    _cancel,
    _locked,
    _locked_open,
    _place_or_wait,
    _refresh_counts,
    _valid_email,
    check_open,
    new_token,
    signup_for_token,
    token_hash,
)


def _create_by_email(
    occurrence: Occurrence, places: int, name: str, email: str, language: str, now: datetime
) -> SignupResult:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Name: write your name."))
    if len(name) > 200:
        raise DomainError(_("Name: at most 200 characters."))
    email = _valid_email(email)
    with transaction.atomic():
        occurrence = _locked_open(occurrence, places, now)
        existing = (
            occurrence.signups.filter(user__isnull=True, email=email)
            .exclude(status=SignUpStatus.CANCELLED)
            .first()
        )
        if existing is not None:
            # The same answer as for a new sign-up (no telling who is signed up): the address
            # gets a fresh link to confirm or to cancel; an unconfirmed one gets its hours
            # anew (``UNCONFIRMED_HOURS``), since its link is new.
            if existing.status == SignUpStatus.UNCONFIRMED:
                existing.created_at = now
                existing.save(update_fields=["created_at"])
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
        found = signup_for_token(token, now=now)
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


def signup_cancel_by_token(*, token: str, now: datetime | None = None) -> SignUp:
    """Cancel a sign-up without an account by its e-mail link."""
    now = now or timezone.now()
    return _cancel(signup_for_token(token, now=now), SYSTEM, now)


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
