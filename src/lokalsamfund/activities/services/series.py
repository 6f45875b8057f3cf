"""Expanding an activity's rule into stored dates, and the dates' bookings of the common
house (engineer A's area; used by ``activities`` and ``occurrences``): validation of an
activity's fields, the occurrences from ``recurrence.expand``, and the bookings claimed
through ``bookings.services`` (see the module docstring of ``services.activities``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.bookings import services as booking_services
from lokalsamfund.bookings.choices import BookingSource, BookingStatus, UseType
from lokalsamfund.bookings.models import Booking, Facility, Room
from lokalsamfund.core import formatting
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import SYSTEM

from .. import permissions as rules
from .. import recurrence
from ..models import (
    Activity,
    ActivityStatus,
    Occurrence,
    OccurrenceStatus,
    SignUp,
    SignUpStatus,
    TargetGroup,
    Visibility,
)

if TYPE_CHECKING:
    from lokalsamfund.core.models import User

# Bookings of the common house are made this far ahead (the department's booking window in the
# shipped rules); later occurrences are booked by ``occurrences_extend`` as time passes.
BOOKING_HORIZON = timedelta(days=365)
# A series with an end (COUNT or UNTIL) is stored whole, up to this far from its first start.
BOUNDED_SPAN = timedelta(days=5 * 366)
# Bounds of what the columns and the date arithmetic hold (a number beyond them was a 500).
MAX_CAPACITY = 10_000
MAX_SIGNUP_CLOSES_HOURS = 366 * 24


def _lang_fmt(value: datetime) -> str:
    from django.utils.translation import get_language

    return formatting.long_datetime(timezone.localtime(value), formatting.language(get_language()))


def _lang_number(value: int) -> str:
    from django.utils.translation import get_language

    return formatting.number(value, lang=formatting.language(get_language()))


def _active_signup_counts(occurrence_ids: Sequence[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for occurrence_id in (
        SignUp.objects.filter(occurrence_id__in=list(occurrence_ids))
        .exclude(status=SignUpStatus.CANCELLED)
        .values_list("occurrence_id", flat=True)
    ):
        counts[occurrence_id] = counts.get(occurrence_id, 0) + 1
    return counts


def _duration(activity: Activity) -> timedelta:
    return timedelta(minutes=activity.duration_minutes)


def _window_end(activity: Activity, now: datetime) -> datetime:
    if recurrence.is_open_ended(activity.rrule):
        return max(now, activity.starts_at) + recurrence.HORIZON
    return activity.starts_at + BOUNDED_SPAN


def _slots(activity: Activity, start: datetime, end: datetime) -> list[recurrence.Slot]:
    try:
        return recurrence.expand(
            starts_at=activity.starts_at,
            duration=_duration(activity),
            rule=activity.rrule,
            start=start,
            end=end,
        )
    except recurrence.RuleError as exc:
        raise DomainError(
            _("The repetition rule cannot be used: %(error)s.") % {"error": exc}
        ) from None


def _book(
    activity: Activity, occurrences: Sequence[Occurrence], booker: User, now: datetime
) -> int:
    """Claim the house for every future, scheduled, unbooked occurrence within the booking
    horizon (inside the caller's transaction). A clash raises Conflict from the booking
    service; the caller's transaction then saves nothing."""
    if activity.facility_id is None or activity.status != ActivityStatus.PUBLISHED:
        return 0
    facility = Facility.objects.get(pk=activity.facility_id)
    rooms = list(activity.rooms.all()) if not activity.whole_house else []
    changed = []
    for occurrence in occurrences:
        if (
            occurrence.booking_id is not None
            or occurrence.status != OccurrenceStatus.SCHEDULED
            or occurrence.starts_at < now
            or occurrence.starts_at >= now + BOOKING_HORIZON
        ):
            continue
        occurrence.booking = booking_services.booking_create(
            facility=facility,
            booker=booker,
            start=occurrence.starts_at,
            end=occurrence.ends_at,
            title=activity.title[:200],
            use_type=UseType.COMMUNITY_ACTIVITY,
            category="department",
            rooms=rooms,
            whole_house=activity.whole_house,
            source=BookingSource.ACTIVITY,
            notify=False,
            now=now,
        )
        changed.append(occurrence)
    Occurrence.objects.bulk_update(changed, ["booking"])
    return len(changed)


def _booking_actor(actor: User, booking: Booking) -> Any:
    """Who changes an occurrence's booking: the user when the booking service lets them
    (the booker, staff of the house), otherwise SYSTEM (the activity rules were checked)."""
    from lokalsamfund.core import permissions
    from lokalsamfund.core.permissions import Perm

    if actor.pk in (booking.booker_id, booking.created_by_id) or any(
        permissions.has_perm(actor, perm, booking.facility)
        for perm in (Perm.APPROVE_BOOKINGS, Perm.BOOK_ON_BEHALF)
    ):
        return actor
    return SYSTEM


def _release(occurrences: Sequence[Occurrence], actor: User | Any, now: datetime) -> None:
    for occurrence in occurrences:
        booking = occurrence.booking
        if booking is None:
            continue
        if booking.status in (BookingStatus.PENDING, BookingStatus.CONFIRMED):
            who = actor if actor is SYSTEM else _booking_actor(actor, booking)
            booking_services.booking_cancel(booking=booking, actor=who, now=now)
        occurrence.booking = None
    Occurrence.objects.bulk_update([o for o in occurrences if o.pk], ["booking"])


def _booker_for(activity: Activity) -> User | None:
    """The person whose name the activity's bookings stand in: the last booker, else the one
    who decided the proposal, else the first organiser."""
    last = (
        Booking.objects.filter(activity_occurrence__activity=activity)
        .select_related("booker")
        .order_by("-created_at")
        .first()
    )
    if last is not None:
        return last.booker
    if activity.decided_by is not None:
        return activity.decided_by
    return activity.organisers.order_by("pk").first()


def _store(activity: Activity, slots: Sequence[recurrence.Slot]) -> list[Occurrence]:
    """Create rows for slots whose recurrence_id is not stored yet."""
    existing = set(
        Occurrence.objects.filter(
            activity=activity, recurrence_id__in=[s.recurrence_id for s in slots]
        ).values_list("recurrence_id", flat=True)
    )
    new = [
        Occurrence(
            activity=activity,
            recurrence_id=s.recurrence_id,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
        )
        for s in slots
        if s.recurrence_id not in existing
    ]
    created = Occurrence.objects.bulk_create(new)
    if created and created[0].pk is None:  # backends that return no ids
        created = list(
            Occurrence.objects.filter(
                activity=activity, recurrence_id__in=[o.recurrence_id for o in new]
            )
        )
    return sorted(created, key=lambda o: o.starts_at)


def _expand_future(activity: Activity, now: datetime) -> list[Occurrence]:
    """Store the occurrences from the first start to the window's end; returns new rows."""
    end = _window_end(activity, now)
    created = _store(activity, _slots(activity, activity.starts_at, end))
    activity.expanded_until = end
    activity.save(update_fields=["expanded_until"])
    return created


def feed_changed(activity: Activity | int) -> None:
    """What the department feeds show of ``activity`` changed (a detail, its status, one of
    its dates): raise its ``feed_revision``, which is part of the cached feeds' key, so the
    next feed request writes the feed again. In the database, not only in a cache, so it
    holds across server processes and for changes made by commands (``activities extend``).
    Call inside the service's transaction, after the activity's own ``save()``."""
    pk = activity if isinstance(activity, int) else activity.pk
    Activity.objects.filter(pk=pk).update(feed_revision=F("feed_revision") + 1)
    if isinstance(activity, Activity):
        activity.refresh_from_db(fields=["feed_revision"])


def _locked(activity: Activity) -> Activity:
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("organisation", "facility", "proposed_by", "decided_by")
        .get(pk=activity.pk)
    )


