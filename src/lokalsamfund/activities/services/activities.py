"""Activities (aktiviteter): create, propose, decide, change, pause, resume, end; occurrences
cancelled, moved or given a note; open-ended series extended as time passes.

Occurrences are stored rows expanded from the rule (``recurrence.expand``). An activity held in
a common house (fælleshus) claims each future occurrence's hours through the booking service
(``bookings.services.booking_create``, use ``community_activity``, category ``department``),
all in the caller's one transaction: a clash raises ``Conflict`` naming the clashing time and
nothing is saved. The booking's booker is the person who published the activity (staff who
created it, or the coordinator or board member who approved the proposal); moving or
cancelling an occurrence moves (``booking_update``) or releases (``booking_cancel``) its
booking, by the acting user when they may change it themselves, otherwise by ``SYSTEM`` after
this module checked that the user manages the activity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.bookings import services as booking_services
from lokalsamfund.bookings.choices import BookingSource, BookingStatus, UseType
from lokalsamfund.bookings.models import Booking, Facility, Room
from lokalsamfund.core import formatting
from lokalsamfund.core.audit import log_action
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
from . import notices

if TYPE_CHECKING:
    from lokalsamfund.core.models import User

# Bookings of the common house are made this far ahead (the department's booking window in the
# shipped rules); later occurrences are booked by ``occurrences_extend`` as time passes.
BOOKING_HORIZON = timedelta(days=365)
# A series with an end (COUNT or UNTIL) is stored whole, up to this far from its first start.
BOUNDED_SPAN = timedelta(days=5 * 366)
PROPOSAL_STATUSES = (ActivityStatus.PROPOSED, ActivityStatus.CHANGES_REQUESTED)

# Fields an organiser may change with ``activity_update`` (besides time and place).
DETAIL_FIELDS = (
    "activity_type",
    "title",
    "description",
    "translations",
    "place",
    "target_group",
    "step_free",
    "hearing_loop",
    "sign_language",
    "accessibility_note",
    "price",
    "visibility",
    "signup_required",
    "capacity",
    "signup_closes_hours",
    "waitlist",
    "association",
)
TIME_FIELDS = ("starts_at", "duration_minutes", "rrule")
HOUSE_FIELDS = ("facility", "rooms", "whole_house")


@dataclass
class ChangeResult:
    """What an update did, in words for the organiser."""

    activity: Activity
    messages: list[str] = field(default_factory=list)


@dataclass
class ExtendResult:
    created: int = 0
    booked: int = 0
    refused: list[str] = field(default_factory=list)


# --- small helpers --------------------------------------------------------------------------


def _lang_fmt(value: datetime) -> str:
    from django.utils.translation import get_language

    return formatting.long_datetime(timezone.localtime(value), formatting.language(get_language()))


def _catalogue_slugs(organisation: Organisation) -> set[str]:
    from lokalsamfund.decisions.catalogue import catalogue_for

    return {a.slug for a in catalogue_for(organisation)}


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


def _rule_error(rule: str) -> None:
    try:
        recurrence.parse_rule(rule)
    except recurrence.RuleError as exc:
        raise DomainError(
            _("The repetition rule cannot be read: %(error)s.") % {"error": exc}
        ) from None


# --- validation -------------------------------------------------------------------------


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
    if activity.association is not None and (
        activity.association.organisation_id != activity.organisation_id
    ):
        raise DomainError(_("The association belongs to another organisation."))
    if timezone.is_naive(activity.starts_at):
        raise DomainError(_("Times must include their UTC offset (ISO 8601)."))
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


# --- bookings of the common house -------------------------------------------------------


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


# --- occurrences from the rule ------------------------------------------------------------


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


# --- create, propose, decide ------------------------------------------------------------------


def activity_create(
    *,
    actor: User,
    organisation: Organisation,
    departments: Sequence[Department],
    activity_type: str,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    rrule: str = "",
    description: str = "",
    facility: Facility | None = None,
    rooms: Sequence[Room] = (),
    whole_house: bool = False,
    place: str = "",
    details: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Activity:
    """Create an activity: published at once by those who may (caretakers, coordinators), a
    proposal awaiting approval from residents. ``details`` sets further fields of
    ``DETAIL_FIELDS`` (target group, accessibility, price, visibility, sign-up). A published
    activity in a common house books its occurrences; a clash raises Conflict and nothing is
    saved."""
    now = now or timezone.now()
    departments = list(departments)
    _check_departments(organisation, departments)
    publish = rules.may_publish_directly(actor, departments)
    if not publish and not rules.may_propose(actor, departments):
        raise Forbidden(_("You may not create or propose activities for these departments."))
    activity = Activity(
        organisation=organisation,
        activity_type=activity_type,
        title=title,
        description=description,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        rrule=rrule,
        facility=facility,
        whole_house=whole_house,
        place=(place or "").strip(),
        status=ActivityStatus.PUBLISHED if publish else ActivityStatus.PROPOSED,
        proposed_by=None if publish else actor,
        created_at=now,
        updated_at=now,
    )
    _apply_details(activity, details or {})
    _check_details(activity, now)
    _check_house(activity, departments, rooms)
    with transaction.atomic():
        activity.save()
        activity.departments.set(departments)
        activity.rooms.set(rooms)
        if publish:
            activity.organisers.add(actor)
        occurrences = _expand_future(activity, now)
        booked = _book(activity, occurrences, actor, now) if publish else 0
        log_action(
            actor=actor,
            action="activities.create" if publish else "activities.propose",
            organisation=organisation,
            obj=activity,
            data={
                "departments": [d.code for d in departments],
                "type": activity.activity_type,
                "occurrences": len(occurrences),
                "booked": booked,
                "status": activity.status,
            },
        )
    return activity


def _apply_details(activity: Activity, details: dict[str, Any]) -> None:
    unknown = sorted(set(details) - set(DETAIL_FIELDS))
    if unknown:
        raise DomainError(_("Unknown field: %(field)s.") % {"field": unknown[0]})
    for name, value in details.items():
        if name in ("place", "description", "accessibility_note") and value is None:
            value = ""
        setattr(activity, name, value)


def _locked(activity: Activity) -> Activity:
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("organisation", "facility", "proposed_by", "decided_by")
        .get(pk=activity.pk)
    )


def _require_approver(actor: User, activity: Activity) -> None:
    if not rules.may_approve(actor, activity):
        raise Forbidden(_("You may not decide proposals for these departments."))


def activity_approve(*, activity: Activity, actor: User, now: datetime | None = None) -> Activity:
    """Publish a proposal: the proposer becomes an organiser; a common house is booked for the
    future occurrences in the approver's name (confirmed where the approver approves the
    house's bookings). A clash raises Conflict and the proposal stays as it was."""
    now = now or timezone.now()
    _require_approver(actor, activity)
    with transaction.atomic():
        activity = _locked(activity)
        if activity.status not in PROPOSAL_STATUSES:
            raise DomainError(_("Only proposals can be approved."))
        activity.status = ActivityStatus.PUBLISHED
        activity.decided_by, activity.decided_at, activity.decision_note = actor, now, ""
        activity.updated_at = now
        activity.save()
        if activity.proposed_by is not None:
            activity.organisers.add(activity.proposed_by)
        occurrences = list(activity.occurrences.filter(starts_at__gte=now))
        booked = _book(activity, occurrences, actor, now)
        log_action(
            actor=actor,
            action="activities.approve",
            organisation=activity.organisation,
            obj=activity,
            data={"booked": booked},
        )
        notices.decision_mail(activity, "approved")
    return activity


