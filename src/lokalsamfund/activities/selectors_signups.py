"""Reads of the sign-up area: the state of one occurrence's sign-up box, a user's sign-ups
and the organiser's list (names until the occurrence has been held, then counts only)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, cast

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core.errors import DomainError

from . import permissions as rules
from .models import Occurrence, SignUp, SignUpStatus
from .services import signups as services

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lokalsamfund.core.models import User


@dataclass
class SignupState:
    """What the sign-up box shows to one user for one occurrence."""

    occurrence: Occurrence
    required: bool
    capacity: int | None
    places_left: int | None
    waiting: int  # sign-ups on the waitlist
    mine: SignUp | None
    closed_reason: str  # why one cannot sign up now ("" when open)
    may_join: bool  # with the account
    public_form: bool  # without an account (anonymous visitor, public activity)
    may_sign_up_others: bool
    max_places: int

    @property
    def full(self) -> bool:
        return self.places_left is not None and self.places_left <= 0


def signup_state(
    *, occurrence: Occurrence, user: User | AnonymousUser, now: datetime | None = None
) -> SignupState:
    """The box of one occurrence (a handful of queries; pages showing several boxes use
    ``signup_states``)."""
    return signup_states(occurrences=[occurrence], user=user, now=now)[occurrence.pk]


def signup_states(
    *,
    occurrences: Iterable[Occurrence],
    user: User | AnonymousUser,
    now: datetime | None = None,
    listed: bool = False,
) -> dict[int, SignupState]:
    """The boxes of many occurrences by their pk, in a number of queries that does not grow
    with the number of occurrences: the counts in one grouped query, the user's own sign-ups in
    one, and what the user may do once per activity.

    ``listed``: the occurrences come from a list of what the user may see (the calendar), so
    no query per activity: one may join a published activity, and the list offers no signing
    up of others (``may_sign_up_others`` is False)."""
    now = now or timezone.now()
    rows = list(occurrences)
    if not rows:
        return {}
    ids = [o.pk for o in rows]
    counts = {
        c["occurrence_id"]: c
        for c in SignUp.objects.filter(occurrence_id__in=ids)
        .values("occurrence_id")
        .annotate(
            confirmed=Sum("places", filter=Q(status=SignUpStatus.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=SignUpStatus.WAITLISTED)),
        )
        .order_by()
    }
    mine: dict[int, SignUp] = {}
    authenticated = user.is_authenticated
    if authenticated:
        own = (
            SignUp.objects.filter(occurrence_id__in=ids, user=cast("User", user))
            .exclude(status=SignUpStatus.CANCELLED)
            .order_by("pk")
        )
        for signup in own:
            mine.setdefault(signup.occurrence_id, signup)
    rights: dict[int, tuple[bool, bool]] = {}
    states: dict[int, SignupState] = {}
    for occurrence in rows:
        activity = occurrence.activity
        if listed:
            rights[activity.pk] = (authenticated and activity.status == "published", False)
        elif activity.pk not in rights:
            rights[activity.pk] = (
                authenticated and rules.may_join(user, activity),
                authenticated and services.may_sign_up_others(user, activity),
            )
        may_join, may_others = rights[activity.pk]
        count = counts.get(occurrence.pk, {})
        states[occurrence.pk] = _state(
            occurrence, now, count, mine.get(occurrence.pk), authenticated, may_join, may_others
        )
    return states


def _state(
    occurrence: Occurrence,
    now: datetime,
    counts: dict,
    mine: SignUp | None,
    authenticated: bool,
    may_join: bool,
    may_sign_up_others: bool,
) -> SignupState:
    activity = occurrence.activity
    reason = ""
    try:
        services.check_open(occurrence, now)
    except DomainError as exc:
        reason = exc.message
    capacity = activity.capacity
    left = None
    if activity.signup_required and capacity is not None:
        left = max(0, capacity - int(counts.get("confirmed") or 0))
    waiting = int(counts.get("waiting") or 0)
    if left is not None and left <= 0 and not activity.waitlist and not reason:
        reason = _("Sorry, this time is full.")
    return SignupState(
        occurrence=occurrence,
        required=activity.signup_required,
        capacity=capacity,
        places_left=left,
        waiting=waiting,
        mine=mine,
        closed_reason=reason,
        may_join=may_join,
        public_form=not authenticated
        and activity.visibility == "public"
        and activity.status == "published",
        may_sign_up_others=may_sign_up_others,
        max_places=min(services.MAX_PLACES, capacity or services.MAX_PLACES),
    )


def visible_occurrence(*, user: User | AnonymousUser, occurrence_id: int) -> Occurrence | None:
    """The occurrence when ``user`` may see its activity, else None."""
    occurrence = (
        Occurrence.objects.select_related("activity", "activity__facility")
        .filter(pk=occurrence_id)
        .first()
    )
    if occurrence is None or not rules.may_view(user, occurrence.activity):
        return None
    return occurrence


def signups_of(user: User, *, now: datetime | None = None) -> QuerySet[SignUp]:
    """The user's coming sign-ups (a place or the waitlist), soonest first."""
    now = now or timezone.now()
    return (
        SignUp.objects.filter(
            user=user,
            status__in=(SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED),
            occurrence__ends_at__gt=now,
        )
        .select_related("occurrence__activity__facility")
        .order_by("occurrence__starts_at", "pk")
    )


@dataclass
class SignupList:
    """The organiser's view of one occurrence: names until it has been held."""

    occurrence: Occurrence
    held: bool
    confirmed: list[SignUp]
    waitlisted: list[SignUp]
    confirmed_places: int
    waitlisted_places: int


def signup_list(*, occurrence: Occurrence, now: datetime | None = None) -> SignupList:
    """Call only for someone ``may_see_names`` allows. Once the occurrence has ended, the
    list holds no names (only the counts kept on the occurrence)."""
    now = now or timezone.now()
    held = occurrence.ends_at <= now or occurrence.names_deleted_at is not None
    if held:
        return SignupList(
            occurrence, True, [], [], occurrence.signed_up_count, occurrence.waitlist_count
        )
    rows = list(
        occurrence.signups.filter(status__in=(SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED))
        .select_related("user")
        .order_by("created_at", "pk")
    )
    confirmed = [s for s in rows if s.status == SignUpStatus.CONFIRMED]
    waitlisted = sorted(
        (s for s in rows if s.status == SignUpStatus.WAITLISTED),
        key=lambda s: s.waitlist_position or 0,
    )
    return SignupList(
        occurrence,
        False,
        confirmed,
        waitlisted,
        sum(s.places for s in confirmed),
        sum(s.places for s in waitlisted),
    )


def may_see_names(user: User | AnonymousUser, occurrence: Occurrence) -> bool:
    """Organisers and staff (who may sign others up) see the names of a coming occurrence."""
    return user.is_authenticated and services.may_sign_up_others(user, occurrence.activity)


def participant_name(signup: SignUp) -> str:
    if signup.user is not None:
        return signup.user.get_full_name()
    return signup.name