def _require_manager(actor: User, activity: Activity) -> None:
    if not rules.may_manage(actor, activity):
        raise Forbidden(_("You may not change this activity."))


def _catalogue_slugs(organisation: Organisation) -> set[str]:
    from lokalsamfund.decisions.catalogue import catalogue_for

    return {a.slug for a in catalogue_for(organisation)}


def _rule_error(rule: str) -> None:
    try:
        recurrence.parse_rule(rule)
    except recurrence.RuleError as exc:
        raise DomainError(
            _("The repetition rule cannot be read: %(error)s.") % {"error": exc}
        ) from None


def _check_departments(organisation: Organisation, departments: Sequence[Department]) -> None:
    if not departments:
        raise DomainError(_("Choose at least one department."))
    for department in departments:
        if department.organisation_id != organisation.pk:
            raise DomainError(
                _("%(department)s does not belong to %(organisation)s.")
                % {"department": department, "organisation": organisation}
            )


def _check_house(
    activity: Activity, departments: Sequence[Department], rooms: Sequence[Room]
) -> None:
    facility = activity.facility
    if facility is None:
        if rooms or activity.whole_house:
            raise DomainError(_("Rooms belong to a common house: choose the house too."))
        if not activity.place.strip():
            raise DomainError(_("Say where the activity takes place."))
        return
    if facility.organisation_id != activity.organisation_id:
        raise DomainError(
            _("%(house)s belongs to another organisation.") % {"house": facility.name}
        )
    if activity.whole_house and rooms:
        raise DomainError(_("Choose either the whole house or some rooms, not both."))
    if not activity.whole_house and not rooms:
        raise DomainError(_("Choose the whole house or at least one room."))
    for room in rooms:
        if room.facility_id != facility.pk:
            raise DomainError(
                _("%(room)s is not a room of %(house)s.")
                % {"room": room.name, "house": facility.name}
            )


