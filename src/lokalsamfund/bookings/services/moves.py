"""Bookings of people who move out (docs/residents.md, "Moves out").

A booking in a resident category (of the department, or of another department) is a benefit
of living in the organisation: when a tenancy moves out and its residents' memberships end,
their future bookings in the organisation's houses are cancelled, the rooms freed and each
booker told by e-mail. Bookings that have started or ended stay as they are (the account).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from lokalsamfund.core.audit import log_action

from ..choices import ACTIVE_STATUSES, BookerCategory, BookingStatus
from ..models import Booking, BookingClaim
from .notify import booking_mail

if TYPE_CHECKING:
    from lokalsamfund.core.models import Organisation
    from lokalsamfund.core.permissions import Actor

RESIDENT_CATEGORIES = (BookerCategory.RESIDENT, BookerCategory.RESIDENT_OTHER_DEPARTMENT)


def bookings_cancel_for_move_out(
    *,
    actor: Actor,
    organisation: Organisation,
    booker_ids: Iterable[int],
    now: datetime,
) -> int:
    """Cancel the future resident bookings of ``booker_ids`` in ``organisation``'s houses;
    returns how many. Call it inside the move-out's transaction."""
    ids = set(booker_ids)
    if not ids:
        return 0
    with transaction.atomic():
        targets = list(
            Booking.objects.select_for_update(of=("self",))
            .select_related("facility", "booker")
            .filter(
                facility__organisation=organisation,
                booker_id__in=ids,
                category__in=RESIDENT_CATEGORIES,
                status__in=ACTIVE_STATUSES,
                starts_at__gt=now,
            )
            .order_by("booker_id", "starts_at")
        )
        if not targets:
            return 0
        pks = [b.pk for b in targets]
        BookingClaim.objects.filter(booking_id__in=pks).update(active=False)
        Booking.objects.filter(pk__in=pks).update(status=BookingStatus.CANCELLED, cancelled_at=now)
        by_booker: dict[int, list[Booking]] = {}
        for booking in targets:
            booking.status, booking.cancelled_at = BookingStatus.CANCELLED, now
            by_booker.setdefault(booking.booker_id, []).append(booking)
            log_action(
                actor=actor,
                action="bookings.cancel_moved_out",
                organisation=organisation,
                obj=booking,
            )
        for bookings in by_booker.values():
            booking_mail("cancelled", bookings)
    return len(targets)
