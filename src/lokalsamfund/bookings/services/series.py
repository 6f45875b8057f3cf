"""Weekly series of bookings: every occurrence goes through ``booking_create``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.permissions import Perm

from ..choices import BookingSource, BookingStatus
from ..models import Booking, BookingClaim, BookingSeries, Facility, Room
from . import checks
from .booking import booking_create
from .changes import confirm_pending
from .notify import approver_mail, booking_mail

if TYPE_CHECKING:
    from collections.abc import Sequence

    from lokalsamfund.core.models import User


@dataclass
class SeriesResult:
    series: BookingSeries
    created: list[Booking]
    skipped: list[tuple[datetime, str]]


def booking_series_create(
    *,
    facility: Facility,
    booker: User,
    start: datetime,
    end: datetime,
    until: date,
    title: str,
    use_type: str,
    interval_weeks: int = 1,
    skip_conflicts: bool = True,
    category: str | None = None,
    rooms: Sequence[Room] = (),
    whole_house: bool = False,
    on_behalf_of: User | None = None,
    source: str = BookingSource.WEB,
    notify: bool = True,
    now: datetime | None = None,
) -> SeriesResult:
    """A weekly series from ``start`` until ``until`` (inclusive), same local wall-clock time.

    With ``skip_conflicts`` an occurrence that clashes is skipped and reported; otherwise the
    first clash raises Conflict and nothing is created. Other broken rules always stop it.
    """
    checks.check_aware_order(start, end)
    if interval_weeks < 1 or interval_weeks > 4:
        raise DomainError(_("A series repeats every 1 to 4 weeks."))
    first_local = checks.local(start)
    if until < first_local.date():
        raise DomainError(_("The series must end on or after its first date."))
    if until > first_local.date() + timedelta(days=366):
        raise DomainError(_("A series runs at most one year."))
    wall = checks.local(end).replace(tzinfo=None) - first_local.replace(tzinfo=None)
    with transaction.atomic():
        series = BookingSeries.objects.create(
            facility=facility,
            title=(title or "").strip()[:200],
            created_by=booker,
            first_date=first_local.date(),
            until=until,
            interval_weeks=interval_weeks,
        )
        created: list[Booking] = []
        skipped: list[tuple[datetime, str]] = []
        day = first_local.date()
        while day <= until:
            naive = datetime.combine(day, first_local.time())
            occ_start = timezone.make_aware(naive)
            occ_end = timezone.make_aware(naive + wall)
            try:
                created.append(
                    booking_create(
                        facility=facility,
                        booker=booker,
                        start=occ_start,
                        end=occ_end,
                        title=title,
                        use_type=use_type,
                        category=category,
                        rooms=rooms,
                        whole_house=whole_house,
                        on_behalf_of=on_behalf_of,
                        source=source,
                        series=series,
                        notify=False,
                        now=now,
                    )
                )
            except Conflict as exc:
                if not skip_conflicts:
                    raise
                skipped.append((occ_start, exc.message))
            day += timedelta(weeks=interval_weeks)
        if not created:
            raise DomainError(_("No occurrence of the series could be booked."))
        log_action(
            actor=booker,
            action="bookings.series_create",
            organisation=facility.organisation,
            obj=series,
            data={"created": len(created), "skipped": len(skipped), "until": until.isoformat()},
        )
        if notify:
            booking_mail(
                "confirmed" if created[0].status == BookingStatus.CONFIRMED else "created", created
            )
            approver_mail([b for b in created if b.status == BookingStatus.PENDING])
    return SeriesResult(series, created, skipped)


@dataclass
class SeriesDecision:
    approved: list[Booking]
    rejected: list[Booking]


def booking_series_decide(
    *,
    series: BookingSeries,
    actor: User,
    approve: Sequence[int],
    reason: str = "",
    now: datetime | None = None,
) -> SeriesDecision:
    """Decide a series' pending requests as one: approve the occurrences in ``approve`` (ids)
    and reject the other pending ones with ``reason`` (required when any is rejected). All or
    nothing; one e-mail to the booker per outcome."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        pending = list(
            Booking.objects.select_for_update(of=("self",))
            .filter(series=series, status=BookingStatus.PENDING)
            .select_related("facility", "agreement", "booker")
            .order_by("starts_at")
        )
        facility = series.facility
        if not permissions.has_perm(actor, Perm.APPROVE_BOOKINGS, facility):
            raise Forbidden(
                _("You may not approve bookings of %(house)s.") % {"house": facility.name}
            )
        if not pending:
            raise DomainError(_("The series has no pending requests."))
        by_id = {b.pk: b for b in pending}
        unknown = sorted(set(approve) - set(by_id))
        if unknown:
            raise DomainError(
                _("Booking no. %(id)d is not a pending request of this series.")
                % {"id": unknown[0]}
            )
        approved = [b for b in pending if b.pk in set(approve)]
        rejected = [b for b in pending if b.pk not in set(approve)]
        if rejected and not reason:
            raise DomainError(
                _("Give a reason for the %(n)d dates you decline; the booker sees it.")
                % {"n": len(rejected)}
            )
        confirm_pending(approved, actor=actor, now=now)
        ids = [b.pk for b in rejected]
        BookingClaim.objects.filter(booking_id__in=ids).update(active=False)
        Booking.objects.filter(pk__in=ids).update(
            status=BookingStatus.REJECTED,
            rejection_reason=reason[:2000],
            decided_by=actor,
            decided_at=now,
        )
        for booking in rejected:
            booking.status, booking.rejection_reason = BookingStatus.REJECTED, reason[:2000]
        log_action(
            actor=actor,
            action="bookings.series_decide",
            organisation=facility.organisation,
            obj=series,
            data={"approved": len(approved), "rejected": len(rejected), "reason": reason[:500]},
        )
        booking_mail("confirmed", approved)
        booking_mail("rejected", rejected)
    return SeriesDecision(approved, rejected)
