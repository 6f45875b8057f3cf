"""Renewal reminders for external-letting agreements (each renewal needs the afdelingsmøde)."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.permissions import SYSTEM, Perm

from ..models import LettingAgreement

# Who is reminded: those who approve the house's bookings (the organisation's coordinators and
# administrators, or those of the house's department).
REMINDER_PERMISSION = Perm.APPROVE_BOOKINGS


def letting_renewal_reminders_send(*, today: date) -> int:
    """E-mail those who approve a house's bookings about its agreements ending within 90 days.
    Returns the number of agreements reminded about (an agreement nobody could be told about
    does not count). Each reminder is one transaction: its audit entry, then the e-mail once
    the entry is committed."""
    due = [
        a
        for a in LettingAgreement.objects.select_related("facility__organisation")
        if a.renewal_due(today)
    ]
    reminded = 0
    for agreement in due:
        recipients = sorted(
            permissions.users_with(REMINDER_PERMISSION, agreement.facility).values_list(
                "email", flat=True
            )
        )
        if not recipients:
            continue
        subject = _("Letting agreement to renew: %(who)s") % {"who": agreement.counterparty}
        body = _(
            "The external letting agreement with %(who)s in %(house)s ends on %(end)s. "
            "A renewal must be approved by the afdelingsmøde before it ends."
        ) % {
            "who": agreement.counterparty,
            "house": agreement.facility.name,
            "end": agreement.ends_on.strftime("%d.%m.%Y") if agreement.ends_on else "",
        }
        with transaction.atomic():
            log_action(
                actor=SYSTEM,
                action="bookings.renewal_reminder",
                organisation=agreement.facility.organisation,
                obj=agreement,
                data={"recipients": len(recipients)},
            )
            transaction.on_commit(
                partial(send_mail, subject, body, None, recipients, fail_silently=True)
            )
        reminded += 1
    return reminded
