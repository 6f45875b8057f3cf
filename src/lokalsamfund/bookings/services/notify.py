"""E-mails to bookers, sent after the transaction commits. No personal data beyond the
booker's own booking; the text is in the active language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lokalsamfund.core import formatting

from ..models import Booking
from . import checks


def span(booking: Booking) -> str:
    """The booking's time as users read it; across midnight both days are named."""
    return formatting.time_span(
        checks.local(booking.starts_at), checks.local(booking.ends_at), checks.lang()
    )


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
            _("%(title)s: %(span)s (%(status)s), booking no. %(id)d")
            % {
                "title": booking.title,
                "span": span(booking),
                "status": booking.get_status_display(),
                "id": booking.pk,
            }
        )
    if first.price:
        lines.append(
            _("Price: %(price)s") % {"price": formatting.money(first.price, checks.lang())}
        )
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


def _approver_text(bookings: list[Booking]) -> tuple[str, str]:
    """Subject and body for approvers: the house, the dates, the category and use; no name or
    title (the requests page shows those to whoever may see them)."""
    first = bookings[0]
    subject = _("New booking request for %(house)s") % {"house": first.facility.name}
    lines = [
        _("%(category)s asks to book %(house)s for %(use)s.")
        % {
            "category": first.get_category_display().capitalize(),
            "house": first.facility.name,
            "use": first.get_use_type_display(),
        },
        "",
    ]
    if len(bookings) > 1:
        lines.append(_("A weekly series of %(n)d dates:") % {"n": len(bookings)})
    lines += [span(b) for b in bookings]
    lines += [
        "",
        _("Approve or decline it under Bookings, Requests: %(path)s")
        % {"path": reverse("bookings:pending")},
    ]
    return subject, "\n".join(lines)


def approver_mail(bookings: list[Booking]) -> None:
    """Tell the house's approvers (in Danish, after commit) about new requests: one e-mail
    for a booking or a series."""
    if not bookings:
        return
    from ..approvals import approvers_of

    booker_id = bookings[0].booker_id
    recipients = [
        u.email for u in approvers_of(bookings[0].facility) if u.pk != booker_id and u.email
    ]
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _approver_text(bookings)
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=True))
