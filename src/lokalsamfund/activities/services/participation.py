"""Participation (deltagelse) without surveillance: headcounts and names reduced to counts.

``headcount_record``: an organiser of the activity (or someone who may manage it) records how
many took part in an occurrence that has started: a total, optionally by age band and how many
came for the first time. No names. Recording again corrects it; a correction is audited with
the old and new figures.

``names_reduce``: every sign-up list of an occurrence that has been held (ended) is reduced to
counts on the occurrence (``signed_up_count``, ``waitlist_count``) and its rows are deleted.
Idempotent; run by ``lokalsamfund activities tidy`` (and by the reminder cron job).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import SYSTEM, Actor

from .. import permissions as rules
from ..models import Headcount, Occurrence, OccurrenceStatus, SignUp, SignUpStatus

MAX_HEADCOUNT = 10_000  # a typing error, not a crowd in a fælleshus

AGE_BANDS = ("children", "adults", "seniors")


def may_record(actor: Actor, occurrence: Occurrence) -> bool:
    """Organisers of the activity and those who may manage it (coordinators; boards where
    the organisation lets them approve); SYSTEM (the demo, imports)."""
    if actor is SYSTEM:
        return True
    return rules.may_manage(actor, occurrence.activity)  # type: ignore[arg-type]


def _check_figures(
    *,
    total: int,
    children: int | None,
    adults: int | None,
    seniors: int | None,
    new_faces: int | None,
) -> None:
    figures = {"total": total, "children": children, "adults": adults, "seniors": seniors}
    figures["new_faces"] = new_faces
    if any(v is not None and v < 0 for v in figures.values()):
        raise DomainError(_("A count cannot be negative."))
    if total > MAX_HEADCOUNT:
        raise DomainError(_("That is more than %(max)s participants.") % {"max": MAX_HEADCOUNT})
    bands = sum(v or 0 for v in (children, adults, seniors))
    if bands > total:
        raise DomainError(
            _("Children, adults and seniors together (%(bands)s) exceed the total (%(total)s).")
            % {"bands": bands, "total": total}
        )
    if new_faces is not None and new_faces > total:
        raise DomainError(
            _("New faces (%(new)s) cannot exceed the total (%(total)s).")
            % {"new": new_faces, "total": total}
        )


def headcount_record(
    *,
    actor: Actor,
    occurrence: Occurrence,
    total: int,
    children: int | None = None,
    adults: int | None = None,
    seniors: int | None = None,
    new_faces: int | None = None,
    now: datetime | None = None,
) -> Headcount:
    """Record (or correct) the headcount of an occurrence that has started."""
    now = now or timezone.now()
    activity = occurrence.activity
    if not may_record(actor, occurrence):
        raise Forbidden(_("Only the activity's organisers can record how many took part."))
    if occurrence.status == OccurrenceStatus.CANCELLED:
        raise DomainError(_("This time was cancelled: there is nothing to count."))
    if occurrence.starts_at > now:
        raise DomainError(_("You can record how many took part once the activity has started."))
    _check_figures(
        total=total, children=children, adults=adults, seniors=seniors, new_faces=new_faces
    )
    figures = {
        "total": total,
        "children": children,
        "adults": adults,
        "seniors": seniors,
        "new_faces": new_faces,
    }
    recorder = actor if isinstance(actor, User) else None
    with transaction.atomic():
        existing = Headcount.objects.select_for_update().filter(occurrence=occurrence).first()
        if existing is None:
            headcount = Headcount.objects.create(
                occurrence=occurrence, recorded_by=recorder, recorded_at=now, **figures
            )
            log_action(
                actor=actor,
                action="activities.headcount",
                organisation=activity.organisation,
                obj=occurrence,
                data={"total": total},
            )
            return headcount
        before = {name: getattr(existing, name) for name in figures}
        if before == figures:
            return existing
        for name, value in figures.items():
            setattr(existing, name, value)
        existing.recorded_by = recorder
        existing.recorded_at = now
        existing.save()
        log_action(
            actor=actor,
            action="activities.headcount_correct",
            organisation=activity.organisation,
            obj=occurrence,
            data={"before": before, "after": figures},
        )
        return existing


def names_reduce(*, now: datetime | None = None) -> int:
    """Reduce the sign-up lists of every occurrence that has ended to counts and delete the
    names. Returns how many occurrences were reduced (0 on a second run)."""
    now = now or timezone.now()
    held = (
        Occurrence.objects.filter(ends_at__lte=now, names_deleted_at__isnull=True)
        .filter(signups__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    reduced = 0
    for pk in list(held):
        with transaction.atomic():
            occurrence = (
                Occurrence.objects.select_for_update()
                .select_related("activity__organisation")
                .get(pk=pk)
            )
            if occurrence.names_deleted_at is not None:
                continue
            signups = SignUp.objects.filter(occurrence=occurrence)
            confirmed = signups.filter(status=SignUpStatus.CONFIRMED).aggregate(n=Sum("places"))
            waiting = signups.filter(status=SignUpStatus.WAITLISTED).aggregate(n=Sum("places"))
            occurrence.signed_up_count = confirmed["n"] or 0
            occurrence.waitlist_count = waiting["n"] or 0
            occurrence.names_deleted_at = now
            occurrence.save(update_fields=["signed_up_count", "waitlist_count", "names_deleted_at"])
            deleted, _rows = signups.delete()
            log_action(
                actor=SYSTEM,
                action="activities.names_reduce",
                organisation=occurrence.activity.organisation,
                obj=occurrence,
                data={
                    "signed_up": occurrence.signed_up_count,
                    "waitlist": occurrence.waitlist_count,
                    "deleted": deleted,
                },
            )
            reduced += 1
    return reduced