def _check_details(activity: Activity, now: datetime) -> None:
    activity.title = (activity.title or "").strip()
    if not activity.title:
        raise DomainError(_("Give the activity a title."))
    if len(activity.title) > 200:
        raise DomainError(_("The title is at most 200 characters."))
    if activity.activity_type not in _catalogue_slugs(activity.organisation):
        raise DomainError(
            _("Unknown activity type: %(value)s. Choose one of the catalogue's types.")
            % {"value": activity.activity_type}
        )
    if activity.visibility not in Visibility.values:
        raise DomainError(_("Unknown visibility: %(value)s.") % {"value": activity.visibility})
    if activity.target_group not in TargetGroup.values:
        raise DomainError(_("Unknown target group: %(value)s.") % {"value": activity.target_group})
    try:
        price = Decimal(str(activity.price))
    except InvalidOperation:
        raise DomainError(_("The price must be an amount in kroner.")) from None
    if price < 0:
        raise DomainError(_("The price cannot be negative."))
    activity.price = price
    if activity.capacity is not None and activity.capacity < 1:
        raise DomainError(_("The number of places must be at least 1."))
    if activity.capacity is not None and activity.capacity > MAX_CAPACITY:
        raise DomainError(
            _("The number of places is at most %(max)s.") % {"max": _lang_number(MAX_CAPACITY)}
        )
    closes = activity.signup_closes_hours
    if closes is not None and not 0 <= closes <= MAX_SIGNUP_CLOSES_HOURS:
        raise DomainError(
            _("Sign-up closes between 0 and %(max)s hours before the start.")
            % {"max": _lang_number(MAX_SIGNUP_CLOSES_HOURS)}
        )
    if activity.association is not None and (
        activity.association.organisation_id != activity.organisation_id
    ):
        raise DomainError(_("The association belongs to another organisation."))
    if timezone.is_naive(activity.starts_at):
        raise DomainError(_("Times must include their UTC offset (ISO 8601)."))
    if activity.starts_at > now + BOUNDED_SPAN:
        raise DomainError(_("The first date is at most five years ahead."))
    if activity.duration_minutes is None or activity.duration_minutes < 5:
        raise DomainError(_("An activity lasts at least 5 minutes."))
    if activity.duration_minutes > 24 * 60:
        raise DomainError(_("An activity lasts at most 24 hours."))
    _rule_error(activity.rrule)
    activity.rrule = (activity.rrule or "").strip().removeprefix("RRULE:")
    slots = _slots(activity, activity.starts_at, _window_end(activity, now))
    if not slots:
        raise DomainError(_("The repetition rule gives no date."))
    if slots[-1].ends_at <= now:
        raise DomainError(
            _("Every date of the activity has passed (the last was %(last)s).")
            % {"last": _lang_fmt(slots[-1].starts_at)}
        )


PROPOSAL_STATUSES = (ActivityStatus.PROPOSED, ActivityStatus.CHANGES_REQUESTED)
