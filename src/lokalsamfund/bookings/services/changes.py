"""Changing bookings: move (one or this-and-following), cancel, approve, reject.

The same rules as ``booking.booking_create``: the policy and the no-overlap logic stay in the
service layer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.permissions import Perm, SystemActor

from ..choices import ACTIVE_STATUSES, BookingStatus, UseType
from ..models import Booking, BookingClaim, Facility, Room
from ..pricing import booked_hours, quote
from ..selectors import CategoryOption, cancellation_deadline, policy_for
from . import checks
from .booking import _is_deadlock, _Plan, _quote, letting_problem_messages
from .notify import booking_mail

if TYPE_CHECKING:
    from lokalsamfund.core.models import User


# --- who may change a booking -------------------------------------------------------------------


def _is_staff(actor: User | SystemActor, facility: Facility) -> bool:
    if isinstance(actor, SystemActor):
        return True  # the platform on behalf of a service that checked its own rules
    return permissions.has_perm(actor, Perm.APPROVE_BOOKINGS, facility) or permissions.has_perm(
        actor, Perm.BOOK_ON_BEHALF, facility
    )


def _require_own_or_staff(actor: User | SystemActor, booking: Booking, *, now: datetime) -> bool:
    """Returns whether the actor is staff; the booker may act until the cancellation deadline."""
    if _is_staff(actor, booking.facility):
        return True
    if actor.pk not in (booking.booker_id, booking.created_by_id):
        raise Forbidden(_("This is not your booking."))
    deadline = cancellation_deadline(booking)
    if now > deadline:
        raise DomainError(
            _(
                "The deadline for changes and cancellation (%(deadline)s) has passed; contact the "
                "house's staff."
            )
            % {"deadline": checks.fmt(deadline)}
        )
    return False


def _targets(booking: Booking, scope: str) -> list[Booking]:
    if scope not in ("this", "following"):
        raise DomainError(_("Choose this occurrence or this and following."))
    if scope == "this" or booking.series_id is None:
        return [booking]
    return list(
        Booking.objects.select_for_update(of=("self",))
        .filter(
            series_id=booking.series_id,
            starts_at__gte=booking.starts_at,
            status__in=ACTIVE_STATUSES,
        )
        .select_related("facility")
        .order_by("starts_at")
    )


def booking_update(
    *,
    booking: Booking,
    actor: User | SystemActor,
    start: datetime,
    end: datetime,
    title: str | None = None,
    scope: str = "this",
    now: datetime | None = None,
) -> list[Booking]:
    """Move a booking (or it and the following occurrences of its series) to a new time.
    ``actor`` is the person, or ``SYSTEM`` when a service that checked its own rules moves
    the booking it made (an activity's organiser moving an occurrence).

    The following occurrences keep their own dates, shifted by as many days as this one,
    and get the new wall-clock start and duration. All or nothing: a clash raises Conflict.
    """
    now = now or timezone.now()
    checks.check_aware_order(start, end)
    attempts: list[tuple[list[Room], datetime, datetime]] = []
    try:
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("facility")
                .get(pk=booking.pk)
            )
            if not booking.is_active:
                raise DomainError(_("Only active bookings can be changed."))
            staff = _require_own_or_staff(actor, booking, now=now)
            facility = booking.facility
            # One writer per house from here (the quota below, then the claims).
            checks.lock_house(facility.pk)
            policy = policy_for(facility)
            rule = policy.rule(booking.category, booking.use_type)
            old_local = checks.local(booking.starts_at)
            new_start_local = checks.local(start)
            shift = new_start_local.date() - old_local.date()
            wall = checks.local(end).replace(tzinfo=None) - new_start_local.replace(tzinfo=None)
            targets = _targets(booking, scope)
            BookingClaim.objects.filter(booking__in=targets, active=True).update(active=False)
            changed = []
            for target in targets:
                day = checks.local(target.starts_at).date() + shift
                naive = datetime.combine(day, new_start_local.time())
                new_start, new_end = timezone.make_aware(naive), timezone.make_aware(naive + wall)
                checks.check_times(
                    facility=facility, use_type=target.use_type, start=new_start, end=new_end
                )
                if new_start < now:
                    raise DomainError(
                        _("The start (%(start)s) has passed.") % {"start": checks.fmt(new_start)}
                    )
                if not staff:
                    checks.check_window(
                        terms=policy.terms_for(target.category), start=new_start, now=now
                    )
                checks.check_quota(
                    facility=facility,
                    person=target.booker,
                    category=target.category,
                    start=new_start,
                    exclude_id=target.pk,
                )
                rooms = [c.room for c in target.claims.select_related("room")]
                target.claims.all().delete()
                target.starts_at, target.ends_at = new_start, new_end
                if title:
                    target.title = title.strip()[:200]
                plan = _Plan(
                    facility,
                    target.booker,
                    CategoryOption(target.category),
                    rule,
                    policy,
                    rooms,
                    target.status,
                )
                price = _quote(plan, new_start, new_end, target.agreement)
                target.price, target.price_basis = price.amount, price.as_dict()
                approver = isinstance(actor, SystemActor) or permissions.has_perm(
                    actor, Perm.APPROVE_BOOKINGS, facility
                )
                if (
                    target.status == BookingStatus.CONFIRMED
                    and rule.needs_approval
                    and not approver
                ):
                    target.status = BookingStatus.PENDING
                target.save()
                attempts.append((rooms, new_start, new_end))
                checks.claim_rooms(booking=target, rooms=rooms, house_locked=True)
                changed.append(target)
            log_action(
                actor=actor,
                action="bookings.update",
                organisation=facility.organisation,
                obj=booking,
                data={
                    "scope": scope,
                    "count": len(changed),
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                },
            )
            booking_mail("changed", changed)
    except (IntegrityError, OperationalError) as exc:
        if isinstance(exc, OperationalError) and not _is_deadlock(exc):
            raise
        conflict = checks.conflict_after_rollback(attempts)
        if conflict is None:
            raise
        raise conflict from None
    return changed


def booking_cancel(
    *, booking: Booking, actor: User | SystemActor, scope: str = "this", now: datetime | None = None
) -> list[Booking]:
    """Cancel a booking (or it and the following occurrences); frees its rooms at once.
    The booker may cancel until the category's deadline; staff at any time."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("facility")
            .get(pk=booking.pk)
        )
        if not booking.is_active:
            raise DomainError(
                _("The booking is already %(status)s.") % {"status": booking.get_status_display()}
            )
        _require_own_or_staff(actor, booking, now=now)
        targets = _targets(booking, scope)
        ids = [t.pk for t in targets]
        BookingClaim.objects.filter(booking_id__in=ids).update(active=False)
        Booking.objects.filter(pk__in=ids).update(status=BookingStatus.CANCELLED, cancelled_at=now)
        for target in targets:
            target.status, target.cancelled_at = BookingStatus.CANCELLED, now
        log_action(
            actor=actor,
            action="bookings.cancel",
            organisation=booking.facility.organisation,
            obj=booking,
            data={"scope": scope, "count": len(ids)},
        )
        booking_mail("cancelled", targets)
    return targets


