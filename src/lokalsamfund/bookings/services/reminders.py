"""Renewal reminders for external-letting agreements (each renewal needs the afdelingsmøde)."""

from __future__ import annotations

from datetime import date

from django.core.mail import send_mail
from django.utils.translation import gettext as _

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.models import Membership, Role

from ..models import LettingAgreement


def letting_renewal_reminders_send(*, today: date) -> int:
    """E-mail the organisation's coordinators and administrators about agreements ending
    within 90 days. Returns the number of agreements reminded about."""
    due = [
        a
        for a in LettingAgreement.objects.select_related("facility__organisation")
        if a.renewal_due(today)
    ]
    for agreement in due:
        organisation = agreement.facility.organisation
        recipients = sorted(
            set(
                Membership.objects.filter(
                    organisation=organisation,
                    role__in=[Role.ORG_ADMIN, Role.COORDINATOR],
                    user__is_active=True,
                ).values_list("user__email", flat=True)
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
        send_mail(subject, body, None, recipients, fail_silently=True)
        log_action(
            actor=None,
            action="bookings.renewal_reminder",
            organisation=organisation,
            obj=agreement,
            data={"recipients": len(recipients)},
        )
    return len(due)
