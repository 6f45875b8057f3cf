"""The day-before reminder (påmindelse) to confirmed participants: date, time, place and how
to cancel. Idempotent: an occurrence is reminded once (``Occurrence.reminded_at``), so the
command may run as often as cron likes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.permissions import SYSTEM

from ..models import Occurrence, OccurrenceStatus, SignUpStatus
from . import signup_mail
from .signups import new_token


@dataclass(frozen=True)
class Reminded:
    occurrence: Occurrence
    recipients: int


def reminder_window_end(now: datetime, hours: int | None = None) -> datetime:
    """Occurrences starting until this moment are reminded: the end of tomorrow (local
    time), so a daily run at any hour reminds everything of tomorrow; or ``hours`` ahead."""
    if hours is not None:
        return now + timedelta(hours=hours)
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow + timedelta(days=1), time(0)))


def due_occurrences(*, now: datetime, hours: int | None = None) -> list[Occurrence]:
    return list(
        Occurrence.objects.filter(
            status=OccurrenceStatus.SCHEDULED,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lt=reminder_window_end(now, hours),
            activity__signup_required=True,
            activity__status="published",
        )
        .select_related("activity", "activity__organisation", "activity__facility")
        .order_by("starts_at", "pk")
    )


def reminders_send(
    *, now: datetime | None = None, hours: int | None = None, dry_run: bool = False
) -> list[Reminded]:
    """E-mail every confirmed participant of the occurrences due; mark each occurrence
    reminded (one transaction per occurrence). ``dry_run``: only say what would be sent."""
    now = now or timezone.now()
    done: list[Reminded] = []
    for occurrence in due_occurrences(now=now, hours=hours):
        if dry_run:
            confirmed = occurrence.signups.filter(status=SignUpStatus.CONFIRMED)
            count = sum(1 for s in confirmed.select_related("user") if s.user_id or s.email)
            done.append(Reminded(occurrence, count))
            continue
        with transaction.atomic():
            locked = Occurrence.objects.select_for_update(of=("self",)).get(pk=occurrence.pk)
            if locked.reminded_at is not None:
                continue  # another run got there first
            count = 0
            signups = occurrence.signups.filter(status=SignUpStatus.CONFIRMED).select_related(
                "user"
            )
            for signup in signups:
                signup.occurrence = occurrence
                token = new_token(signup) if signup.user_id is None and signup.email else ""
                count += signup_mail.reminder(signup, token=token)
            Occurrence.objects.filter(pk=occurrence.pk).update(reminded_at=now)
            log_action(
                actor=SYSTEM,
                action="activities.remind",
                organisation=occurrence.activity.organisation,
                obj=occurrence,
                data={"recipients": count},
            )
        done.append(Reminded(occurrence, count))
    return done
