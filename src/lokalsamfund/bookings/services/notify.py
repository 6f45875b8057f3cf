"""E-mails to bookers, sent after the transaction commits. No personal data beyond the
booker's own booking; the text is in the active language."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Booking
from .checks import fmt


def _subject(kind: str, booking: Booking) -> str:
    texts = {
        "created": _("Your booking of %(house)s is received"),
        "confirmed": _("Your booking of %(house)s is confirmed"),
        "rejected": _("Your booking of %(house)s was not approved"),
        "cancelled": _("Your booking of %(house)s is cancelled"),
        "changed": _("Your booking of %(house)s is changed"),
    }
    return texts[kind] % {"house": booking.facility.name}


def _body(kind: str, bookings: list[Booking]) -> str:
    first = bookings[0]
    lines = [_subject(kind, first) + ".", ""]
    for booking in bookings:
        lines.append(
            _("%(title)s: %(start)s to %(end)s (%(status)s), booking no. %(id)d")
            % {
                "title": booking.title,
                "start": fmt(booking.starts_at),
                "end": fmt(booking.ends_at),
                "status": booking.get_status_display(),
                "id": booking.pk,
            }
        )
    if first.price:
        lines.append(_("Price: %(price)s kr.") % {"price": first.price})
    if kind == "rejected" and first.rejection_reason:
        lines.append(_("Reason: %(reason)s") % {"reason": first.rejection_reason})
    if first.facility.key_handover_note and kind in {"created", "confirmed"}:
        lines += ["", _("Key handover: %(note)s") % {"note": first.facility.key_handover_note}]
    return "\n".join(lines)


def booking_mail(kind: str, bookings: list[Booking]) -> None:
    """Send one e-mail to the booker of ``bookings`` (one booking or a series) after commit."""
    if not bookings:
        return
    recipient = bookings[0].booker.email
    subject = _subject(kind, bookings[0])
    body = _body(kind, bookings)
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=True))