def _decide_with_reason(
    activity: Activity, actor: User, reason: str, status: str, action: str, now: datetime | None
) -> Activity:
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason; the proposer sees it."))
    _require_approver(actor, activity)
    with transaction.atomic():
        activity = _locked(activity)
        if activity.status not in PROPOSAL_STATUSES:
            raise DomainError(_("Only proposals can be decided."))
        activity.status = status
        activity.decided_by, activity.decided_at = actor, now
        activity.decision_note = reason[:2000]
        activity.updated_at = now
        activity.save()
        log_action(
            actor=actor,
            action=action,
            organisation=activity.organisation,
            obj=activity,
            data={"reason": reason[:500]},
        )
        notices.decision_mail(
            activity, "changes" if status == ActivityStatus.CHANGES_REQUESTED else "declined"
        )
    return activity


def activity_request_changes(
    *, activity: Activity, actor: User, reason: str, now: datetime | None = None
) -> Activity:
    """Send a proposal back with the changes asked for; the proposer edits and resubmits."""
    return _decide_with_reason(
        activity,
        actor,
        reason,
        ActivityStatus.CHANGES_REQUESTED,
        "activities.request_changes",
        now,
    )


def activity_decline(
    *, activity: Activity, actor: User, reason: str, now: datetime | None = None
) -> Activity:
    """Decline a proposal with a reason the proposer sees."""
    return _decide_with_reason(
        activity, actor, reason, ActivityStatus.DECLINED, "activities.decline", now
    )