def _pending_for_decision(
    booking: Booking, actor: User, scope: str, not_pending: str
) -> tuple[Booking, list[Booking]]:
    """Lock a pending request for an approver's decision (inside the caller's transaction);
    returns it and the pending bookings of ``scope``."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("facility", "agreement")
        .get(pk=booking.pk)
    )
    if not permissions.has_perm(actor, Perm.APPROVE_BOOKINGS, booking.facility):
        raise Forbidden(
            _("You may not approve bookings of %(house)s.") % {"house": booking.facility.name}
        )
    if booking.status != BookingStatus.PENDING:
        raise DomainError(not_pending)
    targets = [t for t in _targets(booking, scope) if t.status == BookingStatus.PENDING]
    return booking, targets


def confirm_pending(targets: list[Booking], *, actor: User, now: datetime) -> None:
    """Confirm pending bookings (inside the caller's transaction, rows locked). An external
    letting needs a complete agreement; its price is fixed from the market rent."""
    for target in targets:
        if target.use_type == UseType.EXTERNAL_LETTING:
            missing = letting_problem_messages(
                target.agreement, checks.local(target.starts_at).date()
            )
            if missing:
                raise DomainError(
                    _("An external letting cannot be confirmed without: %(missing)s.")
                    % {"missing": "; ".join(missing)}
                )
            if target.agreement is not None and target.agreement.market_rent_per_hour:
                price = quote(
                    rule="market_rent",
                    hours=booked_hours(target.starts_at, target.ends_at),
                    market_rent_per_hour=target.agreement.market_rent_per_hour,
                )
                target.price, target.price_basis = price.amount, price.as_dict()
        target.status, target.decided_by, target.decided_at = (
            BookingStatus.CONFIRMED,
            actor,
            now,
        )
        target.save(update_fields=["status", "decided_by", "decided_at", "price", "price_basis"])


def booking_approve(
    *,
    booking: Booking,
    actor: User,
    scope: str = "this",
    notify: bool = True,
    now: datetime | None = None,
) -> list[Booking]:
    """Confirm a pending request. An external letting needs a complete agreement first."""
    now = now or timezone.now()
    with transaction.atomic():
        booking, targets = _pending_for_decision(
            booking, actor, scope, _("Only pending requests can be approved.")
        )
        confirm_pending(targets, actor=actor, now=now)
        log_action(
            actor=actor,
            action="bookings.approve",
            organisation=booking.facility.organisation,
            obj=booking,
            data={"scope": scope, "count": len(targets)},
        )
        if notify:
            booking_mail("confirmed", targets)
    return targets


def booking_reject(
    *, booking: Booking, actor: User, reason: str, scope: str = "this", now: datetime | None = None
) -> list[Booking]:
    """Reject a pending request with a reason the booker sees; frees its rooms."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for the rejection; the booker sees it."))
    with transaction.atomic():
        booking, targets = _pending_for_decision(
            booking, actor, scope, _("Only pending requests can be rejected.")
        )
        ids = [t.pk for t in targets]
        BookingClaim.objects.filter(booking_id__in=ids).update(active=False)
        Booking.objects.filter(pk__in=ids).update(
            status=BookingStatus.REJECTED,
            rejection_reason=reason[:2000],
            decided_by=actor,
            decided_at=now,
        )
        for target in targets:
            target.status, target.rejection_reason = BookingStatus.REJECTED, reason[:2000]
        log_action(
            actor=actor,
            action="bookings.reject",
            organisation=booking.facility.organisation,
            obj=booking,
            data={"scope": scope, "count": len(ids), "reason": reason[:500]},
        )
        booking_mail("rejected", targets)
    return targets


def booking_record_budget_sent(*, booking: Booking, actor: User, sent_on: date) -> Booking:
    """Record that the budget of an activity that charges participants was sent to the
    municipality (BL 2024: family and friends taking part in paid events)."""
    if not booking.charges_participants:
        raise DomainError(_("This booking does not charge participants."))
    if actor.pk not in (booking.booker_id, booking.created_by_id) and not _is_staff(
        actor, booking.facility
    ):
        raise Forbidden(_("This is not your booking."))
    if sent_on > timezone.localdate():
        raise DomainError(_("The date the budget was sent cannot be in the future."))
    with transaction.atomic():
        booking.budget_sent_on = sent_on
        booking.save(update_fields=["budget_sent_on"])
        log_action(
            actor=actor,
            action="bookings.budget_sent",
            organisation=booking.facility.organisation,
            obj=booking,
            data={"sent_on": sent_on.isoformat()},
        )
    return booking
