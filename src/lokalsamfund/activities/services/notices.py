"""E-mails of the calendar (engineer A's area): the proposer hears the decision, participants
hear that a time was cancelled, moved or that the series paused or ended. Sent after the
transaction commits, in Danish (residents' language on this site), with what, when and where;
never another participant's name."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lokalsamfund.core import formatting

from ..models import Activity, Occurrence, SignUp, SignUpStatus


def when(occurrence: Occurrence) -> str:
    """The occurrence's time as users read it: torsdag 11. juni 2026 kl. 17.30-19.30."""
    return formatting.time_span(
        timezone.localtime(occurrence.starts_at),
        timezone.localtime(occurrence.ends_at),
        formatting.language(translation.get_language()),
    )


def where(activity: Activity) -> str:
    if activity.facility_id is not None and activity.facility is not None:
        return activity.facility.name
    return activity.place


def _send(recipients: Iterable[str], subject: str, body: str) -> None:
    to = sorted({r for r in recipients if r})
    if not to:
        return

    def deliver() -> None:
        for address in to:  # one message each: no one sees another participant's address
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])

    transaction.on_commit(deliver)


def participant_emails(occurrences: Iterable[Occurrence]) -> list[str]:
    """E-mail addresses of everyone signed up or waiting for these occurrences."""
    ids = [o.pk for o in occurrences]
    rows = (
        SignUp.objects.filter(occurrence_id__in=ids)
        .exclude(status=SignUpStatus.CANCELLED)
        .values_list("email", "user__email")
    )
    return sorted({own or account for own, account in rows if own or account})


def decision_mail(activity: Activity, kind: str) -> None:
    """Tell the proposer that the proposal was approved, needs changes or was declined."""
    if activity.proposed_by is None:
        return
    with translation.override("da"):
        subjects = {
            "approved": _("Your activity %(title)s is approved"),
            "changes": _("Your proposal %(title)s needs changes"),
            "declined": _("Your proposal %(title)s was declined"),
        }
        subject = subjects[kind] % {"title": activity.title}
        lines = [subject + "."]
        if activity.decision_note:
            lines += ["", _("The coordinator wrote: %(note)s") % {"note": activity.decision_note}]
        if kind == "approved":
            lines += ["", _("You are now an organiser of the activity.")]
        _send([activity.proposed_by.email], subject, "\n".join(lines))


def occurrences_mail(activity: Activity, occurrences: list[Occurrence], kind: str) -> None:
    """Tell the participants of ``occurrences`` that they were cancelled or moved, or that the
    series paused or ended (``kind``: cancelled, moved, paused, ended)."""
    emails = participant_emails(occurrences)
    if not emails:
        return
    with translation.override("da"):
        subjects = {
            "cancelled": _("Cancelled: %(title)s"),
            "moved": _("New time: %(title)s"),
            "paused": _("Paused: %(title)s"),
            "ended": _("Ended: %(title)s"),
        }
        subject = subjects[kind] % {"title": activity.title}
        lines = [subject, ""]
        for occurrence in occurrences:
            line = _("%(when)s, %(where)s") % {"when": when(occurrence), "where": where(activity)}
            if occurrence.note:
                line += f" ({occurrence.note})"
            lines.append(line)
        if kind == "moved":
            lines += [
                "",
                _(
                    "Your sign-up still holds; cancel it on the activity's page if the new "
                    "time does not suit you."
                ),
            ]
        else:
            lines += ["", _("You do not need to do anything.")]
        _send(emails, subject, "\n".join(lines))
