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
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalsamfund.bookings.models import Booking, Facility, Room
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import Department, Organisation

from .. import permissions as rules
from ..models import (
    Activity,
    ActivityStatus,
    OccurrenceStatus,
)
from . import notices, signups
from .occurrences import (
    ExtendResult,
    activity_end,
    activity_pause,
    activity_resume,
    occurrence_cancel,
    occurrence_change,
    occurrence_move,
    occurrences_extend,
)
from .series import (
    BOOKING_HORIZON,
    PROPOSAL_STATUSES,
    _active_signup_counts,
    _book,
    _booker_for,
    _check_departments,
    _check_details,
    _check_house,
    _expand_future,
    _lang_fmt,
    _locked,
    _release,
    _slots,
    _store,
    _window_end,
    feed_changed,
)

if TYPE_CHECKING:
    from lokalsamfund.core.models import User

# The services of dates (``occurrences``) are part of this module's interface too.
__all__ = [
    "BOOKING_HORIZON",
    "DETAIL_FIELDS",
    "ChangeResult",
    "ExtendResult",
    "activity_approve",
    "activity_create",
    "activity_decline",
    "activity_end",
    "activity_pause",
    "activity_request_changes",
    "activity_resume",
    "activity_update",
    "may_edit",
    "occurrence_cancel",
    "occurrence_change",
    "occurrence_move",
    "occurrences_extend",
]

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
        feed_changed(activity)
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
        feed_changed(activity)
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
        feed_changed(activity)
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
        feed_changed(activity)
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
        if "capacity" in changes:
            # More places (or none): the waitlists of coming dates move up as far as they fit.
            moved = signups.activity_capacity_changed(activity=activity, now=now)
            if moved:
                messages.append(
                    ngettext(
                        "%(count)d person moved up from the waitlist.",
                        "%(count)d people moved up from the waitlist.",
                        moved,
                    )
                    % {"count": moved}
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
