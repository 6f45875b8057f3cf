"""Notices to social workers. They say only that there is a referral and link to the queue:
no name, address, observation, department or reference, in the subject or the body."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lokalsamfund.core.models import User


def _queue_link(base_url: str) -> str:
    return base_url.rstrip("/") + reverse("wellbeing:queue")


def _send(recipients: list[str], subject: str, body: str) -> None:
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, None, recipients, fail_silently=True)
        )


def notify_new_referral(recipients: Iterable[User], *, base_url: str) -> None:
    """ "A new referral" to each social worker (one e-mail each, after commit)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("A new referral")
        body = "\n".join(
            [
                _("A caretaker has passed on a concern for a resident."),
                _("Log in to see it in the queue: %(link)s") % {"link": _queue_link(base_url)},
            ]
        )
    for user in recipients:
        _send([user.email], subject, body)


def notify_assigned(recipient: User, *, base_url: str) -> None:
    """ "A referral was assigned to you" (after commit)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("A referral was assigned to you")
        body = _("Log in to see it in the queue: %(link)s") % {"link": _queue_link(base_url)}
    _send([recipient.email], subject, body)
