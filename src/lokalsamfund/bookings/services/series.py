"""Weekly series of bookings: every occurrence goes through ``booking_create``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError

from ..choices import BookingSource, BookingStatus
from ..models import Booking, BookingSeries, Facility, Room
from . import checks
from .booking import booking_create
from .notify import booking_mail

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
    return SeriesResult(series, created, skipped)