# --- change --------------------------------------------------------------------------------


def may_edit(user: User, activity: Activity) -> bool:
    """Organisers and deciders edit; the proposer edits an undecided proposal."""
    if rules.may_manage(user, activity):
        return True
    return (
        activity.proposed_by_id == user.pk
        and activity.status in PROPOSAL_STATUSES
        and user.is_authenticated
    )


def activity_update(
    *,
    activity: Activity,
    actor: User,
    changes: dict[str, Any],
    departments: Sequence[Department] | None = None,
    rooms: Sequence[Room] | None = None,
    now: datetime | None = None,
) -> ChangeResult:
    """Change an activity. ``changes`` holds fields of ``DETAIL_FIELDS``, ``TIME_FIELDS``,
    ``facility`` and ``whole_house``. A new time or rule re-plans the future occurrences:
    occurrences that people signed up for are kept as they are (never moved silently) and
    named in the result; the others follow the new rule, and their bookings with them. A
    changes-requested proposal edited by its proposer goes back to the queue."""
    now = now or timezone.now()
    if not may_edit(actor, activity):
        raise Forbidden(_("You may not change this activity."))
    allowed = set(DETAIL_FIELDS) | set(TIME_FIELDS) | {"facility", "whole_house"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise DomainError(_("Unknown field: %(field)s.") % {"field": unknown[0]})
    with transaction.atomic():
        activity = _locked(activity)
        if activity.status in (ActivityStatus.ENDED, ActivityStatus.DECLINED):
            raise DomainError(
                _("The activity is %(status)s and cannot be changed.")
                % {"status": activity.get_status_display()}
            )
        old = {
            name: getattr(activity, name) for name in (*TIME_FIELDS, "facility_id", "whole_house")
        }
        old_rooms = {r.pk for r in activity.rooms.all()}
        _apply_details(activity, {k: v for k, v in changes.items() if k in DETAIL_FIELDS})
        for name in (*TIME_FIELDS, "facility", "whole_house"):
            if name in changes:
                setattr(activity, name, changes[name])
        if activity.facility is None:
            activity.whole_house = False
        new_departments = (
            list(departments) if departments is not None else list(activity.departments.all())
        )
        _check_departments(activity.organisation, new_departments)
        new_rooms = list(rooms) if rooms is not None else list(activity.rooms.all())
        if activity.facility is None:
            new_rooms = []
        _check_details(activity, now)
        _check_house(activity, new_departments, new_rooms)
        time_changed = any(old[n] != getattr(activity, n) for n in TIME_FIELDS)
        house_changed = (
            old["facility_id"] != activity.facility_id
            or old["whole_house"] != activity.whole_house
            or old_rooms != {r.pk for r in new_rooms}
        )
        messages: list[str] = []
        if activity.status == ActivityStatus.CHANGES_REQUESTED and not rules.may_approve(
            actor, activity
        ):
            activity.status = ActivityStatus.PROPOSED
            messages.append(_("The proposal is sent for approval again."))
        activity.updated_at = now
        activity.save()
        activity.departments.set(new_departments)
        activity.rooms.set(new_rooms)
        if time_changed or house_changed:
            messages += _replan(activity, actor, now, time_changed=time_changed)
        elif activity.facility_id is not None and "title" in changes:
            Booking.objects.filter(
                activity_occurrence__activity=activity, starts_at__gte=now
            ).update(title=activity.title[:200])
        log_action(
            actor=actor,
            action="activities.update",
            organisation=activity.organisation,
            obj=activity,
            data={
                "fields": sorted(changes),
                "time_changed": time_changed,
                "house_changed": house_changed,
            },
        )
    if not messages:
        messages.append(_("The activity is saved."))
    return ChangeResult(activity, messages)


def _replan(activity: Activity, actor: User, now: datetime, *, time_changed: bool) -> list[str]:
    """Future occurrences after a change of time, rule or house (inside the transaction)."""
    future = list(
        activity.occurrences.filter(starts_at__gte=now).select_related("booking__facility")
    )
    counts = _active_signup_counts([o.pk for o in future])
    messages: list[str] = []
    kept = [o for o in future if counts.get(o.pk)]
    free = [o for o in future if not counts.get(o.pk)]
    # Release every future booking first, so the new times never clash with the old ones.
    _release(future, actor, now)
    removed = 0
    if time_changed:
        slots = {
            s.recurrence_id: s
            for s in _slots(activity, now, _window_end(activity, now))
            if s.starts_at >= now
        }
        for occurrence in free:
            slot = slots.get(occurrence.recurrence_id)
            if slot is None:
                occurrence.delete()
                removed += 1
            elif not occurrence.changed:
                occurrence.starts_at, occurrence.ends_at = slot.starts_at, slot.ends_at
                occurrence.save(update_fields=["starts_at", "ends_at"])
        _store(activity, list(slots.values()))
        activity.expanded_until = _window_end(activity, now)
        activity.save(update_fields=["expanded_until"])
    booker = (
        actor
        if rules.may_publish_directly(actor, list(activity.departments.all()))
        or (rules.may_approve(actor, activity))
        else (_booker_for(activity) or actor)
    )
    upcoming = list(activity.occurrences.filter(starts_at__gte=now).order_by("starts_at"))
    _book(activity, upcoming, booker, now)
    if time_changed:
        messages.append(
            _("The future dates follow the new time: %(count)d dates.")
            % {"count": sum(1 for o in upcoming if o.status == OccurrenceStatus.SCHEDULED)}
        )
    if removed:
        messages.append(_("%(count)d dates without sign-ups were removed.") % {"count": removed})
    for occurrence in kept:
        messages.append(
            _(
                "%(when)s is kept at its time because %(count)d people signed up: move or "
                "cancel it yourself if it should change."
            )
            % {"when": _lang_fmt(occurrence.starts_at), "count": counts[occurrence.pk]}
        )
    return messages


# --- pause, resume, end ---------------------------------------------------------------------


def _require_manager(actor: User, activity: Activity) -> None:
    if not rules.may_manage(actor, activity):
        raise Forbidden(_("You may not change this activity."))


def _stop(
    activity: Activity, actor: User, now: datetime, status: str, action: str, reason: str
) -> Activity:
    _require_manager(actor, activity)
    with transaction.atomic():
        activity = _locked(activity)
        allowed_from = (
            (ActivityStatus.PUBLISHED,)
            if status == ActivityStatus.PAUSED
            else (ActivityStatus.PUBLISHED, ActivityStatus.PAUSED)
        )
        if activity.status not in allowed_from:
            raise DomainError(
                _("The activity is %(status)s.") % {"status": activity.get_status_display()}
            )
        future = list(
            activity.occurrences.filter(
                starts_at__gte=now, status=OccurrenceStatus.SCHEDULED
            ).select_related("booking__facility")
        )
        counts = _active_signup_counts([o.pk for o in future])
        _release(future, actor, now)
        told = [o for o in future if counts.get(o.pk)]
        note = (reason or "").strip()[:300]
        for occurrence in told:
            occurrence.status, occurrence.changed = OccurrenceStatus.CANCELLED, True
            if note:
                occurrence.note = note
            occurrence.save(update_fields=["status", "changed", "note"])
        # Dates nobody signed up for are removed; resuming stores them again.
        Occurrence.objects.filter(pk__in=[o.pk for o in future if not counts.get(o.pk)]).delete()
        activity.status, activity.updated_at = status, now
        activity.save(update_fields=["status", "updated_at"])
        log_action(
            actor=actor,
            action=action,
            organisation=activity.organisation,
            obj=activity,
            data={"cancelled": len(told), "removed": len(future) - len(told)},
        )
        notices.occurrences_mail(
            activity, told, "paused" if status == ActivityStatus.PAUSED else "ended"
        )
    return activity


def activity_pause(
    *, activity: Activity, actor: User, reason: str = "", now: datetime | None = None
) -> Activity:
    """Pause a series: future dates are cancelled (those with sign-ups, whose participants are
    told) or removed, and their bookings released."""
    return _stop(
        activity, actor, now or timezone.now(), ActivityStatus.PAUSED, "activities.pause", reason
    )


def activity_end(
    *, activity: Activity, actor: User, reason: str = "", now: datetime | None = None
) -> Activity:
    """End a series for good: as pausing, and the rule is no longer extended."""
    return _stop(
        activity, actor, now or timezone.now(), ActivityStatus.ENDED, "activities.end", reason
    )


def activity_resume(*, activity: Activity, actor: User, now: datetime | None = None) -> Activity:
    """Resume a paused series: the future dates are stored (and booked) again; dates cancelled
    while paused stay cancelled."""
    now = now or timezone.now()
    _require_manager(actor, activity)
    with transaction.atomic():
        activity = _locked(activity)
        if activity.status != ActivityStatus.PAUSED:
            raise DomainError(_("Only a paused activity can be resumed."))
        activity.status, activity.updated_at = ActivityStatus.PUBLISHED, now
        activity.save(update_fields=["status", "updated_at"])
        end = _window_end(activity, now)
        created = _store(activity, [s for s in _slots(activity, now, end) if s.starts_at >= now])
        activity.expanded_until = end
        activity.save(update_fields=["expanded_until"])
        booker = (
            actor
            if rules.may_publish_directly(actor, list(activity.departments.all()))
            or rules.may_approve(actor, activity)
            else (_booker_for(activity) or actor)
        )
        booked = _book(activity, created, booker, now)
        log_action(
            actor=actor,
            action="activities.resume",
            organisation=activity.organisation,
            obj=activity,
            data={"occurrences": len(created), "booked": booked},
        )
    return activity


# --- one occurrence ------------------------------------------------------------------------


def _occurrence_locked(occurrence: Occurrence) -> Occurrence:
    return (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("activity__organisation", "activity__facility", "booking__facility")
        .get(pk=occurrence.pk)
    )


def occurrence_cancel(
    *, occurrence: Occurrence, actor: User, reason: str = "", now: datetime | None = None
) -> Occurrence:
    """Cancel one date (the series' EXDATE): its booking is released and its participants are
    told by e-mail. The sign-ups stay on the cancelled date (no one is moved elsewhere)."""
    now = now or timezone.now()
    _require_manager(actor, occurrence.activity)
    with transaction.atomic():
        occurrence = _occurrence_locked(occurrence)
        if occurrence.status == OccurrenceStatus.CANCELLED:
            raise DomainError(_("This date is already cancelled."))
        if occurrence.ends_at <= now:
            raise DomainError(_("This date has passed."))
        _release([occurrence], actor, now)
        occurrence.status, occurrence.changed = OccurrenceStatus.CANCELLED, True
        reason = (reason or "").strip()[:300]
        if reason:
            occurrence.note = reason
        occurrence.save(update_fields=["status", "changed", "note", "booking"])
        log_action(
            actor=actor,
            action="activities.occurrence_cancel",
            organisation=occurrence.activity.organisation,
            obj=occurrence.activity,
            data={"occurrence": occurrence.pk, "start": occurrence.starts_at.isoformat()},
        )
        notices.occurrences_mail(occurrence.activity, [occurrence], "cancelled")
    return occurrence


def occurrence_move(
    *,
    occurrence: Occurrence,
    actor: User,
    start: datetime,
    end: datetime | None = None,
    now: datetime | None = None,
) -> Occurrence:
    """Move one date (RECURRENCE-ID: it keeps the start the rule gave it); its booking moves
    with it (a clash raises Conflict and nothing changes) and its participants are told."""
    now = now or timezone.now()
    _require_manager(actor, occurrence.activity)
    if timezone.is_naive(start) or (end is not None and timezone.is_naive(end)):
        raise DomainError(_("Times must include their UTC offset (ISO 8601)."))
    with transaction.atomic():
        occurrence = _occurrence_locked(occurrence)
        if occurrence.status == OccurrenceStatus.CANCELLED:
            raise DomainError(_("A cancelled date cannot be moved."))
        if occurrence.starts_at < now:
            raise DomainError(_("This date has begun or passed."))
        if end is None:
            end = start + (occurrence.ends_at - occurrence.starts_at)
        if end <= start:
            raise DomainError(_("The end must be after the start."))
        if start < now:
            raise DomainError(
                _("The new start (%(start)s) has passed.") % {"start": _lang_fmt(start)}
            )
        old_start = occurrence.starts_at
        booking = occurrence.booking
        if booking is not None and booking.is_active:
            booking_services.booking_update(
                booking=booking,
                actor=_booking_actor(actor, booking),
                start=start,
                end=end,
                now=now,
            )
        occurrence.starts_at, occurrence.ends_at, occurrence.changed = start, end, True
        occurrence.save(update_fields=["starts_at", "ends_at", "changed"])
        log_action(
            actor=actor,
            action="activities.occurrence_move",
            organisation=occurrence.activity.organisation,
            obj=occurrence.activity,
            data={
                "occurrence": occurrence.pk,
                "from": old_start.isoformat(),
                "start": start.isoformat(),
                "end": end.isoformat(),
            },
        )
        notices.occurrences_mail(occurrence.activity, [occurrence], "moved")
    return occurrence


def occurrence_change(
    *, occurrence: Occurrence, actor: User, note: str, now: datetime | None = None
) -> Occurrence:
    """A note for one date ("we cook Syrian food", "in the meeting room this time")."""
    _require_manager(actor, occurrence.activity)
    note = (note or "").strip()
    if len(note) > 300:
        raise DomainError(_("The note is at most 300 characters."))
    with transaction.atomic():
        occurrence = _occurrence_locked(occurrence)
        occurrence.note, occurrence.changed = note, True
        occurrence.save(update_fields=["note", "changed"])
        log_action(
            actor=actor,
            action="activities.occurrence_note",
            organisation=occurrence.activity.organisation,
            obj=occurrence.activity,
            data={"occurrence": occurrence.pk},
        )
    return occurrence


# --- as time passes ---------------------------------------------------------------------------


def occurrences_extend(*, now: datetime | None = None) -> ExtendResult:
    """Store the occurrences of open-ended published series up to the horizon, and book the
    common house for dates that came within the booking horizon. Safe to run again (existing
    dates are skipped). A date whose house is taken by then is stored cancelled, with a note,
    and reported."""
    now = now or timezone.now()
    result = ExtendResult()
    candidates = Activity.objects.filter(status=ActivityStatus.PUBLISHED).select_related(
        "organisation", "facility"
    )
    for activity in candidates:
        open_ended = recurrence.is_open_ended(activity.rrule)
        due = open_ended and (
            activity.expanded_until is None
            or activity.expanded_until < now + recurrence.HORIZON - timedelta(days=1)
        )
        needs_booking = activity.facility_id is not None and (
            activity.occurrences.filter(
                booking__isnull=True,
                status=OccurrenceStatus.SCHEDULED,
                starts_at__gte=now,
                starts_at__lt=now + BOOKING_HORIZON,
            ).exists()
        )
        if not due and not needs_booking:
            continue
        with transaction.atomic():
            activity = _locked(activity)
            if due:
                result.created += len(_expand_future(activity, now))
            if activity.facility_id is None:
                continue
            booker = _booker_for(activity)
            if booker is None:
                result.refused.append(
                    _("%(title)s: no one to book the house in the name of.")
                    % {"title": activity.title}
                )
                continue
            for occurrence in activity.occurrences.filter(
                booking__isnull=True,
                status=OccurrenceStatus.SCHEDULED,
                starts_at__gte=now,
                starts_at__lt=now + BOOKING_HORIZON,
            ).order_by("starts_at"):
                try:
                    with transaction.atomic():
                        result.booked += _book(activity, [occurrence], booker, now)
                except DomainError as exc:
                    occurrence.status, occurrence.changed = OccurrenceStatus.CANCELLED, True
                    occurrence.note = _("Cancelled: the common house was not free.")
                    occurrence.save(update_fields=["status", "changed", "note"])
                    result.refused.append(f"{activity.title}: {exc.message}")
                    log_action(
                        actor=SYSTEM,
                        action="activities.occurrence_cancel",
                        organisation=activity.organisation,
                        obj=activity,
                        data={"occurrence": occurrence.pk, "reason": "house_taken"},
                    )
            if due:
                log_action(
                    actor=SYSTEM,
                    action="activities.extend",
                    organisation=activity.organisation,
                    obj=activity,
                    data={
                        "expanded_until": activity.expanded_until.isoformat()
                        if activity.expanded_until
                        else ""
                    },
                )
    return result
