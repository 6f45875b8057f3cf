"""Dates of an activity (engineer A's area): pause, resume or end a series; cancel, move or
give a note to one date; extend open-ended series as time passes. The booking of each date
moves or is released with it (see ``services.activities``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.bookings import services as booking_services
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.permissions import SYSTEM

from .. import permissions as rules
from .. import recurrence
from ..models import (
    Activity,
    ActivityStatus,
    Occurrence,
    OccurrenceStatus,
)
from . import notices
from .series import (
    BOOKING_HORIZON,
    _active_signup_counts,
    _book,
    _booker_for,
    _booking_actor,
    _expand_future,
    _lang_fmt,
    _locked,
    _release,
    _require_manager,
    _slots,
    _store,
    _window_end,
    feed_changed,
)

if TYPE_CHECKING:
    from lokalsamfund.core.models import User


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
        feed_changed(activity)
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
        feed_changed(activity)
        log_action(
            actor=actor,
            action="activities.resume",
            organisation=activity.organisation,
            obj=activity,
            data={"occurrences": len(created), "booked": booked},
        )
    return activity


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
        feed_changed(occurrence.activity_id)
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
        feed_changed(occurrence.activity_id)
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
        feed_changed(occurrence.activity_id)
        log_action(
            actor=actor,
            action="activities.occurrence_note",
            organisation=occurrence.activity.organisation,
            obj=occurrence.activity,
            data={"occurrence": occurrence.pk},
        )
    return occurrence


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
                    feed_changed(activity)
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


@dataclass
class ExtendResult:
    created: int = 0
    booked: int = 0
    refused: list[str] = field(default_factory=list)
